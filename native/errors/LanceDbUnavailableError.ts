// Thrown when the LanceDB package or its native library cannot be imported.
export class LanceDbUnavailableError extends Error {
  override readonly name = 'LanceDbUnavailableError';

  constructor(cause: unknown) {
    super(
      `LanceDB could not be loaded (${cause instanceof Error ? cause.message : String(cause)}), so repository search ` +
        'is unavailable; chat and review still work. Reinstall CodeSage to restore its bundled native modules.',
      { cause },
    );
  }
}
