// The local LLM engine: holds the one loaded GGUF model (with its chat context and, on demand, an
// embedding context), reports load progress as state, and answers chat requests one at a time with
// streamed text and metrics. Inference runs on llama.cpp's own threads; node-llama-cpp is imported
// lazily (about 0.6 s) so that building the app's services does not wait for it.
import type { ChatHistoryItem, ChatWrapper, LlamaContext, LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import type { LlamaChatSession } from 'node-llama-cpp';
import { Emitter } from '../../../common/base/Emitter';
import type { Event } from '../../../common/base/Emitter';
import type { AnswerMetrics, InstalledModel, LlmState, LoadedModel } from '../../../common/llm/llmSchema';
import type { ComputeBackend } from '../../../common/system/systemInfoSchema';
import { throwIfAborted } from '../../../native/abort/throwIfAborted';
import { AbortError } from '../../../native/errors/AbortError';
import type { LoadedLlama } from '../../../native/llama/loadLlama';
import { inspectGgufFile } from '../models/inspectGgufFile';
import { InvalidModelFileError } from './errors/InvalidModelFileError';
import { LlamaUnavailableError } from './errors/LlamaUnavailableError';
import { ModelFileMissingError } from './errors/ModelFileMissingError';
import { ModelTooLargeError } from './errors/ModelTooLargeError';
import type { ModelTooLargeDetails } from './errors/ModelTooLargeError';
import { NoModelLoadedError } from './errors/NoModelLoadedError';
import { fitChatHistory } from './fitChatHistory';
import { isContextWindowTrimmed } from './isContextWindowTrimmed';

type NodeLlamaCpp = typeof import('node-llama-cpp');

export interface LlmEngineOptions {
  /** The llama.cpp runtime (SystemService.getLlama); null when compute detection failed. */
  readonly getLlama: () => Promise<LoadedLlama | null>;
  /**
   * Threads each context evaluates with. Defaults to the runtime's report (physical cores); fewer
   * can be steadier on small machines, where llama.cpp's spin-waiting threads fight other work.
   */
  readonly contextThreads?: number;
  /** Context size of the embedding context (capped by the model's training context). Default 2048. */
  readonly embeddingContextSize?: number;
}

export interface LoadModelOptions {
  /** Layers to offload to the GPU; 'auto' (default) lets node-llama-cpp fit as many as memory allows. */
  readonly gpuLayers?: number | 'auto';
  /** Tokens the model sees at once; 'auto' (default) is as large as fits, up to the training context. */
  readonly contextSize?: number | 'auto';
  readonly signal?: AbortSignal;
}

export interface ChatMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

export interface GenerateRequest {
  readonly systemPrompt: string;
  /** Oldest first; the last one is the user's question. */
  readonly messages: readonly ChatMessage[];
  readonly temperature: number;
  readonly topP: number;
  readonly maxTokens: number;
  /** Same seed, same request, same model: same answer. null samples differently every time. */
  readonly seed: number | null;
}

export interface GenerateCallbacks {
  readonly onTextChunk?: (text: string) => void;
  /** Stops the answer; what was written so far is kept (stopReason 'stopped'). */
  readonly signal?: AbortSignal;
}

export interface GenerateResult {
  /** The answer; equal to the concatenation of the streamed chunks. */
  text: string;
  stopReason: 'endOfTurn' | 'maxTokens' | 'stopped';
  /**
   * promptTokens: the whole prompt the answer was generated from (system prompt, the turns kept,
   * the question and the template's framing, BOS included), even where the context still held part
   * of it from the previous answer and only the rest was evaluated. tokensPerSecond: the tokens
   * after the first, divided by the time from the first token to the last (null under two tokens).
   * timeToFirstTokenMs: from the generate call (queueing included) to the first generated token.
   */
  metrics: AnswerMetrics;
  /** Earlier messages were left out of (or cut from) the model's context to make room. */
  historyTrimmed: boolean;
}

export interface EmbedOptions {
  readonly signal?: AbortSignal;
}

export interface EmbedResult {
  embeddings: number[][];
  promptTokens: number;
}

interface ActiveModel {
  readonly installed: InstalledModel;
  readonly loaded: LoadedModel;
  readonly backend: ComputeBackend;
  readonly threads: number;
  readonly lib: NodeLlamaCpp;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly session: LlamaChatSession;
  readonly chatWrapper: ChatWrapper;
  /** Aborted on unload: stops running answers and embeddings. */
  readonly lifetime: AbortController;
  /** Answers and embeddings in flight, which unloading waits for. */
  readonly work: Set<Promise<unknown>>;
  embedding: { readonly context: Promise<LlamaEmbeddingContext>; readonly size: number } | null;
}

interface PendingLoad {
  readonly controller: AbortController;
}

const DEFAULT_EMBEDDING_CONTEXT_SIZE = 2048;
/** Share of the load progress bar the weights take; the context and chat template take the rest. */
const MODEL_PROGRESS_SHARE = 0.9;

export class LlmEngine implements AsyncDisposable {
  private current: LlmState = { status: 'idle' };
  private readonly changed = new Emitter<LlmState>();
  readonly onDidChangeState: Event<LlmState> = this.changed.event;

  private active: ActiveModel | null = null;
  private pendingLoad: PendingLoad | null = null;
  /** Loads and unloads run one after another. */
  private lifecycle: Promise<void> = Promise.resolve();
  /** Answers run one after another: the model has one context sequence. */
  private generations: Promise<void> = Promise.resolve();
  private disposal: Promise<void> | null = null;

  constructor(private readonly options: LlmEngineOptions) {}

  state(): LlmState {
    return this.current;
  }

  /**
   * Unloads the current model, then loads `model`. A newer call cancels an older one still loading;
   * a cancelled load rejects with AbortError and leaves the engine idle (or untouched, when it was
   * cancelled before it started). Any other failure leaves the state `failed`; the next load works.
   */
  async loadModel(model: InstalledModel, options: LoadModelOptions = {}): Promise<LoadedModel> {
    this.assertNotDisposed();
    // The latest choice is the one the user wants.
    this.pendingLoad?.controller.abort(new Error('Another model was chosen.'));
    const pending: PendingLoad = { controller: new AbortController() };
    this.pendingLoad = pending;
    const unlink = forwardAbort(options.signal, pending.controller);
    try {
      return await this.exclusive(() => this.load(model, options, pending.controller.signal));
    } finally {
      unlink();
      if (this.pendingLoad === pending) this.pendingLoad = null;
    }
  }

  /** Cancels the load in progress (or waiting to start); false when there is none. */
  cancelLoad(): boolean {
    const pending = this.pendingLoad;
    if (pending === null || pending.controller.signal.aborted) return false;
    pending.controller.abort(new Error('The load was cancelled.'));
    return true;
  }

  /** Stops answers in flight (they keep their text), frees the model; false when none was loaded. */
  async unloadModel(): Promise<boolean> {
    this.cancelLoad();
    return this.exclusive(async () => {
      const unloaded = await this.unloadActive();
      if (this.current.status !== 'idle') this.setState({ status: 'idle' });
      return unloaded;
    });
  }

  /** Answers the last user message of `request`, streaming text; queued behind earlier answers. */
  // async so that a bad request rejects rather than throws; the queueing before the first await
  // still happens synchronously, which keeps answers in call order.
  async generate(request: GenerateRequest, callbacks: GenerateCallbacks = {}): Promise<GenerateResult> {
    const calledAt = performance.now();
    this.assertNotDisposed();
    validateRequest(request);
    const activeAtCall = this.active;
    const { signal } = callbacks;
    let started = false;
    const run = this.generations.then(async () => {
      started = true;
      const active = this.active;
      if (active === null) throw new NoModelLoadedError(activeAtCall !== null ? 'unloaded' : this.noModelSituation());
      return track(active, this.answer(active, request, callbacks, calledAt));
    });
    this.generations = run.then(noop, noop);
    if (signal === undefined || activeAtCall === null) return await run;
    // Stopped while still waiting behind another answer: answer at once instead of after that one
    // finishes (its turn then ends immediately, as answer() honours an aborted signal).
    return await new Promise<GenerateResult>((resolve, reject) => {
      const onAbort = (): void => {
        // Once its turn has come, answer() itself stops and keeps the partial text.
        if (!started) resolve(stoppedBeforeStart(activeAtCall));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      run.then(resolve, reject).finally(() => {
        signal.removeEventListener('abort', onAbort);
      });
    });
  }

  /** One vector per text (the model's embedding size; an empty text gives zeros). */
  async embed(texts: readonly string[], options: EmbedOptions = {}): Promise<EmbedResult> {
    this.assertNotDisposed();
    const active = this.active;
    if (active === null) throw new NoModelLoadedError(this.noModelSituation());
    return track(active, this.embedWith(active, texts, options.signal));
  }

  /** Cancels loading, stops answers, frees the model; the engine cannot be used afterwards. */
  dispose(): Promise<void> {
    if (this.disposal !== null) return this.disposal;
    this.cancelLoad();
    this.disposal = this.exclusive(() => this.unloadActive())
      .then(() => this.generations)
      .finally(() => {
        this.changed.dispose();
      });
    return this.disposal;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  private async load(installed: InstalledModel, options: LoadModelOptions, signal: AbortSignal): Promise<LoadedModel> {
    const what = `Loading "${installed.name}"`;
    throwIfAborted(signal, what);
    let finished = false;
    let reported = 0;
    const progress = (value: number): void => {
      // Progress arrives from llama.cpp's thread asynchronously; late reports must not undo the outcome.
      const clamped = Math.min(1, Math.max(0, value));
      if (finished || (clamped - reported < 0.01 && clamped < 1 && reported !== 0)) return;
      reported = clamped;
      this.setState({ status: 'loading', modelId: installed.id, progress: clamped });
    };
    this.setState({ status: 'loading', modelId: installed.id, progress: 0 });
    try {
      await this.unloadActive();
      const llama = await this.options.getLlama();
      if (llama === null) throw new LlamaUnavailableError();
      throwIfAborted(signal, what);
      const inspection = await inspectGgufFile(installed.path, { signal });
      if (inspection.status === 'missing') throw new ModelFileMissingError(installed.name, installed.path);
      if (inspection.status === 'invalid') {
        throw new InvalidModelFileError(installed.name, installed.path, inspection.reason, inspection.problem);
      }
      throwIfAborted(signal, what);
      const lib = await import('node-llama-cpp');
      const active = await this.createActive(lib, llama, installed, options, signal, progress);
      finished = true;
      this.active = active;
      this.setState({ status: 'ready', model: active.loaded });
      return active.loaded;
    } catch (error) {
      finished = true;
      if (signal.aborted) {
        this.setState({ status: 'idle' });
        throw new AbortError(what, { cause: signal.reason });
      }
      const failure = error instanceof Error ? error : new Error(String(error));
      this.setState({ status: 'failed', modelId: installed.id, errorName: failure.name, message: failure.message });
      throw failure;
    }
  }

  private async createActive(
    lib: NodeLlamaCpp,
    llama: LoadedLlama,
    installed: InstalledModel,
    options: LoadModelOptions,
    signal: AbortSignal,
    progress: (value: number) => void,
  ): Promise<ActiveModel> {
    const what = `Loading "${installed.name}"`;
    let model: LlamaModel;
    try {
      model = await llama.llama.loadModel({
        modelPath: installed.path,
        gpuLayers: options.gpuLayers ?? 'auto',
        loadSignal: signal,
        onLoadProgress: (value) => {
          progress(value * MODEL_PROGRESS_SHARE);
        },
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw describeModelLoadFailure(lib, installed, error);
    }
    let context: LlamaContext | null = null;
    try {
      const threads = this.options.contextThreads ?? llama.report.threads;
      const contextSize = options.contextSize ?? 'auto';
      try {
        context = await model.createContext({ contextSize, threads, createSignal: signal });
      } catch (error) {
        if (signal.aborted) throw error;
        throw await describeContextFailure(lib, installed, model, 'context', typeof contextSize === 'number' ? contextSize : null, error);
      }
      progress(0.95);
      throwIfAborted(signal, what);
      // Resolved once per model: LlamaChatSession would otherwise redo it for every session, and
      // matching the model's Jinja template against the known wrappers takes 0.5-0.7 s of main-thread CPU.
      const chatWrapper = lib.resolveChatWrapper(model);
      throwIfAborted(signal, what);
      const session = new lib.LlamaChatSession({ contextSequence: context.getSequence(), chatWrapper, autoDisposeSequence: true });
      const trainContextSize = model.trainContextSize > 0 ? model.trainContextSize : null;
      return {
        installed,
        loaded: {
          id: installed.id,
          name: installed.name,
          path: installed.path,
          contextSize: context.contextSize,
          trainContextSize,
          gpuLayers: model.gpuLayers,
          backend: llama.report.backend,
          chatWrapper: chatWrapper.wrapperName,
        },
        backend: llama.report.backend,
        threads,
        lib,
        model,
        context,
        session,
        chatWrapper,
        lifetime: new AbortController(),
        work: new Set(),
        embedding: null,
      };
    } catch (error) {
      // Disposing the model disposes its context too.
      await model.dispose();
      throw error;
    }
  }

  /** Detaches the loaded model (so nothing new starts on it), stops its work and frees it. */
  private async unloadActive(): Promise<boolean> {
    const active = this.active;
    if (active === null) return false;
    this.active = null;
    if (this.current.status === 'ready') this.setState({ status: 'idle' });
    active.lifetime.abort(new Error('The model was unloaded.'));
    await Promise.allSettled([...active.work]);
    const embedding = active.embedding;
    if (embedding !== null) await embedding.context.then((context) => context.dispose()).catch(noop);
    active.session.dispose({ disposeSequence: true });
    await active.context.dispose();
    await active.model.dispose();
    return true;
  }

  private async answer(
    active: ActiveModel,
    request: GenerateRequest,
    callbacks: GenerateCallbacks,
    calledAt: number,
  ): Promise<GenerateResult> {
    const { lib, session, chatWrapper, model, context } = active;
    const signal = callbacks.signal === undefined ? active.lifetime.signal : AbortSignal.any([active.lifetime.signal, callbacks.signal]);
    const question = request.messages.at(-1)?.content ?? '';
    const system: ChatHistoryItem[] = request.systemPrompt.trim() === '' ? [] : [{ type: 'system', text: request.systemPrompt }];
    const turns = request.messages.slice(0, -1).map(toHistoryItem);
    // Room for the answer: up to maxTokens, but never more than a quarter of the context, so a large
    // maxTokens does not push the whole conversation out.
    const reserve = Math.max(1, Math.min(request.maxTokens, Math.floor(context.contextSize / 4)));
    const fitted = fitChatHistory({
      system,
      turns,
      question,
      maxPromptTokens: context.contextSize - reserve,
      countPromptTokens: (history, text) =>
        chatWrapper
          .generateContextState({
            chatHistory: [...lib.appendUserMessageToChatHistory([...history], text), { type: 'model', response: [] }],
          })
          .contextText.tokenize(model.tokenizer).length,
    });

    let streamed = '';
    let completionTokens = 0;
    let firstTokenAt: number | null = null;
    let lastTokenAt: number | null = null;
    const metrics = (): AnswerMetrics => ({
      promptTokens: fitted.promptTokens,
      completionTokens,
      timeToFirstTokenMs: firstTokenAt === null ? null : Math.max(0, firstTokenAt - calledAt),
      // The first token's time is latency, not speed: the rate counts the tokens after it.
      tokensPerSecond:
        firstTokenAt !== null && lastTokenAt !== null && lastTokenAt > firstTokenAt && completionTokens > 1
          ? (completionTokens - 1) / ((lastTokenAt - firstTokenAt) / 1000)
          : null,
      backend: active.backend,
      model: active.installed.name,
    });
    const stopped = (): GenerateResult => ({
      text: streamed,
      stopReason: 'stopped',
      metrics: metrics(),
      historyTrimmed: fitted.droppedMessages > 0,
    });
    // A function, not a property read: the signal changes under awaits, which TypeScript's narrowing ignores.
    const isStopped = (): boolean => signal.aborted;
    if (isStopped()) return stopped();

    session.setChatHistory(fitted.history);
    let result: Awaited<ReturnType<LlamaChatSession['promptWithMeta']>>;
    try {
      result = await session.promptWithMeta(question, {
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        topP: request.topP,
        ...(request.seed === null ? {} : { seed: request.seed }),
        signal,
        stopOnAbortSignal: true,
        onToken: (tokens) => {
          const now = performance.now();
          firstTokenAt ??= now;
          lastTokenAt = now;
          completionTokens += tokens.length;
        },
        onTextChunk: (text) => {
          streamed += text;
          callbacks.onTextChunk?.(text);
        },
      });
    } catch (error) {
      // An abort that lands before generation starts is thrown rather than reported as a stop.
      if (isStopped()) return stopped();
      throw error;
    }
    const shifted = isContextWindowTrimmed(session.getChatHistory(), session.getLastEvaluationContextWindow());
    return {
      text: result.responseText,
      stopReason: result.stopReason === 'abort' ? 'stopped' : result.stopReason === 'maxTokens' ? 'maxTokens' : 'endOfTurn',
      metrics: metrics(),
      historyTrimmed: fitted.droppedMessages > 0 || shifted,
    };
  }

  private async embedWith(active: ActiveModel, texts: readonly string[], userSignal: AbortSignal | undefined): Promise<EmbedResult> {
    const signal = userSignal === undefined ? active.lifetime.signal : AbortSignal.any([active.lifetime.signal, userSignal]);
    const what = 'Embedding';
    throwIfAborted(signal, what);
    const embedding = this.embeddingContextFor(active);
    const context = await embedding.context;
    const embeddings: number[][] = [];
    let promptTokens = 0;
    for (const [index, text] of texts.entries()) {
      throwIfAborted(signal, what);
      if (text === '') {
        embeddings.push(new Array<number>(active.model.embeddingVectorSize).fill(0));
        continue;
      }
      const tokens = context.calculateInputLength(text);
      if (tokens >= embedding.size) {
        throw new RangeError(
          `Text ${index + 1} is ${tokens} tokens long, more than the ${embedding.size} tokens the embedding context holds: split it into smaller chunks.`,
        );
      }
      promptTokens += tokens;
      embeddings.push([...(await context.getEmbeddingFor(text)).vector]);
    }
    return { embeddings, promptTokens };
  }

  /** Created on first use (most sessions never embed) and kept until the model is unloaded. */
  private embeddingContextFor(active: ActiveModel): NonNullable<ActiveModel['embedding']> {
    if (active.embedding !== null) return active.embedding;
    const { model, lib, installed, threads } = active;
    const size = Math.min(this.options.embeddingContextSize ?? DEFAULT_EMBEDDING_CONTEXT_SIZE, model.trainContextSize || Infinity);
    const context = model.createEmbeddingContext({ contextSize: size, threads }).catch(async (error: unknown) => {
      // Forget the failure so a later call can try again (e.g. after memory was freed).
      active.embedding = null;
      throw await describeContextFailure(lib, installed, model, 'embeddingContext', size, error);
    });
    active.embedding = { context, size };
    return active.embedding;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lifecycle.then(work);
    this.lifecycle = run.then(noop, noop);
    return run;
  }

  private noModelSituation(): 'loading' | 'none' {
    return this.current.status === 'loading' ? 'loading' : 'none';
  }

  private setState(state: LlmState): void {
    this.current = state;
    this.changed.fire(state);
  }

  private assertNotDisposed(): void {
    if (this.disposal !== null) throw new Error('The LLM engine has been shut down.');
  }
}

function noop(): void {
  // Keeps a chain going whatever the previous link did.
}

/** Registers `work` with the model so unloading waits for it. */
async function track<T>(active: ActiveModel, work: Promise<T>): Promise<T> {
  active.work.add(work);
  try {
    return await work;
  } finally {
    active.work.delete(work);
  }
}

function forwardAbort(signal: AbortSignal | undefined, controller: AbortController): () => void {
  if (signal === undefined) return noop;
  const onAbort = (): void => {
    controller.abort(signal.reason);
  };
  if (signal.aborted) {
    onAbort();
    return noop;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => {
    signal.removeEventListener('abort', onAbort);
  };
}

function toHistoryItem(message: ChatMessage): ChatHistoryItem {
  return message.role === 'user' ? { type: 'user', text: message.content } : { type: 'model', response: [message.content] };
}

function validateRequest(request: GenerateRequest): void {
  if (request.messages.at(-1)?.role !== 'user') throw new RangeError('The last message of a generate request must be the user’s.');
  if (!Number.isInteger(request.maxTokens) || request.maxTokens < 1) {
    throw new RangeError(`maxTokens must be a positive integer, got ${request.maxTokens}.`);
  }
}

function describeModelLoadFailure(lib: NodeLlamaCpp, installed: InstalledModel, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof lib.InsufficientMemoryError) {
    return new ModelTooLargeError(installed.name, { part: 'model', contextSize: null, estimatedBytes: null }, message, { cause: error });
  }
  // The header and size were checked, so llama.cpp refused the contents: usually an architecture
  // newer than this llama.cpp, sometimes damage in the tensor data.
  if (/failed to load model/i.test(message)) {
    const architecture = installed.architecture === null ? '' : ` (architecture "${installed.architecture}")`;
    return new InvalidModelFileError(
      installed.name,
      installed.path,
      'rejected',
      `llama.cpp could not load this model${architecture}. It may be made for a newer llama.cpp than this CodeSage has, or be damaged; ` +
        'update CodeSage, download the model again, or pick another model.',
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(message);
}

async function describeContextFailure(
  lib: NodeLlamaCpp,
  installed: InstalledModel,
  model: LlamaModel,
  part: ModelTooLargeDetails['part'],
  contextSize: number | null,
  error: unknown,
): Promise<Error> {
  const message = error instanceof Error ? error.message : String(error);
  // node-llama-cpp refuses up front when its estimate does not fit; llama.cpp's own allocation
  // failure only says "Failed to create context", which is a memory problem in practice.
  if (!(error instanceof lib.InsufficientMemoryError) && !/failed to create context/i.test(message)) {
    return error instanceof Error ? error : new Error(message);
  }
  let estimatedBytes: ModelTooLargeDetails['estimatedBytes'] = null;
  if (contextSize !== null) {
    try {
      const estimate = await model.fileInsights.estimateContextResourceRequirementsV2({
        contextSize,
        modelGpuLayers: model.gpuLayers,
        isEmbeddingContext: part === 'embeddingContext',
      });
      estimatedBytes = { ram: estimate.cpuRam, vram: estimate.gpuVram };
    } catch {
      // The estimate only adds detail to the message.
    }
  }
  return new ModelTooLargeError(installed.name, { part, contextSize, estimatedBytes }, message, { cause: error });
}

/** The result of an answer stopped before it started: no text, nothing generated. */
function stoppedBeforeStart(active: ActiveModel): GenerateResult {
  return {
    text: '',
    stopReason: 'stopped',
    historyTrimmed: false,
    metrics: {
      promptTokens: 0,
      completionTokens: 0,
      timeToFirstTokenMs: null,
      tokensPerSecond: null,
      backend: active.backend,
      model: active.installed.name,
    },
  };
}
