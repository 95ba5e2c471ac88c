// Classifies chat messages for the router. It wraps IntentModel with what routing needs and what a
// model alone does not promise: it never fails the caller for a model problem. A missing or
// corrupt model file, a broken onnxruntime or an execution provider that fails at run time all
// become `problem` (one sentence a user can act on) and every message gets the safe default
// result (general, uncertain), which decideRoute sends to ordinary chat.
//
// Input rules, so that no message can make classification throw or stall:
// - Empty or blank text → label general, uncertain, with the scores the model gives empty features.
// - Text over MAX_INTENT_INPUT_CHARS (1 MiB of UTF-16 code units) → only its first
//   LONG_INPUT_HEAD_CHARS (64 KiB) are looked at; the featurizer reads less than that anyway.
// - Binary content (NUL and other control characters, lone surrogates) → those code units become
//   spaces and the printable rest is classified; nothing printable means the empty-text result.
//
// Execution provider: CPU by default. The model is one [1 × 2^15] · [2^15 × 5] MatMul (~0.2 M
// multiply-adds, tens of microseconds on a CPU core); a GPU provider would add a host-to-device copy
// and a kernel launch per call, cost seconds and hundreds of MB of VRAM to start (which the chat
// model needs), and gain nothing. `preferredProviders: 'auto'` asks for CUDA, DirectML or CoreML
// when this onnxruntime build has them, for machines where the CPU is the scarcer resource; a
// provider that fails to start or to run falls back to CPU.
import { normalizeIntentText } from '../../../common/intent/featurizeIntent';
import { INTENT_LABELS } from '../../../common/intent/intentLabels';
import type { IntentLabel } from '../../../common/intent/intentLabels';
import { DEFAULT_INTENT_UNCERTAINTY_THRESHOLD } from '../../../common/intent/intentModelMetadata';
import type { IntentResult } from '../../../common/router/routeSchema';
import { throwIfAborted } from '../../../native/abort/throwIfAborted';
import { AbortError } from '../../../native/errors/AbortError';
import { OnnxModelLoadError } from '../../../native/errors/OnnxModelLoadError';
import type { OnnxProvider } from '../../../native/onnx/createOnnxSession';
import type { OnnxRuntime } from '../../../native/onnx/loadOnnxRuntime';
import { IntentModel } from './IntentModel';
import type { IntentPrediction } from './IntentModel';

/** Texts longer than this (UTF-16 code units) are cut to LONG_INPUT_HEAD_CHARS before anything else. */
export const MAX_INTENT_INPUT_CHARS = 1024 * 1024;
export const LONG_INPUT_HEAD_CHARS = 64 * 1024;

/** GPU providers first, in the order they are tried by 'auto'; CPU always ends the list. */
export const AUTO_INTENT_PROVIDERS: readonly OnnxProvider[] = ['cuda', 'dml', 'coreml', 'cpu'];

export interface IntentServiceOptions {
  readonly modelPath: string;
  /** Defaults to ['cpu'] (see the module comment); 'auto' = AUTO_INTENT_PROVIDERS. */
  readonly preferredProviders?: readonly OnnxProvider[] | 'auto';
  readonly signal?: AbortSignal;
  /** Replaces loadOnnxRuntime, for tests. */
  readonly loadRuntime?: () => Promise<OnnxRuntime>;
}

export interface ClassifyOptions {
  readonly signal?: AbortSignal;
}

export interface IntentServiceState {
  readonly modelPath: string;
  readonly modelVersion: string | null;
  /** The execution provider in use; null when no model runs. */
  readonly provider: OnnxProvider | null;
  /** Why a preferred provider is not used (e.g. CUDA missing); null when the first choice works. */
  readonly providerFallback: string | null;
  /** Why intent routing is off; null when the model runs. */
  readonly problem: string | null;
  readonly uncertaintyThreshold: number;
}

