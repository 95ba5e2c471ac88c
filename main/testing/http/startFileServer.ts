// Test support: a real HTTP/1.1 file server on 127.0.0.1 (node:http only) for download tests. It
// serves files with byte ranges, validators (ETag, Last-Modified, If-Range) and optionally a
// Hugging Face-like redirect and sha256 headers, and it injects faults from a per-path script
// (drop the connection, fail with a status, stall, ignore Range, corrupt a byte, throttle), so a
// downloader's resume, retry and verification paths run against real sockets. It logs what it
// actually sent so tests can assert how much was re-fetched.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** A served file: an absolute path (read on every request, never held in memory) or bytes. */
export type FileSource =
  string | Uint8Array | { readonly path: string; /** Hex sha256, to skip hashing a large file. */ readonly sha256?: string };

export type Fault =
  /** Send this many body bytes (after the headers), wait until they reach the socket, then destroy it. */
  | { readonly kind: 'dropAfterBytes'; readonly bytes: number }
  /** Answer this status with a short text body instead of the file. */
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number }
  /**
   * Send `afterBytes` body bytes, then send nothing for `durationMs` (forever when omitted: until the
   * client gives up or the server closes), then go on sending ('resume', the default) or destroy
   * the socket ('drop').
   */
  | { readonly kind: 'stall'; readonly afterBytes: number; readonly durationMs?: number; readonly then?: 'resume' | 'drop' }
  /** Behave like a server without Range support: no Accept-Ranges, and 200 with the whole body. */
  | { readonly kind: 'ignoreRange' }
  /** Flip every bit of the byte at this file offset whenever a response covers it. */
  | { readonly kind: 'corrupt'; readonly offset: number }
  /** Send at most this many body bytes per second. */
  | { readonly kind: 'throttle'; readonly bytesPerSecond: number };

export type FaultKind = Fault['kind'];

/**
 * A fault and when it applies: on the file's Nth request (1-based, counting GET and HEAD that reach
 * the file, not redirects), on any of a list of them, or on every request when `onRequest` is omitted.
 * Several rules may apply to one request (throttle + corrupt); a status rule wins over the others.
 * Body faults do nothing on HEAD.
 */
export type FaultRule = Fault & { readonly onRequest?: number | readonly number[] };

export type EtagMode =
  /** A strong ETag from size and mtime, as static file servers make. */
  | 'size-mtime'
  /** The quoted hex sha256, as Hugging Face answers for LFS files. */
  | 'sha256'
  /** No ETag (If-Range then only works with dates). */
  | 'none';

export interface FileServerOptions {
  /** URL path (starting with '/') → what to serve there. */
  readonly files: Readonly<Record<string, FileSource>>;
  /** URL path of a file → its fault script. Changeable later with `setFaults`/`addFault`. */
  readonly faults?: Readonly<Record<string, readonly FaultRule[]>>;
  /** Default 'size-mtime'. */
  readonly etag?: EtagMode;
  /** Send `x-content-sha256: <hex>` with every file response. Default false. */
  readonly sha256Header?: boolean;
  /**
   * Answer requests for files whose path looks like `/<owner>/<repo>/resolve/<revision>/<file>`
   * with a 302 to `/cdn-lfs/<sha256>/<file name>` on this server, as huggingface.co does for LFS
   * files. Default false.
   */
  readonly huggingFaceRedirects?: boolean;
  /** Default 0 (any free port). Always bound to 127.0.0.1. */
  readonly port?: number;
}

export interface RequestLogEntry {
  /** 1-based order of arrival over the whole server. */
  readonly seq: number;
  readonly method: string;
  /** The URL path as requested (query string removed). */
  readonly path: string;
  /** The `files` key this request was about, or null (unknown path, wrong method). */
  readonly file: string | null;
  /** The file's request number used by fault rules; null for redirects and unknown paths. */
  readonly requestNumber: number | null;
  readonly range: string | null;
  readonly ifRange: string | null;
  readonly status: number;
  /** Body bytes handed to the socket (not counting headers). */
  readonly bytesSent: number;
  /** The server destroyed the connection on purpose (dropAfterBytes, stall then drop). */
  readonly dropped: boolean;
  /** The connection closed before the response was complete, and not because of `dropped`. */
  readonly clientAborted: boolean;
  /** The fault kinds that applied to this request. */
  readonly faults: readonly FaultKind[];
  /** The response is over (finished, dropped or aborted); until then the counts may grow. */
  readonly completed: boolean;
  /** Milliseconds since the server started, when the request arrived and when its response ended (null while open). */
  readonly startedAtMs: number;
  readonly endedAtMs: number | null;
}

