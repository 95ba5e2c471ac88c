// Thrown when no llama.cpp binary (not even the CPU one) can be loaded, so local models cannot run.
// `details` lists each attempt; serializeError passes it to the UI.
export class LlamaBinaryUnavailableError extends Error {
  override readonly name = 'LlamaBinaryUnavailableError';
  readonly details: readonly string[];

  constructor(attempts: readonly string[], options?: ErrorOptions) {
    super(
      'Local models cannot run: no llama.cpp binary could be loaded on this machine, not even the CPU one. ' +
        'Reinstall CodeSage to restore its bundled binaries; until then you can use a cloud model if you have enabled one.',
      options,
    );
    this.details = attempts;
  }
}
