// Proves the fault-injecting file server drives a real downloader: node-llama-cpp's
// createModelDownloader (ipull underneath) against 127.0.0.1, and records how it reacts to a
// dropped connection, which the download manager has to build on.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createModelDownloader } from 'node-llama-cpp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFileServer } from './startFileServer';
import type { FileServer } from './startFileServer';
import { writeRandomFile } from './writeRandomFile';
import type { RandomFileInfo } from './writeRandomFile';

const SIZE = 12 * 1024 * 1024;
const MODEL = '/model.gguf';

describe('createModelDownloader against startFileServer', () => {
  let dir = '';
  let source: RandomFileInfo | null = null;
  let server: FileServer | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codesage-download-'));
    source = await writeRandomFile(join(dir, 'source', 'model.gguf'), SIZE, { seed: 5 });
  });
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function download(target: string): Promise<string> {
    if (server === null) throw new Error('start the server first');
    const downloader = await createModelDownloader({
      modelUri: server.url(MODEL),
      dirPath: join(dir, target),
      fileName: 'model.gguf',
      skipExisting: false,
      deleteTempFileOnCancel: true,
      parallelDownloads: 1,
    });
    return downloader.download({ signal: AbortSignal.timeout(20_000) });
  }

  it('downloads byte-identically', async () => {
    server = await startFileServer({ files: { [MODEL]: source?.path ?? '' } });
    const path = await download('plain');
    expect((await readFile(path)).equals(await readFile(source?.path ?? ''))).toBe(true);
    // ipull first sends a GET without Range just to read the headers and never reads its body, so
    // that connection lingers until undici drops it: do not wait for server.idle() here.
    const [info, ...ranged] = server.log;
    expect(info).toMatchObject({ method: 'GET', range: null });
    expect(ranged.length).toBeGreaterThan(0);
    expect(ranged.every((entry) => entry.status === 206)).toBe(true);
  });

  it('retries a transfer dropped mid-file from the start of its chunk and completes byte-identically', async () => {
    // Request 1 is ipull's header-only GET; request 2 is the first ranged transfer.
    server = await startFileServer({
      files: { [MODEL]: source?.path ?? '' },
      faults: { [MODEL]: [{ onRequest: 2, kind: 'dropAfterBytes', bytes: 3_000_000 }] },
    });
    const path = await download('dropped');
    expect((await readFile(path)).equals(await readFile(source?.path ?? ''))).toBe(true);
    const log = server.log;
    const dropped = log.find((entry) => entry.dropped);
    expect(dropped).toMatchObject({ requestNumber: 2, bytesSent: 3_000_000 });
    // ipull keeps no partial chunk: the retry asks again from the dropped range's first byte.
    const retry = log.find((entry) => entry.seq > (dropped?.seq ?? 0) && entry.range === dropped?.range);
    expect(retry?.status).toBe(206);
  });
});
