// A loaded intent classifier: an ONNX model written by exportIntentOnnx, run by onnxruntime. It
// reads the labels and featurizer params from the model's own metadata, featurizes a batch of
// messages with the shared featurizer and returns each message's label, confidence and scores.
import { readFile } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { featurizeIntent } from '../../../common/intent/featurizeIntent';
import { INTENT_LABELS } from '../../../common/intent/intentLabels';
import type { IntentLabel } from '../../../common/intent/intentLabels';
import {
  INTENT_INDICES_INPUT,
  INTENT_METADATA_KEY,
  INTENT_OUTPUT_NAME,
  INTENT_VALUES_INPUT,
  intentModelMetadataSchema,
} from '../../../common/intent/intentModelMetadata';
import type { IntentModelMetadata } from '../../../common/intent/intentModelMetadata';
import { readOnnxMetadata } from '../../../common/intent/readOnnxMetadata';
import { throwIfAborted } from '../../../native/abort/throwIfAborted';
import { OnnxModelLoadError } from '../../../native/errors/OnnxModelLoadError';
import { createOnnxSession } from '../../../native/onnx/createOnnxSession';
import type { CreateOnnxSessionOptions, OnnxProvider, OnnxSessionHandle } from '../../../native/onnx/createOnnxSession';
import { loadOnnxRuntime } from '../../../native/onnx/loadOnnxRuntime';
import type { OnnxRuntime } from '../../../native/onnx/loadOnnxRuntime';

export interface LoadIntentModelOptions {
  readonly signal?: AbortSignal;
  /** Defaults to CPU: the model is a single small MatMul, which a GPU round trip would only slow down. */
  readonly preferredProviders?: CreateOnnxSessionOptions['preferredProviders'];
  /** Replaces loadOnnxRuntime, for tests. */
  readonly loadRuntime?: () => Promise<OnnxRuntime>;
}

export interface ClassifyIntentOptions {
  readonly signal?: AbortSignal;
}

export interface IntentPrediction {
  readonly label: IntentLabel;
  /** The calibrated probability of `label`. */
  readonly confidence: number;
  /** Every intent's probability; 0 for intents this model does not know. */
  readonly scores: Readonly<Record<IntentLabel, number>>;
}

// Rows per onnxruntime run. Rows are padded to the longest message of the run, and the graph
// gathers [rows × longest × labels] floats (about 20 MB for 64 messages of 4000 characters), so
// big batches are split.
const MAX_ROWS_PER_RUN = 64;

export class IntentModel {
  readonly path: string;
  readonly metadata: IntentModelMetadata;
  /** The execution provider onnxruntime uses, and why a preferred one was not used. */
  readonly provider: OnnxProvider;
  readonly fallbackReason: string | null;
  readonly #handle: OnnxSessionHandle;
  readonly #ort: OnnxRuntime;
  #disposed = false;

  private constructor(path: string, metadata: IntentModelMetadata, handle: OnnxSessionHandle, ort: OnnxRuntime) {
    this.path = path;
    this.metadata = metadata;
    this.provider = handle.provider;
    this.fallbackReason = handle.fallbackReason;
    this.#handle = handle;
    this.#ort = ort;
  }

