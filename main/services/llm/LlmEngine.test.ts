// The engine against the real node-llama-cpp on CPU, with tiny generated GGUF models: loading,
// switching, cancelling, the named load errors, streamed answers and their metrics, stopping,
// seeded sampling, history trimming and embeddings.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { LlamaModel } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InstalledModel, LlmState } from '../../../common/llm/llmSchema';
import { AbortError } from '../../../native/errors/AbortError';
import { loadLlama } from '../../../native/llama/loadLlama';
import type { LoadedLlama } from '../../../native/llama/loadLlama';
import { writeNonGgufFile } from '../../testing/gguf/writeNonGgufFile';
import { writeTinyLlamaGguf } from '../../testing/gguf/writeTinyLlamaGguf';
import type { TinyLlamaOptions } from '../../testing/gguf/writeTinyLlamaGguf';
import { writeTruncatedCopy } from '../../testing/gguf/writeTruncatedCopy';
import { InvalidModelFileError } from './errors/InvalidModelFileError';
import { LlamaUnavailableError } from './errors/LlamaUnavailableError';
import { ModelFileMissingError } from './errors/ModelFileMissingError';
import { ModelTooLargeError } from './errors/ModelTooLargeError';
import { NoModelLoadedError } from './errors/NoModelLoadedError';
import { LlmEngine } from './LlmEngine';
import type { GenerateRequest } from './LlmEngine';

let dir: string;
let loaded: LoadedLlama;
const llamaLog: string[] = [];
let tiny: InstalledModel;
let other: InstalledModel;
let ending: InstalledModel;
let longContext: InstalledModel;
const engines: LlmEngine[] = [];

async function installed(file: string, options: TinyLlamaOptions = {}): Promise<InstalledModel> {
  const info = await writeTinyLlamaGguf(join(dir, file), options);
  return {
    id: file,
    name: options.name ?? 'CodeSage Tiny Llama',
    path: info.path,
    sizeBytes: info.sizeBytes,
    architecture: 'llama',
    contextLength: info.contextLength,
    problem: null,
  };
}

function fileModel(path: string): InstalledModel {
  return { id: basename(path), name: basename(path, '.gguf'), path, sizeBytes: 0, architecture: null, contextLength: null, problem: null };
}

/** One thread per context: on the 2-core CI box a second spin-waiting thread makes timings erratic. */
function createEngine(getLlama: () => Promise<LoadedLlama | null> = () => Promise.resolve(loaded)): LlmEngine {
  const engine = new LlmEngine({ getLlama, contextThreads: 1 });
  engines.push(engine);
  return engine;
}

function recordStates(engine: LlmEngine): LlmState[] {
  const states: LlmState[] = [];
  engine.onDidChangeState((state) => states.push(state));
  return states;
}

/** Keeps every LlamaModel the engine loads, to check what it disposed, and counts the attempts. */
function spyOnLoadedModels(): LlamaModel[] & { attempts: number } {
  const models = Object.assign<LlamaModel[], { attempts: number }>([], { attempts: 0 });
  const loadModel = loaded.llama.loadModel.bind(loaded.llama);
  vi.spyOn(loaded.llama, 'loadModel').mockImplementation(async (options) => {
    models.attempts++;
    const model = await loadModel(options);
    models.push(model);
    return model;
  });
  return models;
}

