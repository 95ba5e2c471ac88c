import { describe, expect, it, vi } from 'vitest';
import { AbortError } from '../errors/AbortError';
import { raceAbort } from './raceAbort';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('raceAbort', () => {
  it('passes the result through when nothing aborts', async () => {
    const discard = vi.fn(() => Promise.resolve());
    await expect(raceAbort(Promise.resolve(42), new AbortController().signal, 'Work', discard)).resolves.toBe(42);
    expect(discard).not.toHaveBeenCalled();
  });

  it('passes failures through', async () => {
    const failure = new Error('boom');
    await expect(raceAbort(Promise.reject(failure), new AbortController().signal, 'Work', () => Promise.resolve())).rejects.toBe(failure);
  });

  it('rejects as soon as the signal aborts and discards the late result', async () => {
    const controller = new AbortController();
    const work = deferred<string>();
    const discard = vi.fn((_value: string) => Promise.resolve());
    const raced = raceAbort(work.promise, controller.signal, 'Loading llama.cpp', discard);
    controller.abort('settings changed');
    const error = await raced.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as Error).message).toBe('Loading llama.cpp was cancelled.');
    expect((error as Error).cause).toBe('settings changed');
    expect(discard).not.toHaveBeenCalled();
    work.resolve('late');
    await vi.waitFor(() => {
      expect(discard).toHaveBeenCalledWith('late');
    });
  });

  it('rejects at once for a signal that is already aborted', async () => {
    const discard = vi.fn((_value: number) => Promise.resolve());
    await expect(raceAbort(Promise.resolve(1), AbortSignal.abort(), 'Work', discard)).rejects.toThrow(AbortError);
    await vi.waitFor(() => {
      expect(discard).toHaveBeenCalledWith(1);
    });
  });

  it('ignores a late failure after an abort', async () => {
    const controller = new AbortController();
    const work = deferred<number>();
    const raced = raceAbort(work.promise, controller.signal, 'Work', () => Promise.resolve());
    controller.abort();
    work.reject(new Error('late failure'));
    await expect(raced).rejects.toThrow(AbortError);
  });
});
