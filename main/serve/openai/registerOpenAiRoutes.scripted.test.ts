// The OpenAI-compatible routes over a scripted engine: behaviour a real model cannot be steered
// into on cue (stop sequences mid-chunk, failures before and after the first token, a client that
// leaves mid-answer), the model-selection rules, and OpenAI's error shapes. The same routes over
// the real LlmEngine are tested in registerOpenAiRoutes.test.ts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { startApiServer } from '../ApiServer';
import type { ApiServer } from '../ApiServer';
import { createTestServices } from '../../testing/createTestServices';
import type { TestServices } from '../../testing/createTestServices';
import { registerOpenAiRoutes } from './registerOpenAiRoutes';
import { ScriptedOpenAiEngine, scriptedModel } from './ScriptedOpenAiEngine';

const coder = scriptedModel('coder-q4.gguf', { name: 'Coder' });
const other = scriptedModel('other-q8.gguf');
const broken = scriptedModel('broken.gguf', { problem: 'The file is truncated.' });

let ctx: TestServices;
let server: ApiServer;
let engine: ScriptedOpenAiEngine;
let client: OpenAI;

beforeAll(async () => {
  ctx = await createTestServices();
  engine = new ScriptedOpenAiEngine();
  server = await startApiServer({
    dispatcher: ctx.services.dispatcher,
    events: ctx.services.events,
    staticDir: null,
    routes: (app) => registerOpenAiRoutes(app, { engine, library: engine, defaultMaxTokens: 77 }),
  });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: server.token, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
  await ctx.cleanup();
});

beforeEach(() => {
  engine.installed = [coder, other, broken];
  engine.load(coder);
  engine.answer = { chunks: ['Hello', ' world'] };
  engine.requests.length = 0;
});

function post(path: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json', ...headers },
    body,
  });
}

async function statusOf(
  promise: Promise<unknown>,
): Promise<{ status: number | undefined; code: string | null | undefined; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return { status: error.status as number | undefined, code: error.code, message: error.message };
    throw error;
  }
  throw new Error('Expected the call to fail.');
}