function request(content: string, overrides: Partial<GenerateRequest> = {}): GenerateRequest {
  return {
    systemPrompt: 'You are a code reviewer.',
    messages: [{ role: 'user', content }],
    temperature: 0,
    topP: 1,
    maxTokens: 8,
    seed: null,
    ...overrides,
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codesage-llm-'));
  loaded = await loadLlama({ preference: 'cpu', onLog: (_level, message) => llamaLog.push(message) });
  tiny = await installed('tiny.gguf');
  other = await installed('other.gguf', { seed: 2, name: 'Other Tiny Llama' });
  ending = await installed('ending.gguf', { seed: 3, name: 'Terse Tiny Llama', endOfTurnLogitBias: 50 });
  longContext = await installed('long-context.gguf', { seed: 4, contextLength: 1_048_576 });
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(engines.splice(0).map((engine) => engine.dispose()));
});
afterAll(async () => {
  await loaded.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('LlmEngine loading', () => {
  it('loads with progress states and reports the resolved context size, GPU layers and chat wrapper', async () => {
    const engine = createEngine();
    const states = recordStates(engine);
    const model = await engine.loadModel(tiny);

    expect(model).toEqual({
      id: 'tiny.gguf',
      name: 'CodeSage Tiny Llama',
      path: tiny.path,
      contextSize: 2048, // 'auto': as large as fits, capped by the training context
      trainContextSize: 2048,
      gpuLayers: 0,
      backend: 'cpu',
      chatWrapper: 'ChatML',
    });
    expect(engine.state()).toEqual({ status: 'ready', model });
    expect(states.at(-1)).toEqual({ status: 'ready', model });
    const progress = states.flatMap((state) => (state.status === 'loading' ? [state.progress] : []));
    expect(progress[0]).toBe(0);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.some((value) => value > 0 && value < 1)).toBe(true);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(states.every((state) => state.status === 'ready' || (state.status === 'loading' && state.modelId === 'tiny.gguf'))).toBe(true);
  });

  it('honours an explicit context size', async () => {
    const engine = createEngine();
    await expect(engine.loadModel(tiny, { contextSize: 512, gpuLayers: 0 })).resolves.toMatchObject({ contextSize: 512, gpuLayers: 0 });
  });

  it('unloads the first model (disposing it) before loading the next', async () => {
    const models = spyOnLoadedModels();
    const engine = createEngine();
    await engine.loadModel(tiny, { contextSize: 256 });
    const states = recordStates(engine);
    await engine.loadModel(ending, { contextSize: 256 });

    expect(models).toHaveLength(2);
    expect(models[0]?.disposed).toBe(true);
    expect(models[1]?.disposed).toBe(false);
    expect(states[0]).toEqual({ status: 'loading', modelId: 'ending.gguf', progress: 0 });
    expect(engine.state()).toMatchObject({ status: 'ready', model: { id: 'ending.gguf' } });
    // Answers now come from the second model, which ends every turn at once.
    const result = await engine.generate(request('Hello'));
    expect(result).toMatchObject({ text: '', stopReason: 'endOfTurn', metrics: { model: 'Terse Tiny Llama', completionTokens: 0 } });

    await expect(engine.unloadModel()).resolves.toBe(true);
    expect(models[1]?.disposed).toBe(true);
    expect(engine.state()).toEqual({ status: 'idle' });
    await expect(engine.unloadModel()).resolves.toBe(false);
  });

  it('cancels a load in progress, ends idle with nothing left loaded, and loads again afterwards', async () => {
    const models = spyOnLoadedModels();
    const engine = createEngine();
    expect(engine.cancelLoad()).toBe(false);
    const cancelled: boolean[] = [];
    // Cancel from inside the load, on its first progress report from node-llama-cpp.
    const subscription = engine.onDidChangeState((state) => {
      if (state.status === 'loading' && state.progress > 0 && cancelled.length === 0) cancelled.push(engine.cancelLoad());
    });
    const error = await engine.loadModel(tiny, { contextSize: 256 }).catch((e: unknown) => e);
    subscription.dispose();

    expect(cancelled).toEqual([true]);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toBe('Loading "CodeSage Tiny Llama" was cancelled.');
    expect(engine.state()).toEqual({ status: 'idle' });
    // node-llama-cpp either gave up mid-load (nothing came back) or finished the tiny model before it
    // saw the signal; either way nothing may stay loaded.
    expect(models.attempts).toBe(1);
    expect(models.every((model) => model.disposed)).toBe(true);
    await expect(engine.generate(request('Hello'))).rejects.toThrow(NoModelLoadedError);

    await expect(engine.loadModel(tiny, { contextSize: 256 })).resolves.toMatchObject({ id: 'tiny.gguf' });
    expect(engine.state().status).toBe('ready');
  });

  it('leaves the loaded model alone when a load is cancelled before it starts', async () => {
    const engine = createEngine();
    await engine.loadModel(tiny, { contextSize: 256 });
    const before = engine.state();
    await expect(engine.loadModel(other, { signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
    expect(engine.state()).toBe(before);
    // cancelLoad right after the call: the load has not reached node-llama-cpp yet.
    const load = engine.loadModel(other);
    expect(engine.cancelLoad()).toBe(true);
    await expect(load).rejects.toThrow(AbortError);
    expect(engine.state()).toBe(before);
    await expect(engine.generate(request('Hello'))).resolves.toMatchObject({ metrics: { model: 'CodeSage Tiny Llama' } });

    // A newer load cancels an older one that has not got going.
    const older = engine.loadModel(ending, { contextSize: 256 });
    const newer = engine.loadModel(other, { contextSize: 256 });
    await expect(older).rejects.toThrow(AbortError);
    await expect(newer).resolves.toMatchObject({ id: 'other.gguf', name: 'Other Tiny Llama' });
    expect(engine.state()).toMatchObject({ status: 'ready', model: { id: 'other.gguf' } });
  });

  it('names missing, non-GGUF and truncated files, fails the state, and stays usable', async () => {
    const engine = createEngine();
    const notGguf = join(dir, 'not-a-model.gguf');
    await writeNonGgufFile(notGguf);
    const truncated = join(dir, 'truncated.gguf');
    await writeTruncatedCopy(tiny.path, truncated, tiny.sizeBytes - 1000);

    const missing = await engine.loadModel(fileModel(join(dir, 'gone.gguf'))).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ModelFileMissingError);
    expect((missing as Error).message).toMatch(
      /^Cannot load "gone": its file .*gone\.gguf no longer exists\..*download the model again\.$/,
    );
    expect(engine.state()).toEqual({
      status: 'failed',
      modelId: 'gone.gguf',
      errorName: 'ModelFileMissingError',
      message: (missing as Error).message,
    });

    const wrong = await engine.loadModel(fileModel(notGguf)).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(InvalidModelFileError);
    expect(wrong).toMatchObject({ reason: 'notGguf', path: notGguf });
    expect((wrong as Error).message).toMatch(/^Cannot load "not-a-model": This is not a GGUF model file/);
    expect(engine.state()).toMatchObject({ status: 'failed', errorName: 'InvalidModelFileError' });

    const cut = await engine.loadModel(fileModel(truncated)).catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(InvalidModelFileError);
    expect(cut).toMatchObject({ reason: 'truncated' });
    expect((cut as Error).message).toBe(
      `Cannot load "truncated": The file is truncated (${tiny.sizeBytes - 1000} of ${tiny.sizeBytes} bytes): the download did not finish; download it again.`,
    );

    await expect(engine.loadModel(tiny, { contextSize: 256 })).resolves.toMatchObject({ id: 'tiny.gguf' });
    expect(engine.state().status).toBe('ready');
  });

  it('says a context that does not fit in memory is too large, with the estimate and what to change', async () => {
    const engine = createEngine();
    // A 64 MB RAM cap stands in for a small machine: the 1M-token context needs about 256 MB.
    await loaded.llama.setRamCap(64 * 1024 * 1024);
    let error: unknown;
    try {
      error = await engine.loadModel(longContext, { contextSize: 1_000_000 }).catch((e: unknown) => e);
    } finally {
      await loaded.llama.setRamCap(null);
    }
    expect(error).toBeInstanceOf(ModelTooLargeError);
    const tooLarge = error as ModelTooLargeError;
    expect(tooLarge.message).toMatch(
      /^A context of 1000000 tokens for "CodeSage Tiny Llama" does not fit in this machine's memory \(it needs about [\d.]+ [MG]B of RAM\)\./,
    );
    expect(tooLarge.message).toMatch(/smaller context size, fewer GPU layers, or a smaller quantization/);
    expect(tooLarge.estimate.estimatedBytes?.ram).toBeGreaterThan(64 * 1024 * 1024);
    expect(tooLarge.details[0]).toMatch(/too large for the available RAM/);
    expect(engine.state()).toMatchObject({ status: 'failed', modelId: 'long-context.gguf', errorName: 'ModelTooLargeError' });

    await expect(engine.loadModel(longContext, { contextSize: 512 })).resolves.toMatchObject({
      contextSize: 512,
      trainContextSize: 1_048_576,
    });
  });

  it('explains that llama.cpp is unavailable when compute detection failed', async () => {
    const engine = createEngine(() => Promise.resolve(null));
    await expect(engine.loadModel(tiny)).rejects.toThrow(LlamaUnavailableError);
    expect(engine.state()).toMatchObject({ status: 'failed', errorName: 'LlamaUnavailableError' });
  });

  it('refuses answers and embeddings without a model', async () => {
    const engine = createEngine();
    await expect(engine.generate(request('Hello'))).rejects.toThrow(/No model is loaded/);
    await expect(engine.embed(['Hello'])).rejects.toThrow(NoModelLoadedError);
  });
});

describe('LlmEngine answers', () => {
  let engine: LlmEngine;
  let model: LlamaModel | undefined;

  beforeAll(async () => {
    const models = spyOnLoadedModels();
    engine = new LlmEngine({ getLlama: () => Promise.resolve(loaded), contextThreads: 1 });
    await engine.loadModel(tiny, { contextSize: 512 });
    model = models[0];
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await engine.dispose();
  });

  it('streams chunks that add up to the text, and fills the metrics', async () => {
    const chunks: string[] = [];
    const result = await engine.generate(request('Review this function', { maxTokens: 12 }), { onTextChunk: (text) => chunks.push(text) });

    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(result.text);
    expect(result.text.trim()).not.toBe('');
    expect(result.stopReason).toBe('maxTokens');
    expect(result.historyTrimmed).toBe(false);
    const { metrics } = result;
    expect(metrics.completionTokens).toBe(12);
    expect(metrics.tokensPerSecond).toBeGreaterThan(0);
    expect(metrics.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(metrics).toMatchObject({ backend: 'cpu', model: 'CodeSage Tiny Llama' });
    // The prompt as the ChatML template renders it, plus the BOS token.
    const prompt =
      '<|im_start|>system\nYou are a code reviewer.<|im_end|>\n<|im_start|>user\nReview this function<|im_end|>\n<|im_start|>assistant\n';
    expect(metrics.promptTokens).toBe(1 + (model?.tokenize(prompt, true).length ?? 0));
    // The whole prompt counts, even the part the previous answer left evaluated in the context.
    const again = await engine.generate(request('Review this function', { maxTokens: 12 }));
    expect(again.metrics.promptTokens).toBe(metrics.promptTokens);
  });

  it('stops on the signal after the first chunks and keeps the partial text', async () => {
    const controller = new AbortController();
    const chunks: string[] = [];
    const result = await engine.generate(request('Explain this code', { maxTokens: 200 }), {
      signal: controller.signal,
      onTextChunk: (text) => {
        chunks.push(text);
        if (chunks.length === 3) controller.abort();
      },
    });
    expect(result.stopReason).toBe('stopped');
    expect(result.text).toBe(chunks.join(''));
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(result.metrics.completionTokens).toBeLessThan(200);

    // A signal that is already aborted stops before anything is generated.
    await expect(engine.generate(request('Explain'), { signal: AbortSignal.abort() })).resolves.toMatchObject({
      text: '',
      stopReason: 'stopped',
    });
  });

  it('samples reproducibly with a seed', async () => {
    const sampled = (seed: number) => engine.generate(request('Write a test', { temperature: 0.9, topP: 0.95, maxTokens: 16, seed }));
    const first = await sampled(42);
    const second = await sampled(42);
    const otherSeed = await sampled(7);
    expect(second.text).toBe(first.text);
    expect(otherSeed.text).not.toBe(first.text);
  });

  it('continues a conversation from the request history', async () => {
    const withHistory = request('And now?', {
      messages: [
        { role: 'user', content: 'First question' },
        { role: 'assistant', content: 'First answer' },
        { role: 'user', content: 'And now?' },
      ],
    });
    const fresh = await engine.generate(request('And now?'));
    const continued = await engine.generate(withHistory);
    expect(continued.metrics.promptTokens).toBeGreaterThan(fresh.metrics.promptTokens);
    expect(continued.historyTrimmed).toBe(false);
    await expect(engine.generate(request('x', { messages: [{ role: 'assistant', content: 'no question' }] }))).rejects.toThrow(RangeError);
  });

  it('runs answers one at a time, in order', async () => {
    const order: string[] = [];
    const [a, b] = await Promise.all([
      engine.generate(request('First', { maxTokens: 6 }), { onTextChunk: () => order.push('a') }),
      engine.generate(request('Second', { maxTokens: 6 }), { onTextChunk: () => order.push('b') }),
    ]);
    expect(a.stopReason).toBe('maxTokens');
    expect(b.stopReason).toBe('maxTokens');
    expect(order.join('')).toMatch(/^a+b+$/);
  });

  it('embeds texts as vectors of the model embedding size', async () => {
    const { embeddings, promptTokens } = await engine.embed(['function add(a, b) { return a + b; }', 'Hello world', '']);
    expect(embeddings).toHaveLength(3);
    for (const vector of embeddings) expect(vector).toHaveLength(64);
    expect(embeddings[0]).not.toEqual(embeddings[1]);
    expect(embeddings[0]?.some((value) => value !== 0)).toBe(true);
    expect(embeddings[2]?.every((value) => value === 0)).toBe(true);
    expect(promptTokens).toBeGreaterThan(5);
    await expect(engine.embed(['Hello'], { signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
  });
});

describe('LlmEngine with a small context', () => {
  let engine: LlmEngine;

  beforeAll(async () => {
    engine = new LlmEngine({ getLlama: () => Promise.resolve(loaded), contextThreads: 1 });
    await engine.loadModel(tiny, { contextSize: 256 });
  });
  afterAll(async () => {
    await engine.dispose();
  });

  const turn = (index: number) => [
    { role: 'user' as const, content: `Question ${index}: is the loop in function number ${index} correct and fast enough?` },
    { role: 'assistant' as const, content: `Answer ${index}: the loop is correct, but it copies the array on every pass.` },
  ];

  it('drops the oldest turns of a conversation longer than the context, keeping the question', async () => {
    const messages = [
      ...Array.from({ length: 20 }, (_, index) => turn(index)).flat(),
      { role: 'user' as const, content: 'Final question?' },
    ];
    const result = await engine.generate(request('', { messages, maxTokens: 4 }));
    expect(result.historyTrimmed).toBe(true);
    expect(result.metrics.promptTokens).toBeLessThanOrEqual(256 - 4);
    expect(result.metrics.promptTokens).toBeGreaterThan(256 / 2);
    expect(result.metrics.completionTokens).toBe(4);

    const short = await engine.generate(
      request('', { messages: [...turn(1), { role: 'user', content: 'Final question?' }], maxTokens: 4 }),
    );
    expect(short.historyTrimmed).toBe(false);
  });

  it('notices when the answer outgrows the context and node-llama-cpp shifts the history out', async () => {
    // The prompt (about 130 tokens) fits with room for 64 tokens of answer, but the answer runs to
    // 200: the context shifts mid-answer.
    const messages = [...turn(1), { role: 'user' as const, content: 'Final question?' }];
    const result = await engine.generate(request('', { messages, maxTokens: 200 }));
    expect(result.metrics.promptTokens).toBeLessThanOrEqual(256 - 64);
    expect(result.metrics.completionTokens).toBe(200);
    expect(result.stopReason).toBe('maxTokens');
    expect(result.historyTrimmed).toBe(true);
  });

  it('stops the answer in flight when the model is unloaded', async () => {
    let chunks = 0;
    let unloading: Promise<boolean> | null = null;
    const result = await engine.generate(request('Explain', { maxTokens: 200 }), {
      onTextChunk: () => {
        chunks++;
        if (chunks === 2) unloading = engine.unloadModel();
      },
    });
    expect(result.stopReason).toBe('stopped');
    expect(result.metrics.completionTokens).toBeLessThan(200);
    await expect(unloading).resolves.toBe(true);
    expect(engine.state()).toEqual({ status: 'idle' });
  });
});

afterAll(() => {
  // llama.cpp warnings are collected rather than printed; none are expected from these models.
  expect(llamaLog.filter((line) => /error/i.test(line))).toEqual([]);
});
