// Creates an onnxruntime inference session on the best execution provider that works here. A
// session asked for a provider that is missing (no CUDA libraries, no DirectML) THROWS in
// onnxruntime-node instead of falling back, so we try each preferred provider and end on CPU,
// recording which one won and why, and tell a bad model file apart from a bad provider: a model
// that CPU cannot load either is the model's fault.
import { stat } from 'node:fs/promises';
import type { InferenceSession } from 'onnxruntime-node';
import { throwIfAborted } from '../abort/throwIfAborted';
import { OnnxModelLoadError } from '../errors/OnnxModelLoadError';
import { loadOnnxRuntime } from './loadOnnxRuntime';
import type { OnnxRuntime } from './loadOnnxRuntime';

export type OnnxProvider = 'cuda' | 'dml' | 'coreml' | 'cpu';

export interface CreateOnnxSessionOptions {
  /**
   * Tried in order; CPU is always the last resort even when not listed. Defaults to DirectML then
   * CPU on Windows, CoreML then CPU on macOS and CPU elsewhere: the Linux CUDA provider is not
   * shipped with the app, so trying it by default would only fail (and log an error) every time.
   */
  readonly preferredProviders?: readonly OnnxProvider[];
  readonly signal?: AbortSignal;
  /** Other onnxruntime session options (threads, optimisation level); providers are set here. */
  readonly sessionOptions?: Omit<InferenceSession.SessionOptions, 'executionProviders'>;
  /** Replaces loadOnnxRuntime, for tests. */
  readonly loadRuntime?: () => Promise<OnnxRuntime>;
}

export interface OnnxSessionHandle {
  readonly session: InferenceSession;
  /** The provider the session was created with (nodes it cannot run still run on CPU). */
  readonly provider: OnnxProvider;
  /** Why a preferred provider was not used, for logs and the UI; null when the first choice worked. */
  readonly fallbackReason: string | null;
  dispose(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const providerNames: Record<OnnxProvider, string> = { cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML', cpu: 'CPU' };

export async function createOnnxSession(model: string | Uint8Array, options: CreateOnnxSessionOptions = {}): Promise<OnnxSessionHandle> {
  const what = 'Loading the ONNX model';
  throwIfAborted(options.signal, what);
  const label = typeof model === 'string' ? model : `(in-memory model, ${String(model.byteLength)} bytes)`;
  if (typeof model === 'string') await checkModelFile(model);
  else if (model.byteLength === 0) throw new OnnxModelLoadError(label, 'the model is empty');

  const ort = await (options.loadRuntime ?? loadOnnxRuntime)();
  throwIfAborted(options.signal, what);
  // Providers this onnxruntime build does not even know (CoreML on Linux) are skipped without trying.
  const known = new Set(ort.listSupportedBackends().map((backend) => backend.name));
  const preferred = options.preferredProviders ?? defaultProviders(process.platform);
  const failures: string[] = [];

  for (const provider of [...new Set(preferred)].filter((p) => p !== 'cpu')) {
    if (!known.has(provider)) {
      failures.push(`${providerNames[provider]} is not available in this onnxruntime build`);
      continue;
    }
    let session: InferenceSession;
    try {
      session = await createSession(ort, model, { ...options.sessionOptions, executionProviders: [provider, 'cpu'] });
    } catch (error) {
      failures.push(`${providerNames[provider]} could not be used (${errorMessage(error)})`);
      throwIfAborted(options.signal, what);
      continue;
    }
    return handle(session, provider, failures, options.signal);
  }

  let session: InferenceSession;
  try {
    session = await createSession(ort, model, { ...options.sessionOptions, executionProviders: ['cpu'] });
  } catch (error) {
    throw new OnnxModelLoadError(label, errorMessage(error), { cause: error });
  }
  return handle(session, 'cpu', failures, options.signal);
}

async function handle(
  session: InferenceSession,
  provider: OnnxProvider,
  failures: readonly string[],
  signal: AbortSignal | undefined,
): Promise<OnnxSessionHandle> {
  if (signal?.aborted === true) {
    await session.release();
    throwIfAborted(signal, 'Loading the ONNX model');
  }
  let released: Promise<void> | null = null;
  const dispose = (): Promise<void> => (released ??= session.release());
  return {
    session,
    provider,
    fallbackReason: failures.length === 0 ? null : `${failures.join('; ')}; using ${providerNames[provider]}.`,
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}

// Spelled out because InferenceSession.create is overloaded and TypeScript cannot pick an overload for a union.
function createSession(ort: OnnxRuntime, model: string | Uint8Array, options: InferenceSession.SessionOptions): Promise<InferenceSession> {
  return typeof model === 'string' ? ort.InferenceSession.create(model, options) : ort.InferenceSession.create(model, options);
}

function defaultProviders(platform: NodeJS.Platform): readonly OnnxProvider[] {
  if (platform === 'win32') return ['dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cpu'];
}

async function checkModelFile(path: string): Promise<void> {
  let size: number;
  let isFile: boolean;
  try {
    const stats = await stat(path);
    size = stats.size;
    isFile = stats.isFile();
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    throw new OnnxModelLoadError(path, missing ? 'the file does not exist' : `the file cannot be read (${errorMessage(error)})`, {
      cause: error,
    });
  }
  if (!isFile) throw new OnnxModelLoadError(path, 'it is not a file');
  if (size === 0) throw new OnnxModelLoadError(path, 'the file is empty');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
