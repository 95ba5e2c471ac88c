// Turns an aborted AbortSignal into our AbortError (keeping the signal's reason as its cause), so
// every native loader reports cancellation the same way whatever reason the caller aborted with.
import { AbortError } from '../errors/AbortError';

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) throw new AbortError(what, { cause: signal.reason });
}
