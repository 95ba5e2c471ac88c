// Thrown when a caller's AbortSignal stops a native load. The signal's reason is kept as `cause`,
// so callers can tell a user's cancel from a shutdown without parsing messages.
export class AbortError extends Error {
  override readonly name = 'AbortError';

  constructor(what: string, options?: ErrorOptions) {
    super(`${what} was cancelled.`, options);
  }
}
