// Real ipull transfers from the loopback server over an injected disk. On a slow disk (data writes
// held back, as a busy disk would) a watcher reads the partial file as it grows and checks every
// chunk the saved record calls complete against the source: a kill -9 at any of those moments
// would resume from that record, so a record ahead of its data is a corrupt model after the resume.
// On a full disk the transfer must stop with a DiskWriteError, and a disk that stores part of a
// buffer must not leave a hole.
import { open, readFile, rm } from 'node:fs/promises';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadFile } from 'ipull';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFileServer } from '../../testing/http/startFileServer';
import type { FileServer } from '../../testing/http/startFileServer';
import { writeRandomFile } from '../../testing/http/writeRandomFile';
import { DiskWriteError, IpullInternalsChangedError } from './errors/DownloadError';
import { isHandledIpullRejection } from './guardIpullRejections';
import { guardDownloadWrites } from './guardDownloadWrites';

const PATH = '/models/slow-disk.bin';
const SIZE = 6 * 1024 * 1024;
const CHUNK = 512 * 1024;
const COMPLETE = 2; // ipull's ChunkStatus.COMPLETE
const DATA_WRITE_DELAY_MS = 120;
/** What a DiskWriteError names: the folder the user chose, not the partial file's own. */
const MODELS_FOLDER = '/home/someone/models';

let dir: string;
let source: Buffer;
let server: FileServer;
let runNumber = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codesage-order-'));
  const file = await writeRandomFile(join(dir, 'source.bin'), SIZE, { seed: 5 });
  source = await readFile(file.path);
  server = await startFileServer({ files: { [PATH]: file.path } });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

interface Observation {
  /** Progress records read from the partial file while it downloaded. */
  readonly records: number;
  /** Chunks a record called complete whose bytes on disk were not the source's. */
  readonly aheadOfData: string[];
  readonly finalFile: Buffer;
}

type RawWrite = (cursor: number, buffer: Uint8Array) => Promise<number>;

/**
 * A real ipull transfer of the source into a fresh folder, with guardDownloadWrites when
 * `guarded`; `disk` stands for the file system under every write (data and record).
 */
async function startTransfer(guarded: boolean, disk: (cursor: number, buffer: Uint8Array, writeNow: RawWrite) => Promise<number>) {
  runNumber += 1;
  const savePath = join(dir, `run-${String(runNumber)}`, 'model.bin');
  const engine = await downloadFile({
    url: server.url(PATH),
    savePath,
    parallelStreams: 2,
    chunkSize: CHUNK,
    skipExisting: false,
    cliProgress: false,
  });
  // The disk goes in first, under anything guardDownloadWrites puts around ipull's writes.
  const stream = (engine as unknown as { options: { writeStream: { _writeWithoutRetry: RawWrite } } }).options.writeStream;
  const writeNow = stream._writeWithoutRetry.bind(stream);
  stream._writeWithoutRetry = (cursor, buffer) => disk(cursor, buffer, writeNow);
  const guard = guarded ? guardDownloadWrites(engine, { folderForMessages: MODELS_FOLDER }) : null;
  return { engine, savePath, guard };
}

