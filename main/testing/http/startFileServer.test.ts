import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFileServer } from './startFileServer';
import type { FileServer, FileServerOptions } from './startFileServer';
import { writeRandomFile } from './writeRandomFile';

const SIZE = 1_000_000;
const MODEL = '/model.gguf';

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** The transfer ended early (connection dropped or destroyed). */
  readonly error: Error | null;
}

/** A node:http GET/HEAD that collects whatever arrives and reports a cut-off transfer instead of throwing. */
function rawRequest(
  url: string,
  init: { method?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers, signal: init.signal, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let settled = false;
      const finish = (error: Error | null): void => {
        if (settled) return;
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error });
      };
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        finish(null);
      });
      res.on('error', (error) => {
        finish(error);
      });
      res.on('close', () => {
        finish(res.complete ? null : new Error('response closed before it was complete'));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startFileServer', () => {
  let dir = '';
  let content = Buffer.alloc(0);
  let sha256 = '';
  let modelPath = '';
  let server: FileServer | null = null;
  const smallBytes = Buffer.from('0123456789abcdefghij');

  async function start(options: Partial<FileServerOptions> = {}): Promise<FileServer> {
    server = await startFileServer({ files: { [MODEL]: modelPath, '/small.bin': smallBytes }, ...options });
    return server;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codesage-fileserver-'));
    const info = await writeRandomFile(join(dir, 'model.gguf'), SIZE, { seed: 11 });
    modelPath = info.path;
    sha256 = info.sha256;
    content = await readFile(modelPath);
  });
  afterEach(async () => {
    await server?.close();
    server = null;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('serving', () => {
    it('answers a full GET (fetch) with the file, its length and validators, and logs it', async () => {
      const s = await start();
      const response = await fetch(s.url(MODEL));
      const body = Buffer.from(await response.arrayBuffer());
      expect(response.status).toBe(200);
      expect(body.equals(content)).toBe(true);
      expect(response.headers.get('content-length')).toBe(String(SIZE));
      expect(response.headers.get('accept-ranges')).toBe('bytes');
      expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
      expect(Date.parse(response.headers.get('last-modified') ?? '')).not.toBeNaN();
      await s.idle();
      expect(s.log).toEqual([
        expect.objectContaining({
          seq: 1,
          method: 'GET',
          path: MODEL,
          file: MODEL,
          requestNumber: 1,
          status: 200,
          bytesSent: SIZE,
          dropped: false,
          clientAborted: false,
          completed: true,
        }),
      ]);
      expect(s.bytesSent(MODEL)).toBe(SIZE);
      expect(s.bytesSent()).toBe(SIZE);
    });

    it('serves in-memory bytes, ignores query strings and answers 404 for unknown paths and 405 for other methods', async () => {
      const s = await start();
      const small = await fetch(s.url('/small.bin?_ignore=x'));
      expect(Buffer.from(await small.arrayBuffer()).equals(smallBytes)).toBe(true);
      expect((await fetch(s.url('/missing.gguf'))).status).toBe(404);
      expect((await fetch(s.url(MODEL), { method: 'POST' })).status).toBe(405);
      await s.idle();
      expect(s.log.map((entry) => [entry.path, entry.status])).toEqual([
        ['/small.bin', 200],
        ['/missing.gguf', 404],
        [MODEL, 405],
      ]);
    });

    it('answers HEAD with the headers of a GET and no body', async () => {
      const s = await start();
      const response = await rawRequest(s.url(MODEL), { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(response.headers['content-length']).toBe(String(SIZE));
      expect(response.headers['accept-ranges']).toBe('bytes');
      expect(response.body.length).toBe(0);
      await s.idle();
      expect(s.log[0]).toMatchObject({ method: 'HEAD', status: 200, bytesSent: 0 });
    });

    it.each([
      ['bytes=10-19', 10, 19],
      [`bytes=${SIZE - 5}-`, SIZE - 5, SIZE - 1],
      ['bytes=-7', SIZE - 7, SIZE - 1],
      [`bytes=0-${SIZE * 2}`, 0, SIZE - 1],
      [`bytes=-${SIZE * 2}`, 0, SIZE - 1],
    ])('answers %s with 206 and the right slice', async (range, first, last) => {
      const s = await start();
      const response = await rawRequest(s.url(MODEL), { headers: { range } });
      expect(response.status).toBe(206);
      expect(response.headers['content-range']).toBe(`bytes ${first}-${last}/${SIZE}`);
      expect(response.headers['content-length']).toBe(String(last - first + 1));
      expect(response.body.equals(content.subarray(first, last + 1))).toBe(true);
      await s.idle();
      expect(s.log[0]).toMatchObject({ range, status: 206, bytesSent: last - first + 1 });
    });

    it('answers a range with fetch too', async () => {
      const s = await start();
      const response = await fetch(s.url(MODEL), { headers: { range: 'bytes=100-199' } });
      expect(response.status).toBe(206);
      expect(Buffer.from(await response.arrayBuffer()).equals(content.subarray(100, 200))).toBe(true);
    });

    it.each([`bytes=${SIZE}-`, `bytes=${SIZE + 10}-${SIZE + 20}`, 'bytes=-0'])('answers the unsatisfiable %s with 416', async (range) => {
      const s = await start();
      const response = await rawRequest(s.url(MODEL), { headers: { range } });
      expect(response.status).toBe(416);
      expect(response.headers['content-range']).toBe(`bytes */${SIZE}`);
      await s.idle();
      expect(s.bytesSent(MODEL)).toBe(0);
    });

    it('answers malformed or multiple ranges with the whole file', async () => {
      const s = await start();
      for (const range of ['bytes=5-2', 'bytes=0-1,5-6', 'items=0-1']) {
        const response = await rawRequest(s.url('/small.bin'), { headers: { range } });
        expect(response.status).toBe(200);
        expect(response.body.equals(smallBytes)).toBe(true);
      }
    });

    it('honours If-Range: a matching ETag or date gives 206, a changed one gives 200 with the whole file', async () => {
      const s = await start();
      const head = await rawRequest(s.url(MODEL), { method: 'HEAD' });
      const etag = head.headers.etag ?? '';
      const lastModified = head.headers['last-modified'] ?? '';
      const ranged = async (ifRange: string): Promise<RawResponse> =>
        rawRequest(s.url(MODEL), { headers: { range: 'bytes=0-9', 'if-range': ifRange } });
      expect((await ranged(etag)).status).toBe(206);
      expect((await ranged(lastModified)).status).toBe(206);
      const stale = await ranged('"some-other-version"');
      expect(stale.status).toBe(200);
      expect(stale.body.equals(content)).toBe(true);
      expect((await ranged(`W/${etag}`)).status).toBe(200);
      expect((await ranged(new Date(Date.parse(lastModified) - 60_000).toUTCString())).status).toBe(200);
    });

    it('can report the sha256 as a header and as the ETag, as Hugging Face does for LFS files', async () => {
      const s = await start({ etag: 'sha256', sha256Header: true });
      const response = await rawRequest(s.url(MODEL), { method: 'HEAD' });
      expect(response.headers.etag).toBe(`"${sha256}"`);
      expect(response.headers['x-content-sha256']).toBe(sha256);
      expect(await s.sha256('/small.bin')).toBe(createHash('sha256').update(smallBytes).digest('hex'));
    });

    it('redirects Hugging Face resolve URLs to a CDN path that serves the file, counting only the CDN request', async () => {
      const hfPath = '/codesage/tiny/resolve/main/tiny-q4.gguf';
      server = await startFileServer({ files: { [hfPath]: modelPath }, huggingFaceRedirects: true });
      const s = server;
      const redirect = await rawRequest(s.url(hfPath), { method: 'HEAD' });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.location).toBe(s.url(`/cdn-lfs/${sha256}/tiny-q4.gguf`));
      const response = await fetch(s.url(hfPath));
      expect(response.redirected).toBe(true);
      expect(Buffer.from(await response.arrayBuffer()).equals(content)).toBe(true);
      await s.idle();
      expect(s.requestsFor(hfPath).map((entry) => [entry.method, entry.status, entry.requestNumber])).toEqual([
        ['HEAD', 302, null],
        ['GET', 302, null],
        ['GET', 200, 1],
      ]);
      expect(s.requestCount(hfPath)).toBe(1);
      expect(s.bytesSent(hfPath)).toBe(SIZE);
    });
  });

  describe('faults', () => {
    it('drops the connection after exactly N bytes on the scripted request only', async () => {
      const s = await start({ faults: { [MODEL]: [{ onRequest: 1, kind: 'dropAfterBytes', bytes: 300_000 }] } });
      const first = await rawRequest(s.url(MODEL));
      expect(first.status).toBe(200);
      expect(first.error).not.toBeNull();
      expect(first.body.length).toBe(300_000);
      expect(first.body.equals(content.subarray(0, 300_000))).toBe(true);
      await expect(fetch(s.url(MODEL)).then((response) => response.arrayBuffer())).resolves.toHaveProperty('byteLength', SIZE);
      await s.idle();
      expect(s.log.map((entry) => [entry.requestNumber, entry.bytesSent, entry.dropped, entry.faults])).toEqual([
        [1, 300_000, true, ['dropAfterBytes']],
        [2, SIZE, false, []],
      ]);
      expect(s.bytesSent(MODEL)).toBe(SIZE + 300_000);
    });

    it('makes fetch fail when the connection drops mid-body', async () => {
      const s = await start({ faults: { [MODEL]: [{ kind: 'dropAfterBytes', bytes: 1000 }] } });
      const response = await fetch(s.url(MODEL));
      await expect(response.arrayBuffer()).rejects.toThrow();
    });

    it('drops right after the headers when N is 0', async () => {
      const s = await start({ faults: { [MODEL]: [{ kind: 'dropAfterBytes', bytes: 0 }] } });
      const response = await rawRequest(s.url(MODEL));
      expect(response.status).toBe(200);
      expect(response.body.length).toBe(0);
      expect(response.error).not.toBeNull();
    });

    it('answers scripted statuses on the scripted requests', async () => {
      const s = await start({
        faults: {
          [MODEL]: [
            { onRequest: 2, kind: 'status', status: 500 },
            { onRequest: [3, 4], kind: 'status', status: 503, retryAfterSeconds: 2 },
          ],
        },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const response = await rawRequest(s.url(MODEL), { method: 'HEAD' });
        statuses.push(response.status);
        if (response.status === 503) expect(response.headers['retry-after']).toBe('2');
      }
      expect(statuses).toEqual([200, 500, 503, 503, 200]);
    });

    it('stalls after N bytes until the client gives up', async () => {
      const s = await start({ faults: { [MODEL]: [{ kind: 'stall', afterBytes: 200_000 }] } });
      const controller = new AbortController();
      const pending = rawRequest(s.url(MODEL), { signal: controller.signal }).catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(s.bytesSent(MODEL)).toBe(200_000);
      expect(s.log[0]?.completed).toBe(false);
      controller.abort();
      await pending;
      await s.idle();
      expect(s.log[0]).toMatchObject({ bytesSent: 200_000, clientAborted: true, dropped: false, completed: true });
    });

    it('stalls for a while and then resumes, or drops', async () => {
      const s = await start({
        faults: {
          [MODEL]: [
            { onRequest: 1, kind: 'stall', afterBytes: 1000, durationMs: 200 },
            { onRequest: 2, kind: 'stall', afterBytes: 1000, durationMs: 50, then: 'drop' },
          ],
        },
      });
      const startedAt = performance.now();
      const resumed = await rawRequest(s.url(MODEL));
      expect(performance.now() - startedAt).toBeGreaterThanOrEqual(190);
      expect(resumed.error).toBeNull();
      expect(resumed.body.equals(content)).toBe(true);
      const dropped = await rawRequest(s.url(MODEL));
      expect(dropped.error).not.toBeNull();
      expect(dropped.body.length).toBe(1000);
    });

    it('close() ends stalled connections and resolves', async () => {
      const s = await start({ faults: { [MODEL]: [{ kind: 'stall', afterBytes: 10 }] } });
      const pending = rawRequest(s.url(MODEL));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const startedAt = performance.now();
      await s.close();
      expect(performance.now() - startedAt).toBeLessThan(2000);
      const response = await pending;
      expect(response.body.length).toBe(10);
      expect(response.error).not.toBeNull();
      await expect(fetch(s.url(MODEL))).rejects.toThrow();
    });

    it('ignores Range like a server without range support', async () => {
      const s = await start({ faults: { [MODEL]: [{ kind: 'ignoreRange' }] } });
      const response = await rawRequest(s.url(MODEL), { headers: { range: 'bytes=100-199' } });
      expect(response.status).toBe(200);
      expect(response.headers['accept-ranges']).toBeUndefined();
      expect(response.headers['content-range']).toBeUndefined();
      expect(response.body.equals(content)).toBe(true);
    });

    it('corrupts exactly one byte at a file offset, in whole and ranged responses', async () => {
      const s = await start({ faults: { [MODEL]: [{ kind: 'corrupt', offset: 123_456 }] } });
      const whole = await rawRequest(s.url(MODEL));
      const differing = [...whole.body.keys()].filter((i) => whole.body[i] !== content[i]);
      expect(differing).toEqual([123_456]);
      expect(whole.body[123_456]).toBe((content[123_456] ?? 0) ^ 0xff);
      expect(createHash('sha256').update(whole.body).digest('hex')).not.toBe(sha256);
      const ranged = await rawRequest(s.url(MODEL), { headers: { range: 'bytes=123000-124000' } });
      expect([...ranged.body.keys()].filter((i) => ranged.body[i] !== content[123_000 + i])).toEqual([456]);
      const outside = await rawRequest(s.url(MODEL), { headers: { range: 'bytes=0-999' } });
      expect(outside.body.equals(content.subarray(0, 1000))).toBe(true);
    });

    it('throttles a 1 MB body to at most about the configured rate', async () => {
      const bytesPerSecond = 4_000_000;
      const s = await start({ faults: { [MODEL]: [{ kind: 'throttle', bytesPerSecond }] } });
      const startedAt = performance.now();
      const response = await rawRequest(s.url(MODEL));
      const elapsedMs = performance.now() - startedAt;
      expect(response.body.equals(content)).toBe(true);
      // The first slice goes out at once, so the floor is the time for the rest; only a lower bound, machines vary.
      const floorMs = ((SIZE - bytesPerSecond / 20) / bytesPerSecond) * 1000;
      expect(elapsedMs).toBeGreaterThanOrEqual(floorMs * 0.9);
    });

    it('changes the script at run time and restarts numbering with resetStats', async () => {
      const s = await start();
      expect((await rawRequest(s.url(MODEL), { method: 'HEAD' })).status).toBe(200);
      s.setFaults(MODEL, [{ onRequest: 2, kind: 'status', status: 404 }]);
      expect((await rawRequest(s.url(MODEL), { method: 'HEAD' })).status).toBe(404);
      s.resetStats();
      s.addFault(MODEL, { onRequest: 1, kind: 'status', status: 503 });
      expect((await rawRequest(s.url(MODEL), { method: 'HEAD' })).status).toBe(503);
      expect((await rawRequest(s.url(MODEL), { method: 'HEAD' })).status).toBe(404);
      s.clearFaults();
      expect((await rawRequest(s.url(MODEL), { method: 'HEAD' })).status).toBe(200);
      expect(s.requestCount(MODEL)).toBe(3);
      expect(s.log.map((entry) => entry.seq)).toEqual([1, 2, 3]);
      expect(() => {
        s.setFaults('/nope', []);
      }).toThrow(/no file/);
    });

    it('counts bytes per file across a drop and a resume from the cut', async () => {
      const s = await start({ faults: { [MODEL]: [{ onRequest: 1, kind: 'dropAfterBytes', bytes: 400_000 }] } });
      const first = await rawRequest(s.url(MODEL));
      const rest = await rawRequest(s.url(MODEL), {
        headers: { range: `bytes=${first.body.length}-`, 'if-range': first.headers.etag ?? '' },
      });
      expect(rest.status).toBe(206);
      expect(Buffer.concat([first.body, rest.body]).equals(content)).toBe(true);
      await fetch(s.url('/small.bin')).then((response) => response.arrayBuffer());
      await s.idle();
      expect(s.bytesSent(MODEL)).toBe(SIZE);
      expect(s.bytesSent('/small.bin')).toBe(smallBytes.length);
      expect(s.bytesSent()).toBe(SIZE + smallBytes.length);
      expect(s.requestsFor(MODEL).map((entry) => [entry.range, entry.status, entry.bytesSent, entry.dropped])).toEqual([
        [null, 200, 400_000, true],
        ['bytes=400000-', 206, SIZE - 400_000, false],
      ]);
    });
  });

  it('disposes with await using', async () => {
    let url = '';
    {
      await using s = await startFileServer({ files: { '/a': Buffer.from('a') } });
      url = s.url('/a');
      expect((await fetch(url)).status).toBe(200);
    }
    await expect(fetch(url)).rejects.toThrow();
  });
});
