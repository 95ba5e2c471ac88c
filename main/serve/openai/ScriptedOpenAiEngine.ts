// Test support: an OpenAiEngine whose answers are scripted chunk by chunk, for what a real model
// cannot be made to do on cue (fail mid-answer, write a stop sequence, hang until the client leaves).
// The real engine is tested through the same routes in registerOpenAiRoutes.test.ts.
import { setTimeout as delay } from 'node:timers/promises';
import type { InstalledModel, LlmState, LoadedModel } from '../../../common/llm/llmSchema';
import type {
  OpenAiEmbedResult,
  OpenAiEngine,
  OpenAiGenerateCallbacks,
  OpenAiGenerateRequest,
  OpenAiGenerateResult,
  OpenAiModelLibrary,
} from './OpenAiEngine';

export interface ScriptedAnswer {
  readonly chunks: readonly string[];
  readonly stopReason?: 'endOfTurn' | 'maxTokens';
  /** Throws this after writing that many chunks. */
  readonly failAfter?: { readonly chunks: number; readonly error: Error };
  /** After the chunks, waits until aborted (a model that never stops). */
  readonly hang?: boolean;
  readonly chunkDelayMs?: number;
}

export function scriptedModel(id: string, overrides: Partial<InstalledModel> = {}): InstalledModel {
  return {
    id,
    name: id.replace(/\.gguf$/, ''),
    path: `/nonexistent/${id}`,
    sizeBytes: 1,
    architecture: 'llama',
    contextLength: 2048,
    problem: null,
    ...overrides,
  };
}

export function loadedModel(model: InstalledModel): LoadedModel {
  return {
    id: model.id,
    name: model.name,
    path: model.path,
    contextSize: 2048,
    trainContextSize: 2048,
    gpuLayers: 0,
    backend: 'cpu',
    chatWrapper: 'ChatMLChatWrapper',
  };
}

export class ScriptedOpenAiEngine implements OpenAiEngine, OpenAiModelLibrary {
  current: LlmState = { status: 'idle' };
  installed: InstalledModel[] = [];
  answer: ScriptedAnswer = { chunks: ['Hello', ' world'] };
  dimensions = 4;
  readonly requests: OpenAiGenerateRequest[] = [];
  readonly embedded: string[][] = [];
  /** Resolves with true when a generation saw its signal abort, false when it ran to the end. */
  lastGeneration: Promise<boolean> = Promise.resolve(false);

  state(): LlmState {
    return this.current;
  }

  list(): Promise<InstalledModel[]> {
    return Promise.resolve(this.installed);
  }

  load(model: InstalledModel): void {
    this.current = { status: 'ready', model: loadedModel(model) };
  }

  generate(request: OpenAiGenerateRequest, callbacks: OpenAiGenerateCallbacks): Promise<OpenAiGenerateResult> {
    this.requests.push(request);
    const run = this.run(request, callbacks);
    this.lastGeneration = run.then(
      (result) => result.stopReason === 'stopped',
      () => callbacks.signal?.aborted === true,
    );
    return run;
  }

  embed(texts: string[]): Promise<OpenAiEmbedResult> {
    this.embedded.push(texts);
    const embeddings = texts.map((text, index) =>
      Array.from({ length: this.dimensions }, (_, dimension) => (text.length + index) / (dimension + 1) - 0.25),
    );
    return Promise.resolve({ embeddings, promptTokens: texts.reduce((sum, text) => sum + text.split(' ').length, 0) });
  }

  private async run(request: OpenAiGenerateRequest, { onTextChunk, signal }: OpenAiGenerateCallbacks): Promise<OpenAiGenerateResult> {
    const { chunks, failAfter, hang, chunkDelayMs = 0 } = this.answer;
    let text = '';
    let written = 0;
    const result = (stopReason: OpenAiGenerateResult['stopReason']): OpenAiGenerateResult => ({
      text,
      stopReason,
      metrics: {
        promptTokens: request.messages.length * 10,
        completionTokens: written,
        timeToFirstTokenMs: 1,
        tokensPerSecond: 100,
        backend: 'cpu',
        model: 'scripted',
      },
    });
    for (const chunk of chunks) {
      if (failAfter?.chunks === written) throw failAfter.error;
      if (chunkDelayMs > 0) await delay(chunkDelayMs);
      if (signal?.aborted === true) return result('stopped');
      text += chunk;
      written++;
      onTextChunk?.(chunk);
    }
    if (failAfter?.chunks === written) throw failAfter.error;
    if (hang === true) {
      await new Promise<void>((resolve) => {
        if (signal === undefined) return;
        if (signal.aborted) resolve();
        else
          signal.addEventListener(
            'abort',
            () => {
              resolve();
            },
            { once: true },
          );
      });
      return result('stopped');
    }
    if (signal?.aborted === true) return result('stopped');
    return result(this.answer.stopReason ?? 'endOfTurn');
  }
}
