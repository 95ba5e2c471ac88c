// Model downloads that do not lose a byte or a minute. Transfers run on ipull (the engine under
// node-llama-cpp's createModelDownloader): parallel ranged connections, and progress kept inside
// the partial file itself, so a pause, an app restart or a kill -9 resumes from the last finished
// chunk (guardDownloadWrites keeps that record from running ahead of the bytes, and fails a
// transfer cleanly when the disk does). Around it this class adds what ipull lacks: a durable job
// list, a queue with a concurrency limit, a stall watchdog, retries with exponential backoff, a
// free-space check before starting, and sha256 + GGUF verification before a file enters the
// models folder. A pause closes the transfer and keeps the partial file: resuming takes the same
// path as recovering from a crash.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadFile } from 'ipull';
import { z } from 'zod';
import { Emitter } from '../../../common/base/Emitter';
import type { Event } from '../../../common/base/Emitter';
import { downloadJobSchema } from '../../../common/models/downloadSchema';
import type { DownloadJob, StartDownloadInput } from '../../../common/models/downloadSchema';
import { pathExists } from '../fs/pathExists';
import { writeFileAtomic } from '../fs/writeFileAtomic';
import { inspectGgufFile } from '../models/inspectGgufFile';
import {
  ChecksumMismatchError,
  DownloadError,
  DownloadNetworkError,
  DownloadNotFoundError,
  DownloadStalledError,
  InsufficientDiskSpaceError,
  InvalidDownloadedModelError,
  ModelAlreadyInstalledError,
  PartialNotDeletedError,
  RemoteAccessDeniedError,
  RemoteFileNotFoundError,
  RemoteServerError,
} from './errors/DownloadError';
import { guardIpullRejections } from './guardIpullRejections';
import { resolveDownloadSource } from './resolveDownloadSource';
import type { ResolveDownloadSourceOptions } from './resolveDownloadSource';
import { endTransferAtFirstRetry, guardDownloadWrites } from './guardDownloadWrites';
import type { DataWriteGuard, FirstFailureWatch } from './guardDownloadWrites';
import { sha256File } from './sha256File';

export interface DownloadRetryOptions {
  /** Transfer attempts before a job fails (the first try included). */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface DownloadManagerOptions {
  /** The models folder now (the storage location may change between downloads). */
  readonly modelsFolder: () => string;
  /** Where the job list is kept (`<dataDir>/downloads`). */
  readonly stateFolder: string;
  /** Downloads that transfer at the same time; the rest wait in the queue. Default 2. */
  readonly concurrency?: number;
  /** Connections per file. Default 4. */
  readonly parallelStreams?: number;
  /** Progress is saved per chunk: at most this much per connection is fetched again after a crash. Default 2 MiB. */
  readonly chunkSize?: number;
  /** A transfer that receives nothing for this long is restarted. Default 30 s. */
  readonly stallTimeoutMs?: number;
  readonly retry?: Partial<DownloadRetryOptions>;
  /** Extra room kept free on the disk beyond the file itself. Default 256 MiB. */
  readonly diskHeadroomBytes?: number;
  readonly huggingFaceEndpoint?: string;
  /** Expected sha256 of catalog files, by URI. */
  readonly knownSha256?: (uri: string) => string | null;
  /** Start the downloads found unfinished in the job list (default true; the CLI's read-only commands say false). */
  readonly resumeOnStart?: boolean;
  /** Replaces fs.statfs, for tests. */
  readonly freeBytes?: (folder: string) => Promise<number>;
  /** Replaces the recursive delete of a job's partial folder, for tests. */
  readonly removeFolder?: (folder: string) => Promise<void>;
}

type StopReason = 'pause' | 'cancel' | 'dispose';

interface ActiveTransfer {
  readonly engine: Awaited<ReturnType<typeof downloadFile>>;
  stopReason: 'pause' | 'cancel' | 'stall' | 'dispose' | null;
}

interface JobRecord {
  job: DownloadJob;
  transfer: ActiveTransfer | null;
  /** Set while the job waits between attempts; aborting it wakes the job up to stop. */
  backoff: AbortController | null;
  /** The run loop while it runs (null otherwise): a stop waits for it to end. */
  run: Promise<void> | null;
  /** A pause or cancel under way; a start of the same download waits for it. */
  stopping: Promise<unknown> | null;
  /** A pause, cancel or quit asked the job to stop; cleared when it is queued again. */
  stopRequested: StopReason | null;
  lastEmit: number;
}

const STATE_FILE = 'downloads.json';
/**
 * ipull keeps each connection's current chunk in memory and writes it, then its progress, when the
 * chunk is complete: a crash loses at most the unfinished chunk of each connection. Bigger chunks
 * are faster on loopback (8 MiB: 90-115 MiB/s, 2 MiB: 55-75 MiB/s, measured with bench:download's
 * setup) but lose more; resuming is the promise we make, so the chunk stays small.
 */
export const DEFAULT_CHUNK_SIZE = 2 * 1024 * 1024;
export const DEFAULT_PARALLEL_STREAMS = 4;
const PARTIAL_FOLDER = '.downloads';
const PROGRESS_EMIT_INTERVAL_MS = 250;
const ACTIVE_STATES = new Set<DownloadJob['state']>(['queued', 'downloading', 'verifying']);
const stateFileSchema = z.object({ version: z.literal(1), jobs: z.array(downloadJobSchema) });

export class DownloadManager implements AsyncDisposable {
  readonly #options: DownloadManagerOptions;
  readonly #retry: DownloadRetryOptions;
  readonly #records = new Map<string, JobRecord>();
  readonly #onDidChange = new Emitter<DownloadJob>();
  #saving: Promise<void> = Promise.resolve();
  #disposed = false;
  readonly #releaseGuard = guardIpullRejections();

