// Makes ipull's writes of a download safe to resume and safe to fail.
//
// Progress records. ipull marks a chunk complete, and starts saving the progress record at the
// end of the partial file, in the same step that starts writing that chunk's bytes. Both writes
// then race on libuv's thread pool, so the record can reach the file before the data does. A
// kill -9 (or a crash) in that window leaves a record that claims a chunk whose bytes were never
// written; the resumed download skips it and the file fails its checksum (seen in CI: "does not
// match its published checksum" after a resume), or, without a known checksum, installs a model
// with a hole of zeros.
//
// This changes the order: a progress save first snapshots the record, then waits for every data
// write started before it, then flushes the file's data to the disk (so a power cut cannot reorder
// the two either), and only then writes the snapshot. A chunk named complete in a saved record is
// therefore always on disk. Snapshotting (rather than waiting for a moment with no writes in
// flight) keeps saves going while several connections write without pause. When the transfer is
// closed (a pause, a quit, a stall), one last record names every chunk complete by then.
//
// Data writes. ipull ignores how many bytes a write reports (a filling disk may write part of a
// buffer without an error) and chains every write with a `.then` and no `.catch`: a short write
// would leave a silent hole, and a failed one a burst of unhandled rejections while the other
// connections go on downloading into a full disk. Here a short write is completed or turned into
// an error, the first failure becomes a DiskWriteError (which guardIpullRejections recognizes),
// the transfer is closed at once, and the caller asks `writeFailure()` why it ended.
//
// Retries that cannot resume. From a server without ranges or length, ipull's own retry of a failed
// request gets the file from its first byte and writes it after what it has; endTransferAtFirstRetry
// ends such a transfer at that point instead, so the caller starts a new attempt from an empty file.
//
// It reaches into ipull's engine, whose version is pinned in package.json; if its shape changes,
// this throws at the start of the download rather than silently losing the guarantee.
import type { FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { DiskWriteError, IpullInternalsChangedError } from './errors/DownloadError';

interface IpullWriteStream {
  readonly path: string;
  write: (cursor: number, buffer: Uint8Array) => Promise<void>;
  _writeWithoutRetry: (cursor: number, buffer: Uint8Array) => Promise<number>;
  saveMedataAfterFile: (data: unknown) => Promise<void>;
  ftruncate: (size?: number) => Promise<void>;
  _ensureFileOpen: () => Promise<FileHandle>;
}

interface IpullEngineInternals {
  close?: () => Promise<void>;
  readonly options?: { readonly writeStream?: Partial<IpullWriteStream> };
  readonly _engine?: {
    readonly options?: {
      onSaveProgressAsync?: (progress: unknown) => Promise<void>;
      onFinishAsync?: () => Promise<void>;
      onCloseAsync?: () => Promise<void>;
    };
  };
}

export interface GuardDownloadWritesOptions {
  /** The folder named in a DiskWriteError: the one the user knows (the models folder), not the partial's. */
  readonly folderForMessages: string;
  /**
   * False when the server sent no length. ipull then works the file's size out from the bytes of
   * its last chunk, as if every earlier chunk held exactly one chunk size, but its chunks hold
   * whatever network reads crossed each boundary: the finished file is cut tens of KB short (a
   * model that fails its checks every time). The cut then goes where the written data ends, and no
   * progress record is saved (it would go at offset 0, the file's size as ipull knows it, over the
   * data; such a download cannot resume anyway, it starts again from zero).
   */
  readonly lengthKnown?: boolean;
}

export interface DataWriteGuard {
  /** Why the transfer was closed, when a data write failed; null otherwise. */
  writeFailure(): DiskWriteError | null;
  /**
   * Resolves once the close started by whoever closed the engine first (a pause, the stall
   * watchdog, a failed write) has saved its last record; a later `engine.close()` returns at once,
   * so only this says the file is no longer written to.
   */
  whenClosed(): Promise<void>;
}

/**
 * Makes every progress record ipull saves for this engine describe only bytes already on disk,
 * completes short writes, and closes the transfer at the first failed write.
 */
export function guardDownloadWrites(engine: object, options: GuardDownloadWritesOptions): DataWriteGuard {
  const internals = engine as IpullEngineInternals;
  const stream = internals.options?.writeStream;
  const fileOptions = internals._engine?.options;
  if (typeof stream?.write !== 'function') throw new IpullInternalsChangedError('writeStream.write');
  if (typeof stream.path !== 'string') throw new IpullInternalsChangedError('writeStream.path');
  if (typeof stream._writeWithoutRetry !== 'function') throw new IpullInternalsChangedError('writeStream._writeWithoutRetry');
  if (typeof internals.close !== 'function') throw new IpullInternalsChangedError('close');
  if (typeof stream.saveMedataAfterFile !== 'function') throw new IpullInternalsChangedError('writeStream.saveMedataAfterFile');
  if (typeof stream._ensureFileOpen !== 'function') throw new IpullInternalsChangedError('writeStream._ensureFileOpen');
  if (typeof stream.ftruncate !== 'function') throw new IpullInternalsChangedError('writeStream.ftruncate');
  if (typeof fileOptions?.onSaveProgressAsync !== 'function') throw new IpullInternalsChangedError('onSaveProgressAsync');
  if (typeof fileOptions.onFinishAsync !== 'function') throw new IpullInternalsChangedError('onFinishAsync');
  if (typeof fileOptions.onCloseAsync !== 'function') throw new IpullInternalsChangedError('onCloseAsync');
  const writeStream = stream as IpullWriteStream;
  const save = fileOptions.onSaveProgressAsync;
  const finish = fileOptions.onFinishAsync;
  const close = fileOptions.onCloseAsync;

  // A write that reports fewer bytes than asked is continued where it stopped; one that writes
  // nothing is a full disk.
  const writeOnce = writeStream._writeWithoutRetry.bind(writeStream);
  writeStream._writeWithoutRetry = async (cursor, buffer) => {
    let done = 0;
    while (done < buffer.length) {
      const written = await writeOnce(cursor + done, buffer.subarray(done));
      if (!(written > 0)) throw Object.assign(new Error('no space left on device (the write stored 0 bytes)'), { code: 'ENOSPC' });
      done += written;
    }
    return done;
  };

  const lengthKnown = options.lengthKnown ?? true;
  // Where the data written so far ends; the finished file's size when the server sent no length.
  let dataEnd = 0;
  if (!lengthKnown) {
    const truncate = writeStream.ftruncate.bind(writeStream);
    writeStream.ftruncate = () => truncate(dataEnd);
  }

  const inFlight = new Set<Promise<void>>();
  // Once a data write has failed, no later record may be trusted to describe the file.
  let failure: DiskWriteError | null = null;
  const write = writeStream.write.bind(writeStream);
  writeStream.write = (cursor, buffer) => {
    dataEnd = Math.max(dataEnd, cursor + buffer.length);
    const written = write(cursor, buffer).catch((error: unknown) => {
      if (failure === null) {
        failure = new DiskWriteError(basename(writeStream.path, '.ipull'), options.folderForMessages, error);
        // Stop fetching: the other connections would otherwise go on downloading into a full disk.
        void internals.close?.().catch(() => undefined);
      }
      throw failure;
    });
    inFlight.add(written);
    written.then(
      () => inFlight.delete(written),
      () => inFlight.delete(written),
    );
    return written;
  };

  // From the final truncate on (ipull's finish goes through the hook below), the end of the file is
  // no longer the place for a record.
  let finishing = false;
  let finishRun: Promise<void> | null = null;
  // Set once the final truncate has succeeded (ipull marks the file finished before it truncates).
  let truncated = false;
  const mustNotSave = (): boolean => !lengthKnown || failure !== null || finishing;
  // ipull marks a chunk complete right after starting its writes, in one synchronous step: every
  // chunk complete in a snapshot has its writes finished or among those started before it.
  const saveAfterWrites = async (snapshot: unknown, writes: readonly Promise<void>[]): Promise<void> => {
    await Promise.allSettled(writes);
    if (mustNotSave()) return;
    await (await writeStream._ensureFileOpen()).datasync();
    if (mustNotSave()) return;
    await save(snapshot);
  };

  // ipull starts saves without awaiting them, one at a time, and skips all but the newest: while
  // one waits for its data, the chunks completed meanwhile are in no record yet (tens of MB on a
  // fast link). ipull closes the file right after its close hook, and saves nothing there, so a
  // pause or a quit would throw that tail away. The hook below lets the save already running
  // finish, then saves ipull's newest progress once every write started before the close is on
  // disk (ipull starts none after), and stops any later save, which would reopen, and so
  // recreate, a file a cancel is about to delete.
  let closing = false;
  let running: Promise<void> = Promise.resolve();
  let newest: unknown = null;
  const closeAfterLastSave = async (): Promise<void> => {
    closing = true;
    await running;
    if (newest !== null && !mustNotSave()) await saveAfterWrites(structuredClone(newest), [...inFlight]).catch(() => undefined);
    // A close (a pause) while the finished file is being cut to size waits for the cut.
    await finishRun?.catch(() => undefined);
    // ipull's own hook gives the partial file its final name once its count of bytes received is
    // full, whether or not they were written: after a failed write (a disk that filled up while the
    // last bytes arrived), the partial, holes and record included, would take the name of a finished
    // download and be checked as one on the next attempt, then deleted. Only a file cut to its size
    // with every write done is finished.
    if (failure === null && truncated) await close();
  };
  let closeHook: Promise<void> | null = null;
  fileOptions.onCloseAsync = () => {
    closeHook ??= closeAfterLastSave();
    return closeHook;
  };

  // ipull cuts the record off the finished file without waiting for a save under way. The saves
  // above wait for data and a flush, so the last one can still be writing its record then: landing
  // after the cut, it would leave the model longer than it is, and failing its checks.
  fileOptions.onFinishAsync = () => {
    finishing = true;
    finishRun = running.then(finish).then(() => {
      truncated = true;
    });
    return finishRun;
  };

  fileOptions.onSaveProgressAsync = (progress) => {
    newest = progress;
    if (closing || mustNotSave()) return Promise.resolve();
    // ipull does not catch a failed save (it would end the process): a record not written leaves
    // the previous one, which is still true.
    running = saveAfterWrites(structuredClone(progress), [...inFlight]).catch(() => undefined);
    return running;
  };

  return { writeFailure: () => failure, whenClosed: () => closeHook ?? Promise.resolve() };
}

interface IpullFetchStream {
  on(event: 'errorCountIncreased', listener: (count: number, error: unknown) => void): unknown;
  off(event: 'errorCountIncreased', listener: (count: number, error: unknown) => void): unknown;
  withSubState(state: unknown): { fetchWithoutRetryChunks: (callback: unknown) => Promise<unknown> };
}

export interface FirstFailureWatch {
  /** Why the transfer failed, once ipull wanted to retry it; null while it has not. */
  failure(): { readonly cause: unknown } | null;
  dispose(): void;
}

/**
 * For a download that cannot resume (no ranges or no length): ipull retries a failed request by
 * fetching again, which from such a server gets the file from its first byte, written after what it
 * already has. At its first retry this closes the engine and keeps ipull's request from going out
 * again (its retry loop takes an AbortError for a quiet end), so the caller starts a new attempt
 * from an empty file instead.
 */
export function endTransferAtFirstRetry(engine: object): FirstFailureWatch {
  const internals = engine as { options?: { fetchStream?: Partial<IpullFetchStream> }; close?: () => Promise<void> };
  const stream = internals.options?.fetchStream;
  if (typeof stream?.on !== 'function' || typeof stream.off !== 'function' || typeof stream.withSubState !== 'function') {
    throw new IpullInternalsChangedError('fetchStream events');
  }
  if (typeof internals.close !== 'function') throw new IpullInternalsChangedError('close');
  const fetchStream = stream as IpullFetchStream;
  const close = internals.close.bind(engine);
  let failure: { readonly cause: unknown } | null = null;
  const withSubState = fetchStream.withSubState.bind(fetchStream);
  fetchStream.withSubState = (state) => {
    const sub = withSubState(state);
    if (typeof sub.fetchWithoutRetryChunks !== 'function') throw new IpullInternalsChangedError('fetchWithoutRetryChunks');
    const fetchOnce = sub.fetchWithoutRetryChunks.bind(sub);
    sub.fetchWithoutRetryChunks = (callback) =>
      failure === null ? fetchOnce(callback) : Promise.reject(Object.assign(new Error('The transfer was closed'), { name: 'AbortError' }));
    return sub;
  };
  const onRetry = (_count: number, error: unknown): void => {
    if (failure !== null) return;
    failure = { cause: error };
    void close().catch(() => undefined);
  };
  fetchStream.on('errorCountIncreased', onRetry);
  return {
    failure: () => failure,
    dispose: () => {
      fetchStream.off('errorCountIncreased', onRetry);
    },
  };
}