// C0 controls but tab, newline and carriage return; DEL and C1 controls; lone surrogates.
const NON_PRINTABLE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export class IntentService {
  #model: IntentModel | null;
  #state: IntentServiceState;
  readonly #loadRuntime: (() => Promise<OnnxRuntime>) | undefined;
  #disposed = false;

  private constructor(model: IntentModel | null, state: IntentServiceState, loadRuntime: (() => Promise<OnnxRuntime>) | undefined) {
    this.#model = model;
    this.#state = state;
    this.#loadRuntime = loadRuntime;
  }

  /**
   * Loads the model. Never rejects for a model or provider problem (the service then answers the
   * safe default and says why in `state.problem`); rejects only with AbortError when `signal` aborts.
   */
  static async create(options: IntentServiceOptions): Promise<IntentService> {
    const what = 'Loading the intent model';
    throwIfAborted(options.signal, what);
    const providers = options.preferredProviders === 'auto' ? AUTO_INTENT_PROVIDERS : (options.preferredProviders ?? ['cpu']);
    try {
      const model = await IntentModel.load(options.modelPath, {
        preferredProviders: providers,
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.loadRuntime === undefined ? {} : { loadRuntime: options.loadRuntime }),
      });
      return new IntentService(model, stateOf(model), options.loadRuntime);
    } catch (error) {
      if (error instanceof AbortError) throw error;
      throwIfAborted(options.signal, what);
      const state: IntentServiceState = {
        modelPath: options.modelPath,
        modelVersion: null,
        provider: null,
        providerFallback: null,
        problem: loadProblem(options.modelPath, error),
        uncertaintyThreshold: DEFAULT_INTENT_UNCERTAINTY_THRESHOLD,
      };
      return new IntentService(null, state, options.loadRuntime);
    }
  }

  get state(): IntentServiceState {
    return this.#state;
  }

  async classify(text: string, options: ClassifyOptions = {}): Promise<IntentResult> {
    const [result] = await this.classifyBatch([text], options);
    if (result === undefined) throw new Error('The intent model returned no result for one message.');
    return result;
  }

  /** One result per text, in order; runs the model once per 64 texts. */
  async classifyBatch(texts: readonly string[], options: ClassifyOptions = {}): Promise<IntentResult[]> {
    if (this.#disposed) throw new Error('This intent service has been disposed; create a new one to classify.');
    throwIfAborted(options.signal, 'Classifying the intent');
    if (texts.length === 0) return [];
    const prepared = texts.map(prepareIntentText);
    const predictions = await this.#predict(prepared, options);
    const maxChars = this.#model?.metadata.featurizer.maxChars;
    if (predictions === null || maxChars === undefined) return texts.map(() => this.#safeDefault());
    // Blank means "no features" (what the featurizer sees), not just whitespace: zero-width spaces count as blank too.
    return predictions.map((prediction, i) => this.#result(prediction, normalizeIntentText(prepared[i] ?? '', maxChars) === ''));
  }

  async #predict(texts: readonly string[], options: ClassifyOptions): Promise<IntentPrediction[] | null> {
    const model = this.#model;
    if (model === null) return null;
    try {
      return await model.classify(texts, options);
    } catch (error) {
      if (error instanceof AbortError || this.#disposed) throw error;
      // A GPU provider can load a model and still fail to run it (driver reset, out of memory):
      // try once more on CPU before giving up on intent routing.
      if (model.provider !== 'cpu') {
        const retried = await this.#reloadOnCpu(model, error);
        if (retried !== null) return this.#predict(texts, options);
      }
      await this.#fail(
        model,
        `The intent model failed while classifying (${errorMessage(error)}). Messages are routed as general chat until CodeSage is restarted.`,
      );
      return null;
    }
  }

  async #reloadOnCpu(failed: IntentModel, cause: unknown): Promise<IntentModel | null> {
    await failed.dispose();
    this.#model = null;
    try {
      const model = await IntentModel.load(failed.path, {
        preferredProviders: ['cpu'],
        ...(this.#loadRuntime === undefined ? {} : { loadRuntime: this.#loadRuntime }),
      });
      if (this.#disposed) {
        await model.dispose();
        return null;
      }
      this.#model = model;
      const reason = `${providerName(failed.provider)} failed while classifying (${errorMessage(cause)}); using CPU.`;
      this.#state = { ...stateOf(model), providerFallback: reason };
      return model;
    } catch (error) {
      await this.#fail(null, loadProblem(failed.path, error));
      return null;
    }
  }

  async #fail(model: IntentModel | null, problem: string): Promise<void> {
    await model?.dispose();
    this.#model = null;
    this.#state = { ...this.#state, provider: null, modelVersion: null, problem };
  }

  #result(prediction: IntentPrediction, blank: boolean): IntentResult {
    const threshold = this.#state.uncertaintyThreshold;
    const scores = { ...prediction.scores };
    if (blank) {
      return {
        label: 'general',
        confidence: scores.general,
        scores,
        uncertain: true,
        modelVersion: this.#state.modelVersion,
        problem: null,
      };
    }
    return {
      label: prediction.label,
      confidence: prediction.confidence,
      scores,
      uncertain: prediction.confidence < threshold,
      modelVersion: this.#state.modelVersion,
      problem: null,
    };
  }

  #safeDefault(): IntentResult {
    const scores = Object.fromEntries(INTENT_LABELS.map((label) => [label, 0])) as Record<IntentLabel, number>;
    return { label: 'general', confidence: 0, scores, uncertain: true, modelVersion: null, problem: this.#state.problem };
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const model = this.#model;
    this.#model = null;
    await model?.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

/**
 * What the model sees of a message: at most LONG_INPUT_HEAD_CHARS of an over-long text, with control
 * characters and lone surrogates turned into spaces (tab, newline and carriage return are kept).
 */
export function prepareIntentText(text: string): string {
  let head = text;
  if (head.length > MAX_INTENT_INPUT_CHARS) {
    const end = isHighSurrogate(head.charCodeAt(LONG_INPUT_HEAD_CHARS - 1)) ? LONG_INPUT_HEAD_CHARS - 1 : LONG_INPUT_HEAD_CHARS;
    head = head.slice(0, end);
  }
  return head.replace(NON_PRINTABLE, ' ');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function stateOf(model: IntentModel): IntentServiceState {
  return {
    modelPath: model.path,
    modelVersion: model.metadata.modelVersion,
    provider: model.provider,
    providerFallback: model.fallbackReason,
    problem: null,
    uncertaintyThreshold: model.metadata.uncertaintyThreshold ?? DEFAULT_INTENT_UNCERTAINTY_THRESHOLD,
  };
}

function loadProblem(path: string, error: unknown): string {
  const reason = error instanceof OnnxModelLoadError ? error.reason : errorMessage(error);
  return (
    `The intent model ${path} could not be loaded: ${reason}. Messages are routed as general chat; ` +
    'reinstall CodeSage to restore the bundled model (in a source checkout: npm run train:intent).'
  );
}

function providerName(provider: OnnxProvider): string {
  return { cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML', cpu: 'CPU' }[provider];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
