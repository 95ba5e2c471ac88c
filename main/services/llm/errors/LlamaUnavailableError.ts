// Thrown when a model is to be loaded but llama.cpp itself is not available: compute detection
// (SystemService) failed, so there is no runtime to load the model into.
export class LlamaUnavailableError extends Error {
  override readonly name = 'LlamaUnavailableError';

  constructor() {
    super(
      'Local models cannot run: llama.cpp could not be started on this machine (compute detection failed; the System page says why). ' +
        'Try the CPU backend in Settings, or reinstall CodeSage to restore its bundled binaries.',
    );
  }
}
