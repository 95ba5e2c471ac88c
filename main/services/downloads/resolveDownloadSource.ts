// Turns what the user typed (hf: URI or http(s) URL) into the URL to fetch and what the server
// says about it before any byte is written: size, whether it serves ranges, and the sha256 it
// publishes (Hugging Face's X-Linked-ETag on its redirect, an x-content-sha256 header, or an ETag
// that is a bare sha256). Redirects are followed by hand so the headers of each hop can be read.
import { posix } from 'node:path';
import {
  DownloadNetworkError,
  InvalidModelUriError,
  RemoteAccessDeniedError,
  RemoteFileNotFoundError,
  RemoteServerError,
} from './errors/DownloadError';

export interface DownloadSource {
  readonly url: string;
  readonly fileName: string;
  readonly totalBytes: number | null;
  readonly acceptRanges: boolean;
  readonly sha256: string | null;
}

export interface ResolveDownloadSourceOptions {
  /** Where `hf:` URIs point; tests use a 127.0.0.1 server. Default https://huggingface.co. */
  readonly huggingFaceEndpoint?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';
const MAX_REDIRECTS = 8;
const SHA256 = /^[0-9a-f]{64}$/;

/** The URL an `hf:` URI or http(s) URL names, without touching the network (except `:QUANT` URIs). */
export async function resolveModelUrl(uri: string, options: ResolveDownloadSourceOptions = {}): Promise<{ url: string; fileName: string }> {
  const endpoint = (options.huggingFaceEndpoint ?? DEFAULT_HF_ENDPOINT).replace(/\/+$/, '');
  const trimmed = uri.trim();
  if (/^https?:\/\//i.test(trimmed)) {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new InvalidModelUriError(uri);
    }
    const fileName = decodeURIComponent(posix.basename(parsed.pathname));
    if (fileName === '') throw new InvalidModelUriError(uri);
    return { url: parsed.href, fileName: ensureGgufName(fileName) };
  }
  const hf = /^(?:hf:|huggingface:)([\w.-]+)\/([\w.-]+)(?::([\w.-]+)|\/([^#?]+\.gguf))?(?:#([\w./-]+))?$/i.exec(trimmed);
  if (hf === null) throw new InvalidModelUriError(uri);
  const [, owner = '', repo = '', quant, filePath, revision] = hf;
  if (filePath !== undefined) {
    return {
      url: `${endpoint}/${owner}/${repo}/resolve/${revision ?? 'main'}/${encodePath(filePath)}`,
      fileName: posix.basename(filePath),
    };
  }
  // hf:owner/repo:QUANT -- ask the hub which file holds that quantization, as llama.cpp does.
  const manifestUrl = `${endpoint}/v2/${owner}/${repo}/manifests/${quant ?? 'latest'}`;
  const response = await request(
    manifestUrl,
    'GET',
    { ...options.headers, 'user-agent': 'llama-cpp', accept: 'application/json' },
    options.signal,
  );
  if (!response.ok) throw statusError(manifestUrl, response.status);
  const manifest = (await response.json()) as { ggufFile?: { rfilename?: unknown } };
  const rfilename = manifest.ggufFile?.rfilename;
  if (typeof rfilename !== 'string' || !rfilename.endsWith('.gguf')) throw new InvalidModelUriError(uri);
  return {
    url: `${endpoint}/${owner}/${repo}/resolve/${revision ?? 'main'}/${encodePath(rfilename)}`,
    fileName: posix.basename(rfilename),
  };
}

/** Resolves the URI and asks the server (HEAD, following redirects) what it would send. */
export async function resolveDownloadSource(uri: string, options: ResolveDownloadSourceOptions = {}): Promise<DownloadSource> {
  const { url, fileName } = await resolveModelUrl(uri, options);
  let current = url;
  let sha256: string | null = null;
  let linkedSize: number | null = null;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const response = await request(current, 'HEAD', options.headers ?? {}, options.signal);
    sha256 ??= publishedSha256(response.headers);
    const linked = Number(response.headers.get('x-linked-size'));
    if (linkedSize === null && Number.isSafeInteger(linked) && linked > 0) linkedSize = linked;
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      if (location === null) throw statusError(current, response.status);
      current = new URL(location, current).href;
      continue;
    }
    if (!response.ok) throw statusError(current, response.status);
    const length = Number(response.headers.get('content-length'));
    return {
      // Keep the original URL: a CDN redirect target is often signed and expires; ipull follows
      // the redirect itself on every request.
      url,
      fileName,
      totalBytes: Number.isSafeInteger(length) && length > 0 ? length : linkedSize,
      acceptRanges: (response.headers.get('accept-ranges') ?? '').toLowerCase().includes('bytes'),
      sha256,
    };
  }
  throw new RemoteServerError(url, 310);
}

function publishedSha256(headers: Headers): string | null {
  for (const name of ['x-linked-etag', 'x-content-sha256', 'etag']) {
    const value = headers.get(name)?.replace(/^W\//, '').replace(/"/g, '').trim().toLowerCase();
    if (value !== undefined && SHA256.test(value)) return value;
  }
  return null;
}

async function request(
  url: string,
  method: 'GET' | 'HEAD',
  headers: Readonly<Record<string, string>>,
  signal: AbortSignal | undefined,
): Promise<Response> {
  try {
    return await fetch(url, { method, headers, redirect: 'manual', ...(signal === undefined ? {} : { signal }) });
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw new DownloadNetworkError(url, error);
  }
}

function statusError(url: string, status: number): Error {
  if (status === 404 || status === 410) return new RemoteFileNotFoundError(url);
  if (status === 401 || status === 403) return new RemoteAccessDeniedError(url, status);
  return new RemoteServerError(url, status);
}

function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

function ensureGgufName(name: string): string {
  return name.toLowerCase().endsWith('.gguf') ? name : `${name}.gguf`;
}
