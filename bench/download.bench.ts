// `npm run bench:download`: CodeSage's DownloadManager against curl on the same loopback server
// and file, interleaved in one run, plus the bytes fetched again after an interrupted download.
// The file is a real GGUF (about BENCH_DOWNLOAD_MIB MiB, default 1024) because the manager checks
// the header before installing. CodeSage's time is split into the transfer (until 'verifying')
// and verification (sha256 of the whole file + GGUF header check + move into the models folder),
// which curl does not do. Node's own fetch streamed to a file is measured too: it is the ceiling
// of any Node-side downloader here. Prints JSON; BENCH_REPETITIONS sets the repetitions (default 3).
import { execFile, fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import type { DownloadJob } from '../common/models/downloadSchema';
import { DEFAULT_CHUNK_SIZE, DEFAULT_PARALLEL_STREAMS, DownloadManager } from '../main/services/downloads/DownloadManager';
import { writeTinyLlamaGguf } from '../main/testing/gguf/writeTinyLlamaGguf';

const run = promisify(execFile);
const SIZE_MIB = Number(process.env.BENCH_DOWNLOAD_MIB ?? 1024);
const REPETITIONS = Number(process.env.BENCH_REPETITIONS ?? 3);
const PATH = '/bench/model.gguf';
const TARGET_RATIO = 0.9;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function waitFor(
  manager: DownloadManager,
  id: string,
  states: readonly DownloadJob['state'][],
  onJob?: (job: DownloadJob) => void,
): Promise<DownloadJob> {
  return new Promise((resolve, reject) => {
    const check = (job: DownloadJob): void => {
      if (job.id !== id) return;
      onJob?.(job);
      if (job.state === 'failed') {
        subscription.dispose();
        reject(new Error(`download failed: ${job.error?.message ?? '?'}`));
      } else if (states.includes(job.state)) {
        subscription.dispose();
        resolve(job);
      }
    };
    const subscription = manager.onDidChange(check);
    check(manager.get(id));
  });
}

interface ServerProcess {
  readonly url: (path: string) => string;
  readonly bytesSent: (path: string) => Promise<number>;
  readonly close: () => void;
}

/** The file server in a child process (see support/fileServerProcess.ts). */
async function startServerProcess(files: Record<string, { path: string; sha256: string }>): Promise<ServerProcess> {
  const child: ChildProcess = fork(new URL('./support/fileServerProcess.ts', import.meta.url).pathname, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const base = await new Promise<string>((resolve) => {
    child.once('message', (message: { url: string }) => {
      resolve(message.url.replace(/\/$/, ''));
    });
    child.send({ type: 'start', files });
  });
  return {
    url: (path) => `${base}${path}`,
    bytesSent: (path) =>
      new Promise((resolve) => {
        child.once('message', (message: { bytesSent: number }) => {
          resolve(message.bytesSent);
        });
        child.send({ type: 'bytesSent', path });
      }),
    close: () => {
      child.disconnect();
    },
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'codesage-bench-download-'));
  try {
    // Each F16 block of this shape is about 134 MB; the vocabulary adds a little.
    const blockCount = Math.max(1, Math.round((SIZE_MIB * 1024 * 1024) / 134_217_728));
    const model = await writeTinyLlamaGguf(join(dir, 'model.gguf'), {
      seed: 1,
      blockCount,
      embeddingLength: 2048,
      feedForwardLength: 8192,
      headCount: 16,
      headCountKv: 16,
      weightType: 'F16',
    });
    const server = await startServerProcess({ [PATH]: { path: model.path, sha256: model.sha256 } });
    const url = server.url(PATH);
    const curlMs: number[] = [];
    const fetchMs: number[] = [];
    const transferMs: number[] = [];
    const totalMs: number[] = [];
    for (let rep = 0; rep < REPETITIONS; rep += 1) {
      const curlTarget = join(dir, `curl-${String(rep)}.gguf`);
      const curlStart = performance.now();
      await run('curl', ['-sS', '--fail', '-o', curlTarget, url]);
      curlMs.push(performance.now() - curlStart);
      await rm(curlTarget);

      // Node's own HTTP client (undici fetch, streamed to a file): the ceiling for any Node-side
      // downloader on this machine, ipull included.
      const fetchTarget = join(dir, `fetch-${String(rep)}.gguf`);
      const fetchStart = performance.now();
      const response = await fetch(url);
      if (response.body === null) throw new Error('empty response');
      await pipeline(Readable.fromWeb(response.body as never), createWriteStream(fetchTarget));
      fetchMs.push(performance.now() - fetchStart);
      await rm(fetchTarget);

      const root = join(dir, `cs-${String(rep)}`);
      await mkdir(root);
      const manager = await DownloadManager.create({ modelsFolder: () => join(root, 'models'), stateFolder: join(root, 'state') });
      const start = performance.now();
      const job = await manager.start({ uri: url, sha256: model.sha256 });
      await waitFor(manager, job.id, ['verifying', 'completed']);
      transferMs.push(performance.now() - start);
      await waitFor(manager, job.id, ['completed']);
      totalMs.push(performance.now() - start);
      await manager.dispose();
      await rm(root, { recursive: true, force: true });
    }

    // Interrupted at about half way (the app quits), then resumed by a new manager.
    const root = join(dir, 'interrupted');
    const options = { modelsFolder: () => join(root, 'models'), stateFolder: join(root, 'state') };
    const sentBefore = await server.bytesSent(PATH);
    const first = await DownloadManager.create(options);
    const job = await first.start({ uri: url, sha256: model.sha256 });
    // The most bytes the first manager reported as read from the network, up to its end.
    let receivedAtInterrupt = 0;
    const watching = first.onDidChange((current) => {
      if (current.id === job.id) receivedAtInterrupt = Math.max(receivedAtInterrupt, current.receivedBytes);
    });
    await new Promise<void>((resolve) => {
      const subscription = first.onDidChange((current) => {
        if (current.id === job.id && current.receivedBytes >= model.sizeBytes / 2) {
          subscription.dispose();
          resolve();
        }
      });
    });
    await first.dispose();
    watching.dispose();
    // Progress events are throttled; the job itself holds the last count ipull reported.
    receivedAtInterrupt = Math.max(receivedAtInterrupt, first.get(job.id).receivedBytes);
    const sentAtInterrupt = (await server.bytesSent(PATH)) - sentBefore;
    const second = await DownloadManager.create(options);
    await waitFor(second, job.id, ['completed']);
    await second.dispose();
    const sentTotal = (await server.bytesSent(PATH)) - sentBefore;
    // What the resume did not fetch again is what the first manager had kept.
    const readButLost = receivedAtInterrupt - (model.sizeBytes - (sentTotal - sentAtInterrupt));
    server.close();

    const mib = model.sizeBytes / (1024 * 1024);
    const curlMedian = median(curlMs);
    const transferMedian = median(transferMs);
    const totalMedian = median(totalMs);
    const result = {
      benchmark: 'download',
      fileBytes: model.sizeBytes,
      repetitions: REPETITIONS,
      loadAverage: loadavg()[0],
      parallelStreams: DEFAULT_PARALLEL_STREAMS,
      chunkSize: DEFAULT_CHUNK_SIZE,
      curl: {
        medianMs: Math.round(curlMedian),
        mibPerSecond: Number((mib / (curlMedian / 1000)).toFixed(1)),
        samplesMs: curlMs.map(Math.round),
      },
      nodeFetch: {
        medianMs: Math.round(median(fetchMs)),
        mibPerSecond: Number((mib / (median(fetchMs) / 1000)).toFixed(1)),
        ratioVsCurl: Number((curlMedian / median(fetchMs)).toFixed(3)),
      },
      codesage: {
        transferMedianMs: Math.round(transferMedian),
        transferMibPerSecond: Number((mib / (transferMedian / 1000)).toFixed(1)),
        endToEndMedianMs: Math.round(totalMedian),
        endToEndMibPerSecond: Number((mib / (totalMedian / 1000)).toFixed(1)),
        transferSamplesMs: transferMs.map(Math.round),
        endToEndSamplesMs: totalMs.map(Math.round),
      },
      ratio: {
        transferVsCurl: Number((curlMedian / transferMedian).toFixed(3)),
        transferVsNodeFetch: Number((median(fetchMs) / transferMedian).toFixed(3)),
        endToEndVsCurl: Number((curlMedian / totalMedian).toFixed(3)),
        target: TARGET_RATIO,
        transferMeetsTarget: curlMedian / transferMedian >= TARGET_RATIO,
      },
      interrupted: {
        bytesSentBeforeInterrupt: sentAtInterrupt,
        bytesSentInTotal: sentTotal,
        refetchedBytes: sentTotal - model.sizeBytes,
        // Where the re-fetched bytes were: sent by the server but never read by the app (socket
        // buffers at the moment it quit), or read by the app and lost with the chunks that were
        // not complete. Only the second is lost progress, and it is what the bound is about:
        // one unfinished chunk per connection.
        refetched: {
          sentButNeverRead: Math.max(0, sentAtInterrupt - receivedAtInterrupt),
          readButLost: Math.max(0, readButLost),
        },
        boundBytes: DEFAULT_PARALLEL_STREAMS * DEFAULT_CHUNK_SIZE,
        readButLostWithinBound: readButLost <= DEFAULT_PARALLEL_STREAMS * DEFAULT_CHUNK_SIZE,
      },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
