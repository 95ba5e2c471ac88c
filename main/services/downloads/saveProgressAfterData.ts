// ipull marks a chunk complete, and starts saving the progress record at the end of the partial
// file, in the same step that starts writing that chunk's bytes. Both writes then race on libuv's
// thread pool, so the record can reach the file before the data does. A kill -9 (or a crash) in
// that window leaves a record that claims a chunk whose bytes were never written; the resumed
// download skips it and the file fails its checksum (seen in CI: "does not match its published
// checksum" after a resume), or, without a known checksum, installs a model with a hole of zeros.
//
// This changes the order: a progress save first snapshots the record, then waits for every data
// write started before it, then flushes the file's data to the disk (so a power cut cannot reorder
// the two either), and only then writes the snapshot. A chunk named complete in a saved record is
// therefore always on disk. Snapshotting (rather than waiting for a moment with no writes in flight)
// keeps saves going while several connections write without pause.
//
// It also turns a failed data write into a DiskWriteError (see the write wrapper).
//
// It reaches into ipull's engine, whose version is pinned in package.json; if its shape changes,
// this throws at the start of the download rather than silently losing the guarantee.
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { DiskWriteError, IpullInternalsChangedError } from './errors/DownloadError';

interface IpullWriteStream {
  readonly path: string;
  write: (cursor: number, buffer: Uint8Array) => Promise<void>;
  saveMedataAfterFile: (data: unknown) => Promise<void>;
  _ensureFileOpen: () => Promise<FileHandle>;
  _fileWriteFinished: boolean;
}

interface IpullEngineInternals {
  readonly options?: { readonly writeStream?: Partial<IpullWriteStream> };
  readonly _engine?: {
    readonly options?: { onSaveProgressAsync?: (progress: unknown) => Promise<void>; onCloseAsync?: () => Promise<void> };
  };
}

/** Makes every progress record ipull saves for this engine describe only bytes already on disk. */
export function saveProgressAfterData(engine: object): void {
  const internals = engine as IpullEngineInternals;
  const stream = internals.options?.writeStream;
  const fileOptions = internals._engine?.options;
  if (typeof stream?.write !== 'function') throw new IpullInternalsChangedError('writeStream.write');
  if (typeof stream.path !== 'string') throw new IpullInternalsChangedError('writeStream.path');
  if (typeof stream.saveMedataAfterFile !== 'function') throw new IpullInternalsChangedError('writeStream.saveMedataAfterFile');
  if (typeof stream._ensureFileOpen !== 'function') throw new IpullInternalsChangedError('writeStream._ensureFileOpen');
  if (typeof fileOptions?.onSaveProgressAsync !== 'function') throw new IpullInternalsChangedError('onSaveProgressAsync');
  if (typeof fileOptions.onCloseAsync !== 'function') throw new IpullInternalsChangedError('onCloseAsync');
  const writeStream = stream as IpullWriteStream;
  const save = fileOptions.onSaveProgressAsync;
  const close = fileOptions.onCloseAsync;

  const inFlight = new Set<Promise<void>>();
  // Once a data write has failed, no later record may be trusted to describe the file.
  let writeFailed = false;
  const write = writeStream.write.bind(writeStream);
  writeStream.write = (cursor, buffer) => {
    // ipull chains every write with a `.then` and no `.catch`, so a failed write also surfaces as
    // unhandled rejections; as a DiskWriteError they are recognized (guardIpullRejections) and the
    // download fails with a message the user can act on, instead of ending the process.
    const written = write(cursor, buffer).catch((error: unknown) => {
      throw new DiskWriteError(basename(writeStream.path, '.ipull'), dirname(writeStream.path), error);
    });
    inFlight.add(written);
    written.then(
      () => inFlight.delete(written),
      () => {
        writeFailed = true;
        inFlight.delete(written);
      },
    );
    return written;
  };

  // ipull starts saves without awaiting them (one at a time, newest first) and closes the file
  // right after its close hook. The hook below lets the save already running finish (a pause
  // right after a chunk keeps that chunk) and stops any later one, which would reopen, and so
  // recreate, a file a cancel is about to delete.
  let closing = false;
  let running: Promise<void> = Promise.resolve();
  fileOptions.onCloseAsync = async () => {
    closing = true;
    await running;
    await close();
  };

  // After the final truncate, the end of the file is no longer the place for a record.
  const mustNotSave = (): boolean => writeFailed || writeStream._fileWriteFinished;
  fileOptions.onSaveProgressAsync = (progress) => {
    if (closing || mustNotSave()) return Promise.resolve();
    // ipull marks a chunk complete right after starting its writes, in one synchronous step: every
    // chunk complete in this snapshot has its writes finished or among those awaited here.
    const snapshot = structuredClone(progress);
    const writes = [...inFlight];
    const run = (async () => {
      await Promise.allSettled(writes);
      if (mustNotSave()) return;
      await (await writeStream._ensureFileOpen()).datasync();
      if (mustNotSave()) return;
      await save(snapshot);
    })();
    // ipull does not catch a failed save (it would end the process): a record not written leaves
    // the previous one, which is still true.
    running = run.catch(() => undefined);
    return running;
  };
}
