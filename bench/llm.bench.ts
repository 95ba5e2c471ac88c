// `npm run bench:llm`: what CodeSage's layers cost on top of llama.cpp. The same generated GGUF,
// prompt, seed and greedy sampling run through (a) node-llama-cpp directly (LlamaModel, context and
// LlamaChatSession with the same chat wrapper and threads), (b) LlmEngine.generate and (c) the
// OpenAI-compatible HTTP server streaming to the official `openai` client, interleaved in one run.
// Prints JSON with median tokens/s and time to first token per path, and the ratios to raw.
//
// Every path is timed the same way from outside: TTFT from the call to the first text chunk,
// tokens/s as (tokens − 1) / (last chunk − first chunk). All three reuse their context between
// repetitions (the prompt prefix stays cached, as in a real chat), so TTFT is mostly overhead
// plus the last prompt token; the HTTP server and client share this process's event loop.
// llama.cpp's threads spin while they wait for each other, so any other load on the machine (see
// loadAverage in the output) slows every path a lot and unevenly: compare runs on an idle machine.
// BENCH_THREADS overrides the thread count (default: physical cores), BENCH_REPETITIONS the count.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { LlamaChatSession, resolveChatWrapper } from 'node-llama-cpp';
import { physicalCoreCount } from '../native/cpu/physicalCoreCount';
import { loadLlama } from '../native/llama/loadLlama';
import { startApiServer } from '../main/serve/ApiServer';
import { registerOpenAiRoutes } from '../main/serve/openai/registerOpenAiRoutes';
import { LlmEngine } from '../main/services/llm/LlmEngine';
import { ModelLibrary } from '../main/services/models/ModelLibrary';
import { createTestServices } from '../main/testing/createTestServices';
import { writeTinyLlamaGguf } from '../main/testing/gguf/writeTinyLlamaGguf';

const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 5);
const WARMUP = 1;
const MAX_TOKENS = 64;
const SEED = 42;
const CONTEXT_SIZE = 2048;
const SYSTEM_PROMPT = 'You are a concise coding assistant.';
const PROMPT = 'Explain, step by step, how binary search finds an item in a sorted array, and when it should not be used.';
const MODEL_ID = 'bench-llama.gguf';
const TARGETS = { engineTokensPerSecondRatioMin: 0.97, ttftOverheadMaxMs: 15 };

interface Sample {
  readonly ttftMs: number;
  readonly tokensPerSecond: number;
  readonly totalMs: number;
  readonly completionTokens: number;
  readonly text: string;
}

type Path = 'raw' | 'engine' | 'http';