  /** Loads an intent model; throws OnnxModelLoadError when the file is missing, corrupt or not an intent model. */
  static async load(path: string, options: LoadIntentModelOptions = {}): Promise<IntentModel> {
    const metadata = await readIntentMetadata(path);
    const loadRuntime = options.loadRuntime ?? (() => loadOnnxRuntime());
    const handle = await createOnnxSession(path, {
      preferredProviders: options.preferredProviders ?? ['cpu'],
      // One thread: the graph is a single [N × 2^15] · [2^15 × 5] MatMul, too small to split, and
      // a thread pool that must wake (or spin on) other cores only adds latency and its tail.
      sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 },
      loadRuntime,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    try {
      checkSignature(path, handle.session);
      return new IntentModel(path, metadata, handle, await loadRuntime());
    } catch (error) {
      await handle.dispose();
      throw error;
    }
  }

  /** One prediction per text, in order. */
  async classify(texts: readonly string[], options: ClassifyIntentOptions = {}): Promise<IntentPrediction[]> {
    if (this.#disposed) throw new Error('This intent model has been disposed; load it again to classify.');
    const predictions: IntentPrediction[] = [];
    for (let start = 0; start < texts.length; start += MAX_ROWS_PER_RUN) {
      throwIfAborted(options.signal, 'Classifying the intent');
      predictions.push(...(await this.#run(texts.slice(start, start + MAX_ROWS_PER_RUN))));
    }
    return predictions;
  }

  async #run(texts: readonly string[]): Promise<IntentPrediction[]> {
    const { featurizer, labels } = this.metadata;
    const features = texts.map((text) => featurizeIntent(text, featurizer));
    // Each row holds one message's sparse features, padded with index 0 and value 0 (which adds
    // nothing) to the longest row; at least one column, so an empty message still has a shape.
    const width = Math.max(1, ...features.map((f) => f.indices.length));
    const indices = new Int32Array(texts.length * width);
    const values = new Float32Array(texts.length * width);
    features.forEach((f, row) => {
      indices.set(f.indices, row * width);
      values.set(f.values, row * width);
    });
    const indicesTensor = new this.#ort.Tensor('int32', indices, [texts.length, width]);
    const valuesTensor = new this.#ort.Tensor('float32', values, [texts.length, width]);
    let output;
    try {
      const feeds = { [INTENT_INDICES_INPUT]: indicesTensor, [INTENT_VALUES_INPUT]: valuesTensor };
      output = (await this.#handle.session.run(feeds))[INTENT_OUTPUT_NAME];
    } finally {
      indicesTensor.dispose();
      valuesTensor.dispose();
    }
    if (
      output === undefined ||
      !(output.data instanceof Float32Array) ||
      output.dims[0] !== texts.length ||
      output.dims[1] !== labels.length
    ) {
      throw new Error(
        `The intent model ${this.path} did not return float32 "${INTENT_OUTPUT_NAME}" of shape [${String(texts.length)}, ${String(labels.length)}]`,
      );
    }
    const data = output.data;
    output.dispose();
    return texts.map((_, row) => {
      const scores = Object.fromEntries(INTENT_LABELS.map((label) => [label, 0])) as Record<IntentLabel, number>;
      let best = 0;
      labels.forEach((label, k) => {
        const p = data[row * labels.length + k] ?? 0;
        scores[label] = p;
        if (p > (data[row * labels.length + best] ?? 0)) best = k;
      });
      const label = labels[best] ?? labels[0] ?? 'general';
      return { label, confidence: scores[label], scores };
    });
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    await this.#handle.dispose();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}

async function readIntentMetadata(path: string): Promise<IntentModelMetadata> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    const reason = missing ? 'the file does not exist' : `the file cannot be read (${errorMessage(error)})`;
    throw new OnnxModelLoadError(path, reason, { cause: error });
  }
  let json: string | undefined;
  try {
    json = readOnnxMetadata(bytes)[INTENT_METADATA_KEY];
  } catch (error) {
    throw new OnnxModelLoadError(path, `it is not a valid ONNX file (${errorMessage(error)})`, { cause: error });
  }
  if (json === undefined)
    throw new OnnxModelLoadError(path, `it has no "${INTENT_METADATA_KEY}" metadata, so it is not a CodeSage intent model`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new OnnxModelLoadError(path, `its intent metadata is not valid JSON (${errorMessage(error)})`, { cause: error });
  }
  const result = intentModelMetadataSchema.safeParse(parsed);
  if (!result.success) {
    throw new OnnxModelLoadError(path, `its intent metadata is not one this version of CodeSage reads (${result.error.message})`, {
      cause: result.error,
    });
  }
  return result.data;
}

// A graph with other input or output names would fail on the first message; fail at load instead.
function checkSignature(path: string, session: InferenceSession): void {
  const inputs = [INTENT_INDICES_INPUT, INTENT_VALUES_INPUT];
  if (!inputs.every((name) => session.inputNames.includes(name)) || !session.outputNames.includes(INTENT_OUTPUT_NAME)) {
    throw new OnnxModelLoadError(
      path,
      `its graph has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}], not "${inputs.join('", "')}" → "${INTENT_OUTPUT_NAME}"`,
    );
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