async function downloadOnSlowDisk(guarded: boolean): Promise<Observation> {
  // Hold back every write below the end of the file (the data), never the record after it.
  const { engine, savePath } = await startTransfer(guarded, async (cursor, buffer, writeNow) => {
    if (cursor < SIZE) await new Promise((resolve) => setTimeout(resolve, DATA_WRITE_DELAY_MS));
    return writeNow(cursor, buffer);
  });

  let records = 0;
  const aheadOfData: string[] = [];
  const finished = new AbortController();
  const watcher = (async () => {
    while (!finished.signal.aborted) {
      await checkPartial(`${savePath}.ipull`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  async function checkPartial(partial: string): Promise<void> {
    let file;
    try {
      file = await open(partial, 'r');
    } catch {
      return; // not created yet, or already renamed to the final name
    }
    try {
      const size = (await file.stat()).size;
      if (size <= SIZE) return;
      const tail = Buffer.alloc(size - SIZE);
      await file.read(tail, 0, tail.length, SIZE);
      let record: { chunks: number[] };
      try {
        record = JSON.parse(tail.toString('utf8')) as { chunks: number[] };
      } catch {
        return; // caught mid-write
      }
      records += 1;
      for (const [index, status] of record.chunks.entries()) {
        if (status !== COMPLETE) continue;
        const start = index * CHUNK;
        const bytes = Buffer.alloc(Math.min(CHUNK, SIZE - start));
        await file.read(bytes, 0, bytes.length, start);
        if (!bytes.equals(source.subarray(start, start + bytes.length))) aheadOfData.push(`chunk ${String(index)}`);
      }
    } finally {
      await file.close();
    }
  }

  await engine.download();
  finished.abort();
  await watcher;
  return { records, aheadOfData: [...new Set(aheadOfData)], finalFile: await readFile(savePath) };
}

describe('guardDownloadWrites', () => {
  it('never lets a saved progress record name a chunk whose bytes are not yet on disk', async () => {
    const observed = await downloadOnSlowDisk(true);
    expect(observed.records).toBeGreaterThan(3);
    expect(observed.aheadOfData).toEqual([]);
    expect(observed.finalFile.equals(source)).toBe(true);
  }, 60_000);

  it('is needed: ipull alone saves records ahead of their data (if this fails, ipull fixed it)', async () => {
    const observed = await downloadOnSlowDisk(false);
    expect(observed.aheadOfData.length).toBeGreaterThan(0);
    expect(observed.finalFile.equals(source)).toBe(true);
  }, 60_000);

  it('saves, when the transfer is closed (a pause, a quit), every chunk already complete, not only those of the last record', async () => {
    // Records land slowly, so a save is nearly always under way, and chunks complete while it waits.
    const { engine, savePath } = await startTransfer(true, async (cursor, buffer, writeNow) => {
      if (cursor >= SIZE) await new Promise((resolve) => setTimeout(resolve, 400));
      return writeNow(cursor, buffer);
    });
    server.setFaults(PATH, [{ kind: 'throttle', bytesPerSecond: 2 * 1024 * 1024 }]);
    const chunks = (): number[] => (engine as unknown as { _engine: { _progress: { chunks: number[] } } })._engine._progress.chunks;
    const completeInMemory = (): number => chunks().filter((status) => status === COMPLETE).length;
    const download = engine.download().catch(() => undefined);
    try {
      // Close right after a chunk completes, while the save it started waits behind a slow record.
      while (completeInMemory() < 4) await new Promise((resolve) => setTimeout(resolve, 5));
      const complete = completeInMemory();
      await engine.close();
      await download;
      const partial = await readFile(`${savePath}.ipull`);
      const record = JSON.parse(partial.subarray(SIZE).toString('utf8')) as { chunks: number[] };
      const completeInRecord = record.chunks.flatMap((status, index) => (status === COMPLETE ? [index] : []));
      expect(completeInRecord.length).toBeGreaterThanOrEqual(complete);
      for (const index of completeInRecord) {
        const start = index * CHUNK;
        expect(partial.subarray(start, start + CHUNK).equals(source.subarray(start, start + CHUNK)), `chunk ${String(index)}`).toBe(true);
      }
    } finally {
      server.setFaults(PATH, []);
    }
  }, 60_000);

  it('stops at the first failed write when the disk fills up, with a DiskWriteError and no rejection that would end the process', async () => {
    let dataWrites = 0;
    let writesAfterFailure = 0;
    const { engine, guard, savePath } = await startTransfer(true, async (cursor, buffer, writeNow) => {
      if (cursor >= SIZE) return writeNow(cursor, buffer);
      dataWrites += 1;
      if (dataWrites > 20) {
        writesAfterFailure += dataWrites > 21 ? 1 : 0;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return writeNow(cursor, buffer);
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    let failure: unknown;
    try {
      // As DownloadManager does: the transfer is closed at the failure, and the guard says why.
      failure = await engine.download().then(
        () => guard?.writeFailure(),
        (error: unknown) => guard?.writeFailure() ?? error,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(failure).toBeInstanceOf(DiskWriteError);
    expect((failure as DiskWriteError).code).toBe('ENOSPC');
    expect((failure as DiskWriteError).message).toBe(
      `Could not write model.bin to ${MODELS_FOLDER}: the disk is full. What was downloaded is kept: free some space on that disk, then resume the download.`,
    );
    expect((failure as DiskWriteError).retriable).toBe(false);
    // What was written stays the partial file: under its final name it would pass for a finished download.
    expect(existsSync(savePath)).toBe(false);
    expect(existsSync(`${savePath}.ipull`)).toBe(true);
    console.log(`disk full: ${String(writesAfterFailure)} data writes attempted after the first failure, of ${String(dataWrites)}`);
    // Only writes already started with the failing one's chunk follow it; the rest of the file
    // (about 100 writes here) is not fetched into a full disk.
    expect(writesAfterFailure).toBeLessThan(20);
    // ipull leaves the failed writes' `.then` chains unhandled: each must be one the app's guard drops.
    expect(unhandled.filter((reason) => !isHandledIpullRejection(reason))).toEqual([]);
  }, 60_000);

  it('cuts the record off the finished file only after the last save has landed', async () => {
    // Records land slowly, so the last save is still writing when the data is complete.
    const { engine, savePath } = await startTransfer(true, async (cursor, buffer, writeNow) => {
      if (cursor >= SIZE) await new Promise((resolve) => setTimeout(resolve, 150));
      return writeNow(cursor, buffer);
    });
    await engine.download();
    const file = await readFile(savePath);
    expect(file.length).toBe(SIZE);
    expect(file.equals(source)).toBe(true);
  }, 60_000);

  it('finishes a write the disk took only part of, instead of leaving a hole', async () => {
    let dataWrites = 0;
    const { engine, savePath } = await startTransfer(true, async (cursor, buffer, writeNow) => {
      if (cursor < SIZE) dataWrites += 1;
      // A filling disk may store part of a buffer and report it without an error.
      if (cursor < SIZE && dataWrites % 7 === 3) return writeNow(cursor, buffer.subarray(0, Math.ceil(buffer.length / 2)));
      return writeNow(cursor, buffer);
    });
    await engine.download();
    expect((await readFile(savePath)).equals(source)).toBe(true);
  }, 60_000);

  it('refuses an engine without the parts it relies on, naming the missing one, as a failure not worth retrying', () => {
    let thrown: unknown = null;
    try {
      guardDownloadWrites({ options: { writeStream: {} } }, { folderForMessages: MODELS_FOLDER });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(IpullInternalsChangedError);
    expect((thrown as IpullInternalsChangedError).message).toMatch(/writeStream\.write/);
    expect((thrown as IpullInternalsChangedError).retriable).toBe(false);
  });
});