  /** Every change of a job: state changes at once, progress about four times a second. */
  readonly onDidChange: Event<DownloadJob> = this.#onDidChange.event;

  private constructor(options: DownloadManagerOptions) {
    this.#options = options;
    this.#retry = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000, ...options.retry };
  }

  /** Restores the job list; downloads that were running when the app stopped resume. */
  static async create(options: DownloadManagerOptions): Promise<DownloadManager> {
    const manager = new DownloadManager(options);
    await mkdir(options.stateFolder, { recursive: true });
    for (const job of await loadJobs(join(options.stateFolder, STATE_FILE))) {
      const restored: DownloadJob = ACTIVE_STATES.has(job.state) ? { ...job, state: 'queued', bytesPerSecond: 0, etaSeconds: null } : job;
      manager.#records.set(job.id, newRecord(restored));
    }
    if (options.resumeOnStart !== false) manager.#pump();
    return manager;
  }

  list(): DownloadJob[] {
    return [...this.#records.values()].map((record) => record.job).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  get(id: string): DownloadJob {
    return this.#record(id).job;
  }

  /**
   * Queues a download after asking the server what it is and checking the disk has room for it.
   * Throws (creating no job) for a bad URI, a missing file, no access, no disk space, or a model
   * that is already installed. The same URL already in progress returns that job; one paused goes
   * on; one that failed goes on from its partial file when there is one and the file on the server
   * is the same (a full disk, a network that was down), with the hash asked for now, and is
   * otherwise replaced by a new download. (From a server that cannot resume, going on means
   * starting again from zero.)
   */
  async start(input: StartDownloadInput, options: { signal?: AbortSignal } = {}): Promise<DownloadJob> {
    this.#throwIfDisposed();
    const resolveOptions: ResolveDownloadSourceOptions = {
      ...(this.#options.huggingFaceEndpoint === undefined ? {} : { huggingFaceEndpoint: this.#options.huggingFaceEndpoint }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    const source = await resolveDownloadSource(input.uri, resolveOptions);
    const unfinished = (record: JobRecord | undefined): JobRecord | undefined =>
      record !== undefined && !['completed', 'cancelled'].includes(record.job.state) ? record : undefined;
    let existing = unfinished([...this.#records.values()].find((record) => unfinished(record)?.job.url === source.url));
    if (existing?.stopping) {
      // A pause or cancel of it is under way: ask again once it is done (a paused one then resumes).
      await existing.stopping.catch(() => undefined);
      existing = unfinished(existing);
    }
    const [sha256Expected, sha256Source] = this.#expectedSha256(input, source);
    const folder = this.#options.modelsFolder();
    if (existing?.job.state === 'paused') {
      if (input.sha256 !== undefined && input.sha256 !== existing.job.sha256Expected) {
        await this.#update(existing, { sha256Expected: input.sha256, sha256Source: 'user' }, true);
      }
      return this.resume(existing.job.id);
    }
    if (existing?.job.state === 'failed') {
      if (await pathExists(join(folder, existing.job.fileName))) throw new ModelAlreadyInstalledError(existing.job.fileName);
      // A transfer that failed (a full disk, a network that stayed down) goes on from its partial
      // file, with the hash asked for now; one whose file failed its checks kept no partial, and a
      // file that changed on the server since cannot be pieced together with the old bytes.
      const sameFile =
        source.totalBytes === existing.job.totalBytes &&
        (existing.job.sha256Source !== 'server' || source.sha256 === existing.job.sha256Expected);
      if (sameFile && (await partialSize(this.#partialPath(existing.job))) > 0) {
        await this.#update(existing, { sha256Expected, sha256Source }, true);
        return this.resume(existing.job.id);
      }
      await this.remove(existing.job.id).catch((error: unknown) => {
        // Its partial could not be deleted: it stays listed, cancelled, saying so, and the new
        // download gets a folder of its own.
        if (!(error instanceof PartialNotDeletedError)) throw error;
      });
    } else if (existing !== undefined) {
      // It may be waiting in a list restored without resuming (the CLI): asking for it starts it.
      this.#pump();
      return existing.job;
    }

    const fileName = sanitizeFileName(input.fileName ?? source.fileName);
    if (await pathExists(join(folder, fileName))) throw new ModelAlreadyInstalledError(fileName);
    await this.#checkDiskSpace(folder, source.totalBytes, 0);

    const now = new Date().toISOString();
    const job: DownloadJob = {
      id: randomUUID(),
      uri: input.uri,
      url: source.url,
      fileName,
      catalogId: input.catalogId ?? null,
      state: 'queued',
      totalBytes: source.totalBytes,
      acceptRanges: source.acceptRanges,
      receivedBytes: 0,
      bytesPerSecond: 0,
      etaSeconds: null,
      attempts: 0,
      error: null,
      sha256Expected,
      sha256Source,
      createdAt: now,
      updatedAt: now,
      modelId: null,
    };
    this.#records.set(job.id, newRecord(job));
    await this.#persist();
    this.#onDidChange.fire(job);
    this.#pump();
    return job;
  }

  /** The hash a download must match: the one given, else the catalog's, else the server's. */
  #expectedSha256(
    input: StartDownloadInput,
    source: { readonly sha256: string | null },
  ): [string, DownloadJob['sha256Source']] | [null, null] {
    if (input.sha256 !== undefined) return [input.sha256, 'user'];
    const catalogSha = this.#options.knownSha256?.(input.uri) ?? null;
    if (catalogSha !== null) return [catalogSha, 'catalog'];
    return source.sha256 !== null ? [source.sha256, 'server'] : [null, null];
  }

  /** Stops the transfer and keeps the partial file; `resume` goes on from it. */
  async pause(id: string): Promise<DownloadJob> {
    const record = this.#record(id);
    if (!['queued', 'downloading'].includes(record.job.state)) return record.job;
    return this.#whileStopping(record, () => this.#pauseStopped(record));
  }

  async #pauseStopped(record: JobRecord): Promise<DownloadJob> {
    await this.#stop(record, 'pause');
    // It may have finished, or failed, before the stop reached it.
    if (!['queued', 'downloading'].includes(record.job.state)) return record.job;
    return this.#update(record, { state: 'paused', bytesPerSecond: 0, etaSeconds: null }, true);
  }

  /** Queues a paused or failed download again, from its partial file. */
  async resume(id: string): Promise<DownloadJob> {
    this.#throwIfDisposed();
    const record = this.#record(id);
    if (!['paused', 'failed'].includes(record.job.state)) return record.job;
    const folder = this.#options.modelsFolder();
    await this.#checkDiskSpace(folder, record.job.totalBytes, await partialSize(this.#partialPath(record.job)));
    record.stopRequested = null;
    const job = await this.#update(record, { state: 'queued', error: null, attempts: 0 }, true);
    this.#pump();
    return job;
  }

  /** Stops the download and deletes its partial file. */
  async cancel(id: string): Promise<DownloadJob> {
    const record = this.#record(id);
    if (['completed', 'cancelled'].includes(record.job.state)) return record.job;
    return this.#whileStopping(record, () => this.#cancelStopped(record));
  }

  async #cancelStopped(record: JobRecord): Promise<DownloadJob> {
    await this.#stop(record, 'cancel');
    // Installed before the stop reached it: there is nothing left to cancel.
    if (record.job.state === 'completed') return record.job;
    // The download is stopped either way: a partial that cannot be deleted (a program holds it open)
    // is reported on the cancelled job, not left as a job that looks alive.
    const notDeleted = await this.#removePartial(record.job);
    const error = notDeleted === null ? null : { name: notDeleted.name, message: notDeleted.message };
    return this.#update(record, { state: 'cancelled', bytesPerSecond: 0, etaSeconds: null, receivedBytes: 0, error }, true);
  }

  /** Deletes a job's partial folder; returns why it could not, instead of throwing. */
  async #removePartial(job: DownloadJob): Promise<PartialNotDeletedError | null> {
    const folder = join(this.#options.modelsFolder(), PARTIAL_FOLDER, job.id);
    try {
      await (this.#options.removeFolder ?? removeFolder)(folder);
      return null;
    } catch (error) {
      return new PartialNotDeletedError(job.fileName, folder, error);
    }
  }

  async #whileStopping(record: JobRecord, stop: () => Promise<DownloadJob>): Promise<DownloadJob> {
    const stopping = stop();
    record.stopping = stopping;
    try {
      return await stopping;
    } finally {
      if (record.stopping === stopping) record.stopping = null;
    }
  }

  /** Forgets a finished, failed or cancelled download (an unfinished one is cancelled first). */
  async remove(id: string): Promise<boolean> {
    const record = this.#records.get(id);
    if (record === undefined) return false;
    if (!['completed', 'cancelled'].includes(record.job.state)) await this.cancel(id);
    // A cancel that could not delete the partial tried once; dismissing tries again, and keeps the
    // job listed while the file is still there.
    if (record.job.state === 'cancelled') {
      const notDeleted = await this.#removePartial(record.job);
      if (notDeleted !== null) {
        await this.#update(record, { error: { name: notDeleted.name, message: notDeleted.message } }, true);
        throw notDeleted;
      }
    }
    this.#records.delete(id);
    await this.#persist();
    return true;
  }

  /** Where the partial file of a job lives (ipull adds `.ipull` until it is complete). */
  partialPathOf(id: string): string {
    return this.#partialPath(this.#record(id).job);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await Promise.allSettled([...this.#records.values()].map((record) => this.#stop(record, 'dispose')));
    await this.#persist();
    this.#onDidChange.dispose();
    // Late rejections of closed streams may still be queued; let them drain first.
    setTimeout(this.#releaseGuard, 1000).unref();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  #pump(): void {
    if (this.#disposed) return;
    const concurrency = Math.max(1, this.#options.concurrency ?? 2);
    let running = [...this.#records.values()].filter((record) => record.run !== null).length;
    for (const record of [...this.#records.values()].sort((a, b) => a.job.createdAt.localeCompare(b.job.createdAt))) {
      if (running >= concurrency) break;
      if (record.job.state !== 'queued' || record.run !== null || record.stopRequested !== null) continue;
      running += 1;
      // `run` is set before the loop's first step, so a stop from its first event waits for it. A
      // loop ends early only when the job list cannot be written, and the job's state stays in memory.
      record.run = Promise.resolve()
        .then(() => this.#run(record))
        .catch(() => undefined)
        .finally(() => {
          record.run = null;
          this.#pump();
        });
    }
  }

  async #run(record: JobRecord): Promise<void> {
    for (;;) {
      // A stop ends the loop wherever it is; the one who asked sets the state that follows.
      if (this.#disposed || record.stopRequested !== null || record.job.state !== 'queued') return;
      await this.#update(record, { state: 'downloading', attempts: record.job.attempts + 1, error: null }, true);
      if (stopRequested(record) !== null) return;
      let failure: unknown = null;
      let stopped: ActiveTransfer['stopReason'] = null;
      try {
        stopped = await this.#transfer(record);
      } catch (error) {
        failure = error;
      }
      // A stop that raced a stall or a failure wins: no retry, no 'failed'.
      if (stopRequested(record) !== null || stopped === 'pause' || stopped === 'cancel' || stopped === 'dispose' || this.#isDisposed())
        return;
      if (failure === null && stopped === null) {
        await this.#finish(record);
        return;
      }
      const error =
        stopped === 'stall' ? new DownloadStalledError(Math.round(this.#stallTimeoutMs / 1000)) : toDownloadError(failure, record.job.url);
      if (!error.retriable || record.job.attempts >= this.#retry.attempts) {
        await this.#update(
          record,
          { state: 'failed', error: { name: error.name, message: error.message }, bytesPerSecond: 0, etaSeconds: null },
          true,
        );
        return;
      }
      // Keep the reason visible while waiting, then try again from the partial file. The wait can be
      // woken from the moment it is decided on, so a stop never sits through it.
      record.backoff = new AbortController();
      await this.#update(
        record,
        { state: 'queued', error: { name: error.name, message: error.message }, bytesPerSecond: 0, etaSeconds: null },
        true,
      );
      const delay = Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (record.job.attempts - 1));
      await sleep(delay, record.backoff.signal);
      record.backoff = null;
    }
  }

  /** One attempt; resolves with why it stopped early, or null when the file is complete. */
  async #transfer(record: JobRecord): Promise<ActiveTransfer['stopReason']> {
    const job = record.job;
    const partial = this.#partialPath(job);
    await mkdir(join(this.#options.modelsFolder(), PARTIAL_FOLDER, job.id), { recursive: true });
    if (record.stopRequested !== null) return record.stopRequested;
    if (await pathExists(partial)) return null; // completed before a crash, not yet verified
    // A server without ranges (or without a length) can only send the file from its start. ipull's
    // own retry of a dropped connection would write that new start after the bytes it already has
    // (a corrupt model, installed as whole when no checksum is known), and it reads a partial of
    // unknown length whole into memory as if it were its progress record. So such a download starts
    // every attempt from an empty file, and the first failure ipull would retry ends the attempt
    // instead (endTransferAtFirstRetry): the backoff of the run loop tries again.
    const resumable = job.totalBytes !== null && job.acceptRanges;
    if (!resumable) await rm(`${partial}.ipull`, { force: true });
    const engine = await downloadFile({
      url: job.url,
      savePath: partial,
      parallelStreams: this.#options.parallelStreams ?? DEFAULT_PARALLEL_STREAMS,
      chunkSize: this.#options.chunkSize ?? DEFAULT_CHUNK_SIZE,
      skipExisting: false,
      cliProgress: false,
      // ipull's own retries cover a quick hiccup; longer trouble comes back here for backoff.
      retry: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 1000 },
      retryOnServerError: false,
      // What our HEAD learned; without it ipull sends a GET whose body it never reads.
      ...(job.totalBytes === null ? {} : { defaultFetchDownloadInfo: { length: job.totalBytes, acceptRange: job.acceptRanges } }),
    });
    let writes: DataWriteGuard;
    let firstFailure: FirstFailureWatch | null;
    try {
      writes = guardDownloadWrites(engine, { folderForMessages: this.#options.modelsFolder(), lengthKnown: job.totalBytes !== null });
      firstFailure = resumable ? null : endTransferAtFirstRetry(engine);
    } catch (error) {
      await engine.close();
      throw error;
    }
    const transfer: ActiveTransfer = { engine, stopReason: null };
    record.transfer = transfer;
    // A stop that came while the engine was being made found no transfer to close.
    const stopBeforeStart = stopRequested(record);
    if (stopBeforeStart !== null) {
      record.transfer = null;
      await engine.close();
      await writes.whenClosed();
      return stopBeforeStart;
    }
    let lastProgressAt = Date.now();
    let lastBytes = -1;
    const onProgress = (status: { transferredBytes: number; totalBytes: number; speed?: number; timeLeft?: number }): void => {
      if (status.transferredBytes !== lastBytes) {
        lastBytes = status.transferredBytes;
        lastProgressAt = Date.now();
      }
      const speed = Number.isFinite(status.speed) ? Math.max(0, status.speed ?? 0) : 0;
      const eta = Number.isFinite(status.timeLeft) && (status.timeLeft ?? 0) > 0 ? (status.timeLeft ?? 0) / 1000 : null;
      void this.#update(record, {
        receivedBytes: status.transferredBytes,
        totalBytes: status.totalBytes > 0 ? status.totalBytes : record.job.totalBytes,
        bytesPerSecond: speed,
        etaSeconds: eta,
      });
    };
    engine.on('progress', onProgress);
    const watchdog = setInterval(
      () => {
        if (Date.now() - lastProgressAt > this.#stallTimeoutMs && transfer.stopReason === null) {
          transfer.stopReason = 'stall';
          void engine.close();
        }
      },
      Math.min(1000, Math.max(50, this.#stallTimeoutMs / 4)),
    );
    try {
      await engine.download();
    } catch (error) {
      // A failed disk write closes the transfer; whatever ipull then reports, the disk is the cause.
      throw writes.writeFailure() ?? brokenTransfer(job, firstFailure) ?? error;
    } finally {
      clearInterval(watchdog);
      engine.off('progress', onProgress);
      firstFailure?.dispose();
      // Whoever closed the engine first (pause, watchdog, failed write) may still be saving its last
      // record; the next attempt must not open the file before that is done.
      await writes.whenClosed();
      record.transfer = null;
    }
    const writeFailure = writes.writeFailure();
    if (writeFailure !== null) throw writeFailure;
    if (transfer.stopReason !== null) return transfer.stopReason;
    const broken = brokenTransfer(job, firstFailure);
    if (broken !== null) throw broken;
    if (!(await pathExists(partial))) throw new DownloadNetworkError(job.url, new Error('the transfer ended before the file was complete'));
    return null;
  }

  async #finish(record: JobRecord): Promise<void> {
    const job = record.job;
    const partial = this.#partialPath(job);
    await this.#update(record, { state: 'verifying', bytesPerSecond: 0, etaSeconds: null }, true);
    try {
      const size = (await stat(partial)).size;
      if (job.totalBytes !== null && size !== job.totalBytes) {
        throw new InvalidDownloadedModelError(
          job.fileName,
          `it has ${String(size)} bytes where the server announced ${String(job.totalBytes)}.`,
        );
      }
      if (job.sha256Expected !== null) {
        const actual = await sha256File(partial);
        if (actual !== job.sha256Expected) throw new ChecksumMismatchError(job.fileName, job.sha256Expected, actual);
      }
      const inspection = await inspectGgufFile(partial);
      if (inspection.status !== 'ok') {
        throw new InvalidDownloadedModelError(job.fileName, inspection.status === 'invalid' ? inspection.problem : 'the file vanished.');
      }
      const target = join(this.#options.modelsFolder(), job.fileName);
      if (await pathExists(target)) throw new ModelAlreadyInstalledError(job.fileName);
      // A cancel (or a quit) during the checks: the file is not installed; a quit checks it again at the next start.
      if (record.stopRequested !== null) return;
      await rename(partial, target);
      // The model is installed; a partial folder left empty is harmless.
      await this.#removePartial(job);
      await this.#update(record, { state: 'completed', modelId: job.fileName, receivedBytes: size, totalBytes: size, error: null }, true);
    } catch (error) {
      // A bad file never reaches the models folder; a later retry downloads it afresh.
      await this.#removePartial(job);
      // A cancel that came during the checks (which it cannot interrupt) has the last word.
      if (record.stopRequested === 'cancel') return;
      const failure = toDownloadError(error, job.url);
      await this.#update(record, { state: 'failed', receivedBytes: 0, error: { name: failure.name, message: failure.message } }, true);
    }
  }

  async #stop(record: JobRecord, reason: StopReason): Promise<void> {
    record.stopRequested = reason;
    record.backoff?.abort();
    const transfer = record.transfer;
    if (transfer !== null) {
      transfer.stopReason ??= reason;
      await transfer.engine.close();
    }
    // Wait for the run loop to end (and the transfer's last record to be saved), so no write races
    // the caller's next step. The wait is bounded: ipull cannot abort a request still waiting for
    // the server's headers, and a quit does not sit through a checksum of a large file (the job is
    // checked again at the next start). A loop that ends later leaves the state alone.
    if (record.run !== null) await Promise.race([record.run, sleep(reason === 'dispose' ? 2000 : 10_000)]);
  }

  async #checkDiskSpace(folder: string, totalBytes: number | null, alreadyHave: number): Promise<void> {
    if (totalBytes === null) return;
    await mkdir(folder, { recursive: true });
    const free = await (this.#options.freeBytes ?? freeBytesOf)(folder);
    const needed = totalBytes - alreadyHave + (this.#options.diskHeadroomBytes ?? 256 * 1024 * 1024);
    if (free < needed) throw new InsufficientDiskSpaceError(folder, needed, free);
  }

  async #update(record: JobRecord, patch: Partial<DownloadJob>, important = false): Promise<DownloadJob> {
    record.job = { ...record.job, ...patch, updatedAt: new Date().toISOString() };
    const now = Date.now();
    if (important || now - record.lastEmit >= PROGRESS_EMIT_INTERVAL_MS) {
      record.lastEmit = now;
      this.#onDidChange.fire(record.job);
    }
    if (important) await this.#persist();
    return record.job;
  }

  /** Writes the job list atomically (temp file, fsync, rename), one write at a time. */
  #persist(): Promise<void> {
    const jobs = this.list();
    const path = join(this.#options.stateFolder, STATE_FILE);
    // One failed write (a full disk) must not fail every later one.
    this.#saving = this.#saving
      .catch(() => undefined)
      .then(() => writeFileAtomic(path, `${JSON.stringify({ version: 1, jobs }, null, 1)}\n`));
    return this.#saving;
  }

  #partialPath(job: DownloadJob): string {
    return join(this.#options.modelsFolder(), PARTIAL_FOLDER, job.id, job.fileName);
  }

  #record(id: string): JobRecord {
    const record = this.#records.get(id);
    if (record === undefined) throw new DownloadNotFoundError(id);
    return record;
  }

  get #stallTimeoutMs(): number {
    return this.#options.stallTimeoutMs ?? 30_000;
  }

  /** A method, not the field, so TypeScript does not assume it unchanged across an await. */
  #isDisposed(): boolean {
    return this.#disposed;
  }

  #throwIfDisposed(): void {
    if (this.#disposed) throw new Error('The download manager is shutting down; try again after the restart.');
  }
}

async function loadJobs(path: string): Promise<DownloadJob[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const parsed = stateFileSchema.safeParse(safeJson(text));
  if (parsed.success) return parsed.data.jobs;
  // Keep the unreadable file for inspection rather than silently dropping the user's downloads.
  await rename(path, `${path}.corrupt-${String(Date.now())}`).catch(() => undefined);
  return [];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toDownloadError(error: unknown, url: string): DownloadError {
  if (error instanceof DownloadError) return error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number') {
    if (status === 404 || status === 410) return new RemoteFileNotFoundError(url);
    if (status === 401 || status === 403) return new RemoteAccessDeniedError(url, status);
    return new RemoteServerError(url, status);
  }
  return new DownloadNetworkError(url, error);
}

function sanitizeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const cleaned = name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '');
  const withExtension = cleaned.toLowerCase().endsWith('.gguf') ? cleaned : `${cleaned}.gguf`;
  return withExtension.length > 200 ? `${withExtension.slice(0, 195)}.gguf` : withExtension;
}

async function partialSize(path: string): Promise<number> {
  try {
    return (await stat(`${path}.ipull`)).size;
  } catch {
    return 0;
  }
}

/** The error of an attempt that could not resume and failed (see endTransferAtFirstRetry), or null. */
function brokenTransfer(job: DownloadJob, watch: FirstFailureWatch | null): DownloadNetworkError | null {
  const failure = watch?.failure() ?? null;
  return failure === null ? null : new DownloadNetworkError(job.url, failure.cause, false);
}

async function removeFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}

async function freeBytesOf(folder: string): Promise<number> {
  const stats = await statfs(folder);
  return stats.bavail * stats.bsize;
}

function newRecord(job: DownloadJob): JobRecord {
  return { job, transfer: null, backoff: null, run: null, stopping: null, stopRequested: null, lastEmit: 0 };
}

/** Read through a call: a stop may come during any await, which the type checker cannot see. */
function stopRequested(record: JobRecord): StopReason | null {
  return record.stopRequested;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