export interface FileServer extends AsyncDisposable {
  readonly port: number;
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Snapshot of every request since start (or `resetStats`). */
  readonly log: readonly RequestLogEntry[];
  /** Log entries about one file (its own path and its CDN path). */
  requestsFor(path: string): RequestLogEntry[];
  /** Body bytes sent for one file, or for all files when `path` is omitted. */
  bytesSent(path?: string): number;
  /** Requests that reached the file (what `onRequest` counts). */
  requestCount(path: string): number;
  /** Hex sha256 of a served file (computed once, on first use). */
  sha256(path: string): Promise<string>;
  /** Replaces the file's fault script; request numbering carries on. */
  setFaults(path: string, rules: readonly FaultRule[]): void;
  addFault(path: string, rule: FaultRule): void;
  /** Removes the faults of one file, or of all files. */
  clearFaults(path?: string): void;
  /** Clears the log and byte counters and restarts request numbering at 1, e.g. between phases of a test. */
  resetStats(): void;
  /** Resolves when no response is in progress (a stalled one keeps it pending). */
  idle(): Promise<void>;
  /** Stops listening and destroys every open connection, stalled ones included. Idempotent. */
  close(): Promise<void>;
}

const CHUNK_BYTES = 64 * 1024;
const HF_RESOLVE_PATH = /^\/[^/]+\/[^/]+\/resolve\/[^/]+\/(?:.*\/)?([^/]+)$/;
const CDN_PATH = /^\/cdn-lfs\/([0-9a-f]{64})\/[^/]+$/;

interface ServedFile {
  readonly key: string;
  readonly size: number;
  /** Whole seconds, since HTTP dates have no finer resolution and If-Range compares them exactly. */
  readonly lastModified: Date;
  readonly data: Uint8Array | null;
  readonly filePath: string | null;
  sha256: string | null;
  etag: string | null;
}

interface MutableLogEntry {
  seq: number;
  method: string;
  path: string;
  file: string | null;
  requestNumber: number | null;
  range: string | null;
  ifRange: string | null;
  status: number;
  bytesSent: number;
  dropped: boolean;
  clientAborted: boolean;
  faults: FaultKind[];
  completed: boolean;
  startedAtMs: number;
  endedAtMs: number | null;
}

type RangeAnswer =
  { readonly kind: 'whole' } | { readonly kind: 'unsatisfiable' } | { readonly kind: 'part'; readonly start: number; readonly end: number };

