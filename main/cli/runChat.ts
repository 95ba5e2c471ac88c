// `codesage chat --model file.gguf "prompt"`: one answer from a local model, streamed to stdout
// (metrics to stderr), or with --json the final text and metrics as one JSON object. Ctrl+C stops
// the answer and keeps what was written.
import { basename, resolve } from 'node:path';
import { statSync } from 'node:fs';
import type { ComputePreference } from '../../common/settings/settingsSchema';
import type { AnswerMetrics } from '../../common/llm/llmSchema';
import { loadLlama } from '../../native/llama/loadLlama';
import { LlmEngine } from '../services/llm/LlmEngine';
import type { CliIo } from './createProgram';

export interface ChatCliOptions {
  readonly model: string;
  readonly system: string;
  readonly temperature: number;
  readonly topP: number;
  readonly maxTokens: number;
  readonly seed: number | null;
  readonly contextSize: number | 'auto';
  readonly gpuLayers: number | 'auto';
  readonly gpu: ComputePreference;
  readonly json: boolean;
}

export function formatMetrics(metrics: AnswerMetrics): string {
  const parts = [`${String(metrics.completionTokens)} tokens`];
  if (metrics.tokensPerSecond !== null) parts.push(`${metrics.tokensPerSecond.toFixed(1)} tok/s`);
  if (metrics.timeToFirstTokenMs !== null) parts.push(`first token ${String(Math.round(metrics.timeToFirstTokenMs))} ms`);
  parts.push(`prompt ${String(metrics.promptTokens)} tokens`, metrics.backend.toUpperCase(), metrics.model);
  return parts.join(' · ');
}

export async function runChat(prompt: string, options: ChatCliOptions, io: CliIo, signal: AbortSignal): Promise<number> {
  const path = resolve(options.model);
  let sizeBytes = 0;
  try {
    sizeBytes = statSync(path).size;
  } catch {
    io.err(`codesage chat: the model file ${path} does not exist. Pass the path of a .gguf file with --model.\n`);
    return 1;
  }
  const loaded = await loadLlama({ preference: options.gpu, signal });
  const engine = new LlmEngine({ getLlama: () => Promise.resolve(loaded) });
  try {
    await engine.loadModel(
      { id: basename(path), name: basename(path, '.gguf'), path, sizeBytes, architecture: null, contextLength: null, problem: null },
      { contextSize: options.contextSize, gpuLayers: options.gpuLayers, signal },
    );
    const result = await engine.generate(
      {
        systemPrompt: options.system,
        messages: [{ role: 'user', content: prompt }],
        temperature: options.temperature,
        topP: options.topP,
        maxTokens: options.maxTokens,
        seed: options.seed,
      },
      {
        signal,
        ...(options.json
          ? {}
          : {
              onTextChunk: (text: string) => {
                io.out(text);
              },
            }),
      },
    );
    if (options.json) {
      io.out(
        `${JSON.stringify({ text: result.text, stopReason: result.stopReason, historyTrimmed: result.historyTrimmed, metrics: result.metrics })}\n`,
      );
    } else {
      io.out('\n');
      io.err(`${result.stopReason === 'stopped' ? '[stopped] ' : ''}${formatMetrics(result.metrics)}\n`);
    }
    return 0;
  } catch (error) {
    io.err(`codesage chat: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await engine.dispose();
    await loaded.dispose();
  }
}