describe('OpenAI-compatible API over a scripted engine', () => {
  it('turns system, developer and text-part messages into one engine request with OpenAI defaults', async () => {
    await client.chat.completions.create({
      model: 'Coder',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: 'Use TypeScript.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Hi ' },
            { type: 'text', text: 'there' },
          ],
        },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Again' },
      ],
    });
    expect(engine.requests[0]).toEqual({
      systemPrompt: 'Be brief.\n\nUse TypeScript.',
      messages: [
        { role: 'user', content: 'Hi there' },
        { role: 'assistant', content: 'Hello.' },
        { role: 'user', content: 'Again' },
      ],
      temperature: 1,
      topP: 1,
      maxTokens: 77,
      seed: null,
    });
  });

  it('passes sampling settings, prefers max_completion_tokens, and treats top_p 0 as greedy', async () => {
    await client.chat.completions.create({
      model: 'coder-q4',
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.3,
      top_p: 0.9,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- clients built for OpenAI still send it
      max_tokens: 50,
      max_completion_tokens: 20,
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated by OpenAI, honoured here
      seed: 42,
    });
    await client.chat.completions.create({
      model: 'coder-q4.gguf',
      messages: [{ role: 'user', content: 'x' }],
      top_p: 0,
      max_completion_tokens: 9,
    });
    expect(engine.requests.map(({ temperature, topP, maxTokens, seed }) => ({ temperature, topP, maxTokens, seed }))).toEqual([
      { temperature: 0.3, topP: 0.9, maxTokens: 20, seed: 42 },
      { temperature: 0, topP: 1, maxTokens: 9, seed: null },
    ]);
  });

  it('reports finish_reason length when the answer hit max_tokens', async () => {
    engine.answer = { chunks: ['a', 'b'], stopReason: 'maxTokens' };
    const completion = await client.chat.completions.create({ model: coder.id, messages: [{ role: 'user', content: 'x' }] });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage).toEqual({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 });
  });

  it('ends the answer before a stop sequence split across chunks, and stops generating there', async () => {
    engine.answer = { chunks: ['Hello', ' wor', 'ld EN', 'D and more', ' never sent'], hang: true };
    const completion = await client.chat.completions.create({
      model: coder.id,
      messages: [{ role: 'user', content: 'x' }],
      stop: ['END', '###'],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello world ');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(await engine.lastGeneration).toBe(true);

    const stream = await client.chat.completions.create({
      model: coder.id,
      messages: [{ role: 'user', content: 'x' }],
      stop: 'END',
      stream: true,
    });
    const deltas: string[] = [];
    let finish: string | null = null;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      if (choice?.delta.content) deltas.push(choice.delta.content);
      finish = choice?.finish_reason ?? finish;
    }
    // The held-back "EN" never reaches the client, not even as a delta taken back later.
    expect(deltas).toEqual(['Hello', ' wor', 'ld ']);
    expect(finish).toBe('stop');
  });

  it('sends a held-back tail that turned out not to be a stop sequence', async () => {
    engine.answer = { chunks: ['Hello EN', 'TER'] };
    const completion = await client.chat.completions.create({ model: coder.id, messages: [{ role: 'user', content: 'x' }], stop: 'END' });
    expect(completion.choices[0]?.message.content).toBe('Hello ENTER');
  });

  it('streams role first, content deltas, finish_reason, usage, then [DONE]', async () => {
    const response = await post(
      '/v1/chat/completions',
      JSON.stringify({
        model: coder.id,
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
        stream_options: { include_usage: true },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const events = (await response.text()).split('\n\n').filter((event) => event !== '');
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, '')) as Record<string, unknown>);
    expect(chunks.map((chunk) => chunk.choices)).toEqual([
      [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { content: 'Hello' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: { content: ' world' }, logprobs: null, finish_reason: null }],
      [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
      [],
    ]);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0]?.object).toBe('chat.completion.chunk');
  });

  it('stops generating when a streaming client disconnects', async () => {
    engine.answer = { chunks: ['thinking'], hang: true };
    const response = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: coder.id, messages: [{ role: 'user', content: 'x' }], stream: true }),
    );
    // Read the first event, then hang up.
    const reader = response.body?.getReader();
    expect(reader).toBeDefined();
    await reader?.read();
    await reader?.cancel();
    expect(await engine.lastGeneration).toBe(true);
  });

  it('stops generating when a non-streaming client disconnects', async () => {
    engine.answer = { chunks: ['thinking'], hang: true };
    const abort = new AbortController();
    const pending = fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: coder.id, messages: [{ role: 'user', content: 'x' }] }),
      signal: abort.signal,
    });
    await expect.poll(() => engine.requests.length, { timeout: 10_000 }).toBe(1);
    abort.abort();
    await expect(pending).rejects.toThrow();
    expect(await engine.lastGeneration).toBe(true);
  });

  it('refuses an answer that would come from a model loaded while the request waited', async () => {
    engine.answer = { chunks: ['from', ' other'], chunkDelayMs: 100 };
    const pending = statusOf(client.chat.completions.create({ model: coder.id, messages: [{ role: 'user', content: 'x' }], stream: true }));
    await expect.poll(() => engine.requests.length, { timeout: 10_000 }).toBe(1);
    engine.load(other);
    expect(await pending).toMatchObject({ status: 409, code: 'model_changed' });
    expect(await engine.lastGeneration).toBe(true);
  });

  it('answers an engine failure before the first token with a 500, and after it with an error event', async () => {
    engine.answer = { chunks: ['a'], failAfter: { chunks: 0, error: new Error('The context is full') } };
    const early = await statusOf(
      client.chat.completions.create({ model: coder.id, messages: [{ role: 'user', content: 'x' }], stream: true }),
    );
    expect(early.status).toBe(500);
    expect(early.message).toMatch(/The context is full/);

    engine.answer = { chunks: ['a', 'b'], failAfter: { chunks: 1, error: new Error('llama.cpp crashed') } };
    const stream = await client.chat.completions.create({ model: coder.id, messages: [{ role: 'user', content: 'x' }], stream: true });
    const seen: string[] = [];
    const late = await statusOf(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    );
    expect(seen.join('')).toBe('a');
    expect(late.status).toBeUndefined();
    expect(late.message).toMatch(/llama\.cpp crashed/);
  });

  it('refuses an installed model that is not the loaded one with 409 and says to load it in CodeSage', async () => {
    const refused = await statusOf(client.chat.completions.create({ model: other.id, messages: [{ role: 'user', content: 'x' }] }));
    expect(refused).toMatchObject({ status: 409, code: 'model_not_loaded' });
    expect(refused.message).toMatch(/load it in CodeSage first/i);
    expect(engine.requests).toHaveLength(0);
  });

  it('distinguishes unknown (404), unusable (409), loading (503) and nothing loaded (503)', async () => {
    expect(await statusOf(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }))).toMatchObject({
      status: 404,
      code: 'model_not_found',
    });
    expect(await statusOf(client.embeddings.create({ model: broken.id, input: 'x' }))).toMatchObject({
      status: 409,
      code: 'model_unusable',
    });
    engine.current = { status: 'loading', modelId: coder.id, progress: 0.5 };
    expect(await statusOf(client.chat.completions.create({ model: coder.id, messages: [{ role: 'user', content: 'x' }] }))).toMatchObject({
      status: 503,
      code: 'model_loading',
    });
    engine.current = { status: 'idle' };
    const idle = await post('/v1/chat/completions', JSON.stringify({ model: coder.id, messages: [{ role: 'user', content: 'x' }] }));
    expect(idle.status).toBe(503);
    // OpenAI clients retry 5xx unless told not to; loading a model is up to the user.
    expect(idle.headers.get('x-should-retry')).toBe('false');
    expect(await idle.json()).toMatchObject({ error: { type: 'server_error', code: 'no_model_loaded', param: null } });
    expect(engine.requests).toHaveLength(0);
  });

  it('lists usable installed models and the loaded one, and retrieves one by id', async () => {
    engine.installed = [other, broken];
    const listed = await client.models.list();
    expect(listed.data.map((model) => model.id)).toEqual([coder.id, other.id]);
    expect(listed.data[0]).toEqual({ id: coder.id, object: 'model', created: 0, owned_by: 'codesage' });
    expect((await client.models.retrieve(other.id)).id).toBe(other.id);
    expect(await statusOf(client.models.retrieve('nope.gguf'))).toMatchObject({ status: 404 });
  });

  it('refuses parameters it cannot honour with a 400 naming them', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['n', { n: 2 }],
      ['tools', { tools: [{ type: 'function', function: { name: 'f' } }] }],
      ['response_format', { response_format: { type: 'json_object' } }],
      ['logprobs', { logprobs: true }],
      ['frequency_penalty', { frequency_penalty: 0.5 }],
    ];
    for (const [param, extra] of cases) {
      const response = await post(
        '/v1/chat/completions',
        JSON.stringify({ model: coder.id, messages: [{ role: 'user', content: 'x' }], ...extra }),
      );
      expect(response.status, param).toBe(400);
      expect(await response.json()).toMatchObject({ error: { param, code: 'unsupported_parameter', type: 'invalid_request_error' } });
    }
    // Defaults that change nothing are fine.
    const fine = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: coder.id, messages: [{ role: 'user', content: 'x' }], n: 1, presence_penalty: 0, tools: [], user: 'me' }),
    );
    expect(fine.status).toBe(200);
  });

  it('answers malformed requests with OpenAI-shaped 400s that name the parameter', async () => {
    const badRole = await post('/v1/chat/completions', JSON.stringify({ model: coder.id, messages: [{ role: 'tool', content: 'x' }] }));
    expect(badRole.status).toBe(400);
    expect(await badRole.json()).toMatchObject({ error: { param: 'messages[0].role', type: 'invalid_request_error' } });

    const image = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: coder.id, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }),
    );
    expect(image.status).toBe(400);

    const lastAssistant = await post(
      '/v1/chat/completions',
      JSON.stringify({
        model: coder.id,
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: 'y' },
        ],
      }),
    );
    expect(await lastAssistant.json()).toMatchObject({ error: { param: 'messages' } });

    const notJson = await post('/v1/chat/completions', '{"model":');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_json', type: 'invalid_request_error' } });

    const unknownRoute = await post('/v1/completions', '{}');
    expect(unknownRoute.status).toBe(404);
    expect(await unknownRoute.json()).toMatchObject({ error: { code: 'unknown_url' } });
  });

  it("answers the gate's refusals in OpenAI's error shape", async () => {
    const response = await fetch(`${server.url}/v1/models`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { type: 'authentication_error', code: 'invalid_api_key', param: null } });
    const foreign = await fetch(`${server.url}/v1/models`, {
      headers: { authorization: `Bearer ${server.token}`, origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({
      error: { type: 'permission_error', message: expect.stringMatching(/evil\.example/) as unknown },
    });
  });

  it('encodes embeddings as floats or base64, checks dimensions, and refuses token arrays', async () => {
    const floats = await client.embeddings.create({ model: coder.id, input: ['ab', 'cde'], encoding_format: 'float' });
    // The official client asks for base64 by default and decodes it itself.
    const decoded = await client.embeddings.create({ model: coder.id, input: ['ab', 'cde'] });
    expect(engine.embedded.at(-1)).toEqual(['ab', 'cde']);
    expect(floats.data.map((item) => item.index)).toEqual([0, 1]);
    expect(decoded.data.map((item) => Array.from(item.embedding))).toEqual(
      floats.data.map((item) => Array.from(Float32Array.from(item.embedding))),
    );
    expect(floats.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
    expect(floats.model).toBe(coder.id);

    expect(await statusOf(client.embeddings.create({ model: coder.id, input: 'x', dimensions: 3 }))).toMatchObject({
      status: 400,
      code: 'unsupported_value',
    });
    expect(await statusOf(client.embeddings.create({ model: coder.id, input: [[1, 2, 3]] }))).toMatchObject({
      status: 400,
      code: 'unsupported_parameter',
    });
    expect(await statusOf(client.embeddings.create({ model: coder.id, input: ['a', ''] }))).toMatchObject({ status: 400 });
  });
});