export async function startFileServer(options: FileServerOptions): Promise<FileServer> {
  const etagMode = options.etag ?? 'size-mtime';
  const needsSha = etagMode === 'sha256' || options.sha256Header === true || options.huggingFaceRedirects === true;
  const files = new Map<string, ServedFile>();
  for (const [key, source] of Object.entries(options.files)) {
    if (!key.startsWith('/')) throw new Error(`File server paths must start with '/', got '${key}'.`);
    const file = await prepareFile(key, source);
    if (needsSha) await ensureSha(file);
    if (etagMode !== 'none')
      file.etag =
        etagMode === 'sha256' ? `"${await ensureSha(file)}"` : `"${file.size.toString(16)}-${file.lastModified.getTime().toString(16)}"`;
    files.set(key, file);
  }
  const byCdnSha = new Map<string, ServedFile>();
  for (const file of files.values()) if (file.sha256 !== null) byCdnSha.set(file.sha256, file);

  const faults = new Map<string, FaultRule[]>();
  for (const [key, rules] of Object.entries(options.faults ?? {})) faults.set(key, [...rules]);

  let log: MutableLogEntry[] = [];
  let seq = 0;
  const requestNumbers = new Map<string, number>();
  const bytesByFile = new Map<string, number>();
  const sockets = new Set<Socket>();
  const shutdown = new AbortController();
  const serverStartedAt = performance.now();
  let inFlight = 0;
  let idleWaiters: (() => void)[] = [];

  const server = createServer((req, res) => {
    inFlight++;
    const entry: MutableLogEntry = {
      seq: ++seq,
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://127.0.0.1').pathname,
      file: null,
      requestNumber: null,
      range: req.headers.range ?? null,
      ifRange: headerValue(req.headers['if-range']),
      status: 0,
      bytesSent: 0,
      dropped: false,
      clientAborted: false,
      faults: [],
      completed: false,
      startedAtMs: Math.round(performance.now() - serverStartedAt),
      endedAtMs: null,
    };
    log.push(entry);
    const logAtStart = log;
    const responseAbort = new AbortController();
    const onShutdown = (): void => {
      responseAbort.abort();
    };
    shutdown.signal.addEventListener('abort', onShutdown);
    res.on('close', () => {
      shutdown.signal.removeEventListener('abort', onShutdown);
      responseAbort.abort();
      entry.completed = true;
      entry.endedAtMs = Math.round(performance.now() - serverStartedAt);
      entry.clientAborted = !entry.dropped && !res.writableFinished;
      // A reset between phases must not let a late close count towards the new phase.
      if (logAtStart === log && entry.file !== null) bytesByFile.set(entry.file, (bytesByFile.get(entry.file) ?? 0) + entry.bytesSent);
      inFlight--;
      if (inFlight === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    });
    handle(req, res, entry, responseAbort.signal).catch((error: unknown) => {
      // A failure here is a bug in the test server or a vanished file; make it visible as a 500.
      console.error('startFileServer: request failed', error);
      if (!res.headersSent) {
        entry.status = 500;
        res.writeHead(500).end();
      } else res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse, entry: MutableLogEntry, signal: AbortSignal): Promise<void> {
    const cdnMatch = CDN_PATH.exec(entry.path);
    const file = cdnMatch ? byCdnSha.get(cdnMatch[1] ?? '') : files.get(entry.path);
    if (file === undefined) {
      answerText(res, entry, 404, `No file at ${entry.path}.`);
      return;
    }
    entry.file = file.key;
    if (entry.method !== 'GET' && entry.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      answerText(res, entry, 405, `Method ${entry.method} not allowed.`);
      return;
    }
    if (options.huggingFaceRedirects === true && cdnMatch === null) {
      const nameMatch = HF_RESOLVE_PATH.exec(file.key);
      if (nameMatch !== null) {
        const sha = await ensureSha(file);
        const location = `/cdn-lfs/${sha}/${nameMatch[1] ?? 'file'}`;
        res.setHeader('Location', new URL(location, origin).href);
        // As huggingface.co does for LFS files: the hash and size ride on the redirect.
        res.setHeader('X-Linked-Etag', `"${sha}"`);
        answerText(res, entry, 302, `Found. Redirecting to ${location}`);
        return;
      }
    }

    const requestNumber = (requestNumbers.get(file.key) ?? 0) + 1;
    requestNumbers.set(file.key, requestNumber);
    entry.requestNumber = requestNumber;
    const active = (faults.get(file.key) ?? []).filter((rule) => appliesTo(rule, requestNumber));
    entry.faults = active.map((rule) => rule.kind);
    const statusFault = active.find((rule) => rule.kind === 'status');
    if (statusFault !== undefined) {
      if (statusFault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(statusFault.retryAfterSeconds));
      answerText(res, entry, statusFault.status, `Injected fault: status ${statusFault.status}.`);
      return;
    }
    const ignoreRange = active.some((rule) => rule.kind === 'ignoreRange');

    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Last-Modified', file.lastModified.toUTCString());
    if (file.etag !== null) res.setHeader('ETag', file.etag);
    if (options.sha256Header === true) res.setHeader('x-content-sha256', await ensureSha(file));
    if (!ignoreRange) res.setHeader('Accept-Ranges', 'bytes');

    const range =
      ignoreRange || entry.range === null || !ifRangeMatches(entry.ifRange, file)
        ? ({ kind: 'whole' } as const)
        : parseRange(entry.range, file.size);
    if (range.kind === 'unsatisfiable') {
      res.setHeader('Content-Range', `bytes */${file.size}`);
      answerText(res, entry, 416, `Range ${entry.range ?? ''} is outside the ${file.size} bytes of ${file.key}.`);
      return;
    }
    const [start, end] = range.kind === 'part' ? [range.start, range.end + 1] : [0, file.size];
    entry.status = range.kind === 'part' ? 206 : 200;
    if (range.kind === 'part') res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
    res.setHeader('Content-Length', String(end - start));
    res.writeHead(entry.status);
    if (entry.method === 'HEAD') {
      res.end();
      return;
    }
    await sendBody(res, file, start, end, active, entry, signal);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Read once: after close() the server has no address, but URLs must still be buildable.
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      shutdown.abort();
      server.close(() => {
        resolve();
      });
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  const fileKey = (path: string): string => {
    if (!files.has(path)) throw new Error(`The file server has no file at '${path}'.`);
    return path;
  };

  return {
    port,
    origin,
    url: (path) => new URL(path, origin).href,
    get log() {
      return log.map((entry) => ({ ...entry, faults: [...entry.faults] }));
    },
    requestsFor: (path) => log.filter((entry) => entry.file === fileKey(path)).map((entry) => ({ ...entry, faults: [...entry.faults] })),
    bytesSent: (path) => {
      // Include responses still in progress, so a test can watch a stalled transfer.
      const pending = log.filter((entry) => !entry.completed && (path === undefined || entry.file === path));
      const finished = path === undefined ? [...bytesByFile.values()].reduce((a, b) => a + b, 0) : (bytesByFile.get(fileKey(path)) ?? 0);
      return finished + pending.reduce((sum, entry) => sum + entry.bytesSent, 0);
    },
    requestCount: (path) => requestNumbers.get(fileKey(path)) ?? 0,
    sha256: (path) => {
      const file = files.get(fileKey(path));
      return file === undefined ? Promise.reject(new Error(`No file at ${path}.`)) : ensureSha(file);
    },
    setFaults: (path, rules) => faults.set(fileKey(path), [...rules]),
    addFault: (path, rule) => faults.set(fileKey(path), [...(faults.get(fileKey(path)) ?? []), rule]),
    clearFaults: (path) => {
      if (path === undefined) faults.clear();
      else faults.delete(fileKey(path));
    },
    resetStats: () => {
      log = [];
      seq = 0;
      requestNumbers.clear();
      bytesByFile.clear();
    },
    idle: () =>
      inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            idleWaiters.push(resolve);
          }),
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function prepareFile(key: string, source: FileSource): Promise<ServedFile> {
  const wholeSeconds = (date: Date): Date => new Date(Math.floor(date.getTime() / 1000) * 1000);
  if (source instanceof Uint8Array) {
    return { key, size: source.length, lastModified: wholeSeconds(new Date()), data: source, filePath: null, sha256: null, etag: null };
  }
  const filePath = typeof source === 'string' ? source : source.path;
  const info = await stat(filePath);
  if (!info.isFile()) throw new Error(`Cannot serve '${filePath}' at ${key}: it is not a file.`);
  const sha256 = typeof source === 'string' ? null : (source.sha256 ?? null);
  return { key, size: info.size, lastModified: wholeSeconds(info.mtime), data: null, filePath, sha256, etag: null };
}

async function ensureSha(file: ServedFile): Promise<string> {
  if (file.sha256 !== null) return file.sha256;
  const hash = createHash('sha256');
  if (file.data !== null) hash.update(file.data);
  else if (file.filePath !== null) for await (const chunk of createReadStream(file.filePath)) hash.update(chunk as Buffer);
  file.sha256 = hash.digest('hex');
  return file.sha256;
}

function appliesTo(rule: FaultRule, requestNumber: number): boolean {
  const { onRequest } = rule;
  if (onRequest === undefined) return true;
  return typeof onRequest === 'number' ? onRequest === requestNumber : onRequest.includes(requestNumber);
}

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return typeof value === 'string' ? value : value.join(', ');
}

function answerText(res: ServerResponse, entry: MutableLogEntry, status: number, text: string): void {
  const body = Buffer.from(`${text}\n`);
  entry.status = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', String(body.length));
  res.writeHead(status);
  res.end(entry.method === 'HEAD' ? undefined : body);
}

/** RFC 9110 If-Range: a strong ETag must match exactly (weak never does); a date must equal Last-Modified. */
function ifRangeMatches(ifRange: string | null, file: ServedFile): boolean {
  if (ifRange === null) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return file.etag !== null && value === file.etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && date === file.lastModified.getTime();
}

/**
 * One range of `bytes=a-b`, `bytes=a-` or `bytes=-n`. Anything else (several ranges, other units,
 * bad syntax) is ignored and answered with the whole file, which RFC 9110 allows.
 */
function parseRange(header: string, size: number): RangeAnswer {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return { kind: 'whole' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'whole' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

async function sendBody(
  res: ServerResponse,
  file: ServedFile,
  start: number,
  end: number,
  active: readonly FaultRule[],
  entry: MutableLogEntry,
  signal: AbortSignal,
): Promise<void> {
  let drop: number | null = null;
  let stall: Extract<Fault, { kind: 'stall' }> | null = null;
  let bytesPerSecond: number | null = null;
  const corruptOffsets: number[] = [];
  for (const rule of active) {
    if (rule.kind === 'dropAfterBytes') drop = Math.min(drop ?? Infinity, rule.bytes);
    else if (rule.kind === 'stall') stall ??= rule;
    else if (rule.kind === 'throttle') bytesPerSecond = Math.min(bytesPerSecond ?? Infinity, rule.bytesPerSecond);
    else if (rule.kind === 'corrupt') corruptOffsets.push(rule.offset);
  }
  const length = end - start;
  const dropAt = drop === null || drop >= length ? null : drop;
  let stallAt = stall === null || stall.afterBytes >= length ? null : stall.afterBytes;
  // Throttled writes are small so the rate is smooth enough for progress and pause tests.
  const chunkLimit = bytesPerSecond === null ? CHUNK_BYTES : Math.max(1, Math.min(CHUNK_BYTES, Math.floor(bytesPerSecond / 20)));
  const startedAt = performance.now();
  let handle: FileHandle | null = null;
  try {
    if (file.filePath !== null) handle = await open(file.filePath, 'r');
    let sent = 0;
    for (;;) {
      if (signal.aborted) return;
      if (dropAt !== null && sent === dropAt) {
        // Wait until the bytes are in the kernel, so the client gets exactly `dropAt` of them.
        await flush(res, signal);
        entry.dropped = true;
        res.destroy();
        return;
      }
      if (stall !== null && stallAt !== null && sent === stallAt) {
        stallAt = null;
        await flush(res, signal);
        await sleep(stall.durationMs ?? Infinity, signal);
        if (isAborted(signal)) return;
        if (stall.then === 'drop') {
          entry.dropped = true;
          res.destroy();
          return;
        }
      }
      if (sent === length) break;
      let n = Math.min(chunkLimit, length - sent);
      if (dropAt !== null && dropAt > sent) n = Math.min(n, dropAt - sent);
      if (stallAt !== null && stallAt > sent) n = Math.min(n, stallAt - sent);
      if (bytesPerSecond !== null) {
        // Send a chunk only once the time for the bytes before it has passed.
        await sleep(startedAt + (sent / bytesPerSecond) * 1000 - performance.now(), signal);
        if (isAborted(signal)) return;
      }
      const position = start + sent;
      const chunk = await readChunk(file, handle, position, n);
      for (const offset of corruptOffsets) {
        const index = offset - position;
        if (index >= 0 && index < chunk.length) chunk[index] = (chunk[index] ?? 0) ^ 0xff;
      }
      entry.bytesSent += chunk.length;
      sent += chunk.length;
      await write(res, chunk, signal);
    }
    res.end();
  } finally {
    await handle?.close();
  }
}

/** TypeScript keeps `signal.aborted` narrowed to false across awaits; a call re-reads it. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

/** Always a fresh buffer: the socket may hold on to it, and corrupting must not touch served bytes. */
async function readChunk(file: ServedFile, handle: FileHandle | null, position: number, length: number): Promise<Buffer> {
  if (file.data !== null) return Buffer.from(file.data.subarray(position, position + length));
  if (handle === null) throw new Error(`No open file for ${file.key}.`);
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) throw new Error(`${file.key} shrank while being served.`);
    filled += bytesRead;
  }
  return buffer;
}

/** Resolves once the chunk is flushed to the socket, or the response is closed. */
function write(res: ServerResponse, chunk: Buffer, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    res.write(chunk, done);
  });
}

/** Sends the headers if still pending and resolves once everything written so far reached the kernel. */
function flush(res: ServerResponse, signal: AbortSignal): Promise<void> {
  res.flushHeaders();
  const socket = res.socket;
  if (socket === null || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done);
    // Socket writes complete in order, so an empty one completes after the headers and body before it.
    socket.write(Buffer.alloc(0), done);
  });
}

/** Resolves after `ms` (never for Infinity) or on abort, whichever comes first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = Number.isFinite(ms) ? setTimeout(done, ms) : null;
    function done(): void {
      if (timer !== null) clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
