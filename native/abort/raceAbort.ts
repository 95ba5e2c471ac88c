// Lets a caller stop waiting for work that cannot itself be cancelled (loading a native library):
// the returned promise rejects with AbortError as soon as the signal aborts, and whatever the work
// produces afterwards is handed to `discard`, so nothing it allocated is leaked.
import { AbortError } from '../errors/AbortError';

export function raceAbort<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  what: string,
  discard: (value: T) => Promise<void>,
): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => {
      if (settled) return;
      settled = true;
      reject(new AbortError(what, { cause: signal.reason }));
      // The work keeps running; release its result when it arrives. Its failure no longer matters.
      work.then(discard).catch(() => undefined);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) return;
        settled = true;
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