/** Times one generation from outside; `run` calls `chunk` for each piece of text and resolves with the token count. */
async function measure(run: (chunk: (text: string) => void) => Promise<number>): Promise<Sample> {
  const seen = { text: '', first: Number.NaN, last: Number.NaN };
  const start = performance.now();
  const completionTokens = await run((piece) => {
    const now = performance.now();
    if (seen.text === '') seen.first = now;
    seen.last = now;
    seen.text += piece;
  });
  const end = performance.now();
  if (seen.text === '') throw new Error('The model wrote nothing; the benchmark needs an answer to time.');
  const { text, first, last } = seen;
  return {
    ttftMs: first - start,
    tokensPerSecond: completionTokens > 1 && last > first ? (completionTokens - 1) / ((last - first) / 1000) : 0,
    totalMs: end - start,
    completionTokens,
    text,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return value ?? Number.NaN;
}

const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

function summarize(samples: readonly Sample[]) {
  const range = (values: number[]): [number, number] => [round(Math.min(...values)), round(Math.max(...values))];
  const tokensPerSecond = samples.map((sample) => sample.tokensPerSecond);
  const ttft = samples.map((sample) => sample.ttftMs);
  return {
    repetitions: samples.length,
    medianTokensPerSecond: round(median(tokensPerSecond)),
    medianTtftMs: round(median(ttft)),
    medianTotalMs: round(median(samples.map((sample) => sample.totalMs))),
    minMaxTokensPerSecond: range(tokensPerSecond),
    minMaxTtftMs: range(ttft),
    completionTokens: [...new Set(samples.map((sample) => sample.completionTokens))],
  };
}

const folder = await mkdtemp(join(tmpdir(), 'codesage-bench-llm-'));
const ctx = await createTestServices();
const threads = Number(process.env.BENCH_THREADS ?? physicalCoreCount());
const loadBefore = loadavg()[0] ?? 0;
const llama = await loadLlama({ preference: 'cpu' });
const cleanups: (() => Promise<void>)[] = [];
try {
  // Bigger than the test model so timings mean something; no end-of-turn bias, so every answer
  // runs to MAX_TOKENS and all paths time the same amount of work.
  const info = await writeTinyLlamaGguf(join(folder, MODEL_ID), {
    seed: 2024,
    embeddingLength: 256,
    blockCount: 4,
    headCount: 8,
    headCountKv: 4,
    feedForwardLength: 1024,
    contextLength: CONTEXT_SIZE,
    name: 'CodeSage Bench Llama',
  });

  // (a) node-llama-cpp directly, on the same llama.cpp runtime.
  const rawModel = await llama.llama.loadModel({ modelPath: info.path, gpuLayers: 0 });
  cleanups.push(() => rawModel.dispose());
  const rawContext = await rawModel.createContext({ contextSize: CONTEXT_SIZE, threads });
  const rawWrapper = resolveChatWrapper(rawModel);
  const rawSession = new LlamaChatSession({ contextSequence: rawContext.getSequence(), chatWrapper: rawWrapper });

  // (b) LlmEngine, and (c) the HTTP server in front of it.
  const library = new ModelLibrary({ folder });
  const engine = new LlmEngine({ getLlama: () => Promise.resolve(llama), contextThreads: threads });
  cleanups.push(() => engine.dispose());
  const loaded = await engine.loadModel(await library.resolve(MODEL_ID), { contextSize: CONTEXT_SIZE, gpuLayers: 0 });
  const server = await startApiServer({
    dispatcher: ctx.services.dispatcher,
    events: ctx.services.events,
    staticDir: null,
    routes: (app) => registerOpenAiRoutes(app, { engine, library }),
  });
  cleanups.push(() => server.close());
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: server.token, maxRetries: 0 });

  const runs: Record<Path, () => Promise<Sample>> = {
    raw: () =>
      measure(async (chunk) => {
        let tokens = 0;
        rawSession.setChatHistory([{ type: 'system', text: SYSTEM_PROMPT }]);
        await rawSession.promptWithMeta(PROMPT, {
          maxTokens: MAX_TOKENS,
          temperature: 0,
          topP: 1,
          seed: SEED,
          onToken: (generated) => {
            tokens += generated.length;
          },
          onTextChunk: chunk,
        });
        return tokens;
      }),
    engine: () =>
      measure(async (chunk) => {
        const result = await engine.generate(
          {
            systemPrompt: SYSTEM_PROMPT,
            messages: [{ role: 'user', content: PROMPT }],
            temperature: 0,
            topP: 1,
            maxTokens: MAX_TOKENS,
            seed: SEED,
          },
          { onTextChunk: chunk },
        );
        return result.metrics.completionTokens;
      }),
    http: () =>
      measure(async (chunk) => {
        const stream = await client.chat.completions.create({
          model: MODEL_ID,
          messages: [
            { role: 'system', content: SYSTEM_PROMPT },
            { role: 'user', content: PROMPT },
          ],
          temperature: 0,
          top_p: 1,
          max_completion_tokens: MAX_TOKENS,
          // eslint-disable-next-line @typescript-eslint/no-deprecated -- deprecated by OpenAI, honoured by CodeSage
          seed: SEED,
          stream: true,
          stream_options: { include_usage: true },
        });
        let tokens = 0;
        for await (const event of stream) {
          const content = event.choices[0]?.delta.content;
          if (content) chunk(content);
          tokens = event.usage?.completion_tokens ?? tokens;
        }
        return tokens;
      }),
  };

  const paths: Path[] = ['raw', 'engine', 'http'];
  const samples: Record<Path, Sample[]> = { raw: [], engine: [], http: [] };
  for (const path of paths) for (let i = 0; i < WARMUP; i++) await runs[path]();
  // Interleaved, and in a rotating order, so drift (thermals, other load) and any effect of
  // running right after another path spread over all paths alike.
  for (let i = 0; i < REPETITIONS; i++) {
    for (let j = 0; j < paths.length; j++) {
      const path = paths[(i + j) % paths.length] ?? 'raw';
      samples[path].push(await runs[path]());
    }
  }

  const raw = summarize(samples.raw);
  const viaEngine = summarize(samples.engine);
  const viaHttp = summarize(samples.http);
  const texts = new Set(paths.flatMap((path) => samples[path].map((sample) => sample.text)));
  const engineRatio = viaEngine.medianTokensPerSecond / raw.medianTokensPerSecond;
  const engineTtftOverhead = viaEngine.medianTtftMs - raw.medianTtftMs;
  const httpTtftOverhead = viaHttp.medianTtftMs - raw.medianTtftMs;
  console.log(
    JSON.stringify(
      {
        bench: 'llm',
        node: process.versions.node,
        backend: llama.report.backend,
        threads,
        physicalCores: physicalCoreCount(),
        loadAverage: { before: round(loadBefore), after: round(loadavg()[0] ?? 0) },
        model: {
          file: MODEL_ID,
          sizeMB: round(info.sizeBytes / 1024 ** 2),
          parameters: info.parameterCount,
          embeddingLength: info.embeddingLength,
          blockCount: info.blockCount,
          contextSize: loaded.contextSize,
          chatWrapper: { raw: rawWrapper.wrapperName, engine: loaded.chatWrapper },
        },
        request: { maxTokens: MAX_TOKENS, temperature: 0, seed: SEED, warmup: WARMUP },
        sameTextOnAllPaths: texts.size === 1,
        results: { raw, engine: viaEngine, http: viaHttp },
        engineVsRawTokensPerSecond: round(engineRatio, 3),
        httpVsRawTokensPerSecond: round(viaHttp.medianTokensPerSecond / raw.medianTokensPerSecond, 3),
        engineTtftOverheadMs: round(engineTtftOverhead),
        httpTtftOverheadMs: round(httpTtftOverhead),
        targets: TARGETS,
        targetsMet: {
          engineTokensPerSecond: engineRatio >= TARGETS.engineTokensPerSecondRatioMin,
          engineTtftOverhead: engineTtftOverhead < TARGETS.ttftOverheadMaxMs,
          httpTtftOverhead: httpTtftOverhead < TARGETS.ttftOverheadMaxMs,
        },
      },
      null,
      2,
    ),
  );
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await llama.dispose();
  await ctx.cleanup();
  await rm(folder, { recursive: true, force: true });
}
