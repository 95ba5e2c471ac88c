// Thrown when an ONNX model file is missing, unreadable or corrupt. It names the file, because the
// fix (download the model again) depends on knowing which one.
export class OnnxModelLoadError extends Error {
  override readonly name = 'OnnxModelLoadError';
  /** The model's path, or a description such as "in-memory model (120 bytes)". */
  readonly model: string;
  /** What went wrong, without the advice, e.g. "the file does not exist". */
  readonly reason: string;

  constructor(model: string, reason: string, options?: ErrorOptions) {
    super(
      `The ONNX model ${model} could not be loaded: ${reason}. ` +
        'The file may be missing, incomplete or corrupt; download the model again from the Models page.',
      options,
    );
    this.model = model;
    this.reason = reason;
  }
}
