// Thrown when the onnxruntime-node package or its native library cannot be loaded at all.
export class OnnxRuntimeUnavailableError extends Error {
  override readonly name = 'OnnxRuntimeUnavailableError';

  constructor(cause: unknown) {
    super(
      `The ONNX runtime could not be loaded (${describeCause(cause)}), so intent detection and local embeddings are ` +
        'unavailable. Reinstall CodeSage to restore its bundled runtime; chat still works.',
      { cause },
    );
  }
}

function describeCause(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
