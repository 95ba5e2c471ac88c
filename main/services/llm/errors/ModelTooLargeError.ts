// Thrown when a model or its context does not fit in this machine's memory (node-llama-cpp's
// InsufficientMemoryError, or llama.cpp failing to allocate), with the estimate when there is one
// and the settings that would make it fit.
export interface ModelTooLargeDetails {
  /** What did not fit. */
  readonly part: 'model' | 'context' | 'embeddingContext';
  /** The context size that was asked for, when the context was the problem. */
  readonly contextSize: number | null;
  /** node-llama-cpp's estimate of the memory the part needs, when it could make one. */
  readonly estimatedBytes: { readonly ram: number; readonly vram: number } | null;
}

export class ModelTooLargeError extends Error {
  override readonly name = 'ModelTooLargeError';
  readonly details: readonly string[];
  readonly estimate: ModelTooLargeDetails;

  constructor(modelName: string, estimate: ModelTooLargeDetails, cause: string, options?: ErrorOptions) {
    const what =
      estimate.part === 'model'
        ? `"${modelName}" does not fit in this machine's memory`
        : `A ${estimate.part === 'embeddingContext' ? 'embedding context' : 'context'}${
            estimate.contextSize === null ? '' : ` of ${estimate.contextSize} tokens`
          } for "${modelName}" does not fit in this machine's memory`;
    const need = estimate.estimatedBytes === null ? '' : ` (it needs about ${describeNeed(estimate.estimatedBytes)})`;
    super(
      `${what}${need}. Try a smaller context size, fewer GPU layers, or a smaller quantization of the model (e.g. Q4_K_M instead of Q8_0), ` +
        'and close other programs that use a lot of memory.',
      options,
    );
    this.estimate = estimate;
    this.details = [cause];
  }
}

function describeNeed(bytes: { readonly ram: number; readonly vram: number }): string {
  const parts: string[] = [];
  if (bytes.ram > 0 || bytes.vram === 0) parts.push(`${formatBytes(bytes.ram)} of RAM`);
  if (bytes.vram > 0) parts.push(`${formatBytes(bytes.vram)} of GPU memory`);
  return parts.join(' and ');
}

function formatBytes(bytes: number): string {
  const gib = bytes / 1024 ** 3;
  return gib >= 1 ? `${gib.toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MB`;
}
