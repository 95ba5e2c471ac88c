// The OpenAI-compatible API end to end: the real serve-mode server and gate, the real LlmEngine
// and ModelLibrary with a generated GGUF loaded into llama.cpp (CPU), driven by the official
// `openai` npm client the way an editor plugin or script would use it.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { LoadedLlama } from '../../../native/llama/loadLlama';
import { loadLlama } from '../../../native/llama/loadLlama';
import { LlmEngine } from '../../services/llm/LlmEngine';
import { createTestServices } from '../../testing/createTestServices';
import type { TestServices } from '../../testing/createTestServices';
import { writeTinyLlamaGguf } from '../../testing/gguf/writeTinyLlamaGguf';
import type { TinyLlamaInfo } from '../../testing/gguf/writeTinyLlamaGguf';
import { startApiServer } from '../ApiServer';
import type { ApiServer } from '../ApiServer';
import { registerOpenAiRoutes } from './registerOpenAiRoutes';

const MODEL_ID = 'tiny-chat.gguf';
const OTHER_ID = 'tiny-other.gguf';

let ctx: TestServices;
let llama: LoadedLlama;
let engine: LlmEngine;
let server: ApiServer;
let client: OpenAI;
let tiny: TinyLlamaInfo;

beforeAll(async () => {
  ctx = await createTestServices();
  const folder = ctx.services.models.folder;
  // A bias on <|im_end|> makes greedy replies end on their own after a few words.
  tiny = await writeTinyLlamaGguf(join(folder, MODEL_ID), { seed: 11, endOfTurnLogitBias: 7, contextLength: 1024 });
  await writeTinyLlamaGguf(join(folder, OTHER_ID), { seed: 12, name: 'Other Tiny Llama' });
  llama = await loadLlama({ preference: 'cpu' });
  engine = new LlmEngine({ getLlama: () => Promise.resolve(llama) });
  await engine.loadModel(await ctx.services.models.resolve(MODEL_ID), { contextSize: 1024 });
  server = await startApiServer({
    dispatcher: ctx.services.dispatcher,
    events: ctx.services.events,
    staticDir: null,
    routes: (app) => registerOpenAiRoutes(app, { engine, library: ctx.services.models }),
  });
  // No retries: a wrong status must fail the test at once, not after back-off.
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: server.token, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
  await engine.dispose();
  await llama.dispose();
  await ctx.cleanup();
});

const question = { role: 'user' as const, content: 'Write a haiku about parsers.' };
const greedy = { temperature: 0, seed: 1234 };

