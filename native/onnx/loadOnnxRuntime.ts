// Loads onnxruntime-node on first use. It is imported lazily so that starting the app (or the CLI)
// does not pay for its native library, and so that a broken install surfaces as a named error at
// the point of use instead of crashing startup.
import { OnnxRuntimeUnavailableError } from '../errors/OnnxRuntimeUnavailableError';

export type OnnxRuntime = typeof import('onnxruntime-node');

export interface LoadOnnxRuntimeOptions {
  /** Replaces the import, for tests of the failure path. */
  readonly importRuntime?: () => Promise<OnnxRuntime>;
}

export async function loadOnnxRuntime(options: LoadOnnxRuntimeOptions = {}): Promise<OnnxRuntime> {
  const importRuntime = options.importRuntime ?? (() => import('onnxruntime-node'));
  try {
    return await importRuntime();
  } catch (error) {
    throw new OnnxRuntimeUnavailableError(error);
  }
}