describe('OpenAI-compatible API over the real engine', () => {
  it('lists the installed models, the loaded one included', async () => {
    const models = await client.models.list();
    expect(models.object).toBe('list');
    expect(models.data.map((model) => model.id).sort()).toEqual([MODEL_ID, OTHER_ID]);
    for (const model of models.data) {
      expect(model).toMatchObject({ object: 'model', owned_by: 'codesage' });
      expect(model.created).toBeGreaterThan(1_600_000_000);
    }
  });

  it('answers a chat completion with usage', async () => {
    const completion = await client.chat.completions.create({ model: MODEL_ID, messages: [question], ...greedy });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe(MODEL_ID);
    const choice = completion.choices[0];
    expect(choice?.message.role).toBe('assistant');
    expect(choice?.message.content?.length).toBeGreaterThan(0);
    expect(choice?.finish_reason).toBe('stop');
    const usage = completion.usage;
    expect(usage?.prompt_tokens).toBeGreaterThan(5);
    expect(usage?.completion_tokens).toBeGreaterThan(0);
    expect(usage?.total_tokens).toBe((usage?.prompt_tokens ?? 0) + (usage?.completion_tokens ?? 0));
  });

  it('streams the same answer as a plain call with the same seed at temperature 0, then usage', async () => {
    const messages = [{ role: 'system' as const, content: 'You are terse.' }, question];
    const plain = await client.chat.completions.create({ model: MODEL_ID, messages, ...greedy });
    const stream = await client.chat.completions.create({
      model: MODEL_ID,
      messages,
      ...greedy,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let role: string | undefined;
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    let contentChunks = 0;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      role ??= choice?.delta.role;
      if (choice?.delta.content) {
        text += choice.delta.content;
        contentChunks++;
      }
      finishReason = choice?.finish_reason ?? finishReason;
      usage = chunk.usage ?? usage;
    }
    expect(role).toBe('assistant');
    expect(contentChunks).toBeGreaterThan(1);
    expect(text).toBe(plain.choices[0]?.message.content);
    expect(finishReason).toBe('stop');
    expect(usage).toEqual(plain.usage);
  });

  it('reports finish_reason length when max_tokens cuts the answer', async () => {
    const completion = await client.chat.completions.create({ model: MODEL_ID, messages: [question], ...greedy, max_completion_tokens: 1 });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(1);
  });

  it('ends the answer before a stop sequence', async () => {
    const full =
      (await client.chat.completions.create({ model: MODEL_ID, messages: [question], ...greedy })).choices[0]?.message.content ?? '';
    expect(full.length).toBeGreaterThan(3);
    const stop = full.slice(2, 4);
    const cut = await client.chat.completions.create({ model: MODEL_ID, messages: [question], ...greedy, stop: [stop] });
    expect(cut.choices[0]?.message.content).toBe(full.slice(0, full.indexOf(stop)));
    expect(cut.choices[0]?.finish_reason).toBe('stop');
  });

  it("embeds two inputs with the model's dimension, as floats or base64", async () => {
    const input = ['function parse() {}', 'a different sentence'];
    const floats = await client.embeddings.create({ model: MODEL_ID, input, encoding_format: 'float' });
    expect(floats.object).toBe('list');
    expect(floats.model).toBe(MODEL_ID);
    expect(floats.data.map((item) => item.index)).toEqual([0, 1]);
    for (const item of floats.data) {
      expect(item.object).toBe('embedding');
      expect(item.embedding).toHaveLength(tiny.embeddingLength);
      expect(item.embedding.every(Number.isFinite)).toBe(true);
    }
    expect(floats.data[0]?.embedding).not.toEqual(floats.data[1]?.embedding);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(2);
    expect(floats.usage.total_tokens).toBe(floats.usage.prompt_tokens);
    // The official client asks for base64 unless told otherwise, and decodes it to float32.
    const decoded = await client.embeddings.create({ model: MODEL_ID, input });
    expect(decoded.data.map((item) => Array.from(item.embedding))).toEqual(
      floats.data.map((item) => Array.from(Float32Array.from(item.embedding))),
    );
  });

  it('refuses a request without the token (401)', async () => {
    const anonymous = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'not-the-token', maxRetries: 0 });
    await expect(anonymous.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const response = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
  });

  it('refuses an unknown model (404) and an installed model that is not loaded (409)', async () => {
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [question] })).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const conflict = client.chat.completions.create({ model: OTHER_ID, messages: [question] });
    await expect(conflict).rejects.toBeInstanceOf(OpenAI.ConflictError);
    await expect(conflict).rejects.toThrow(/load it in CodeSage first/i);
  });

  it('refuses an invalid body (400)', async () => {
    const invalid = client.chat.completions.create({ model: MODEL_ID, messages: [question], temperature: 7 });
    await expect(invalid).rejects.toBeInstanceOf(OpenAI.BadRequestError);
    await expect(invalid).rejects.toMatchObject({ param: 'temperature', type: 'invalid_request_error' });
  });

  it('answers 503 telling the user to load a model once none is loaded', async () => {
    await engine.unloadModel();
    const chat = client.chat.completions.create({ model: MODEL_ID, messages: [question] });
    await expect(chat).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(chat).rejects.toMatchObject({ status: 503, code: 'no_model_loaded' });
    await expect(chat).rejects.toThrow(/load .* in CodeSage/i);
    await expect(client.embeddings.create({ model: MODEL_ID, input: 'x' })).rejects.toMatchObject({ status: 503 });
    // Listing still works: it is how a client finds out what to ask the user to load.
    expect((await client.models.list()).data).toHaveLength(2);
  });
});
