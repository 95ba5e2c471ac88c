// A tiny GGUF written into a fresh temporary folder and served, throttled, by the loopback file
// server: what the download journeys (CLI processes, the browser) run against.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { writeTinyLlamaGguf } from '../gguf/writeTinyLlamaGguf';
import type { TinyLlamaInfo, TinyLlamaOptions } from '../gguf/writeTinyLlamaGguf';
import { startFileServer } from './startFileServer';
import type { EtagMode, FileServer } from './startFileServer';

export interface ServeTinyModelOptions {
  /** Prefix of the temporary folder's name. */
  readonly dirPrefix: string;
  /** Where the server answers; the file is named after its last segment. */
  readonly urlPath: string;
  readonly gguf: TinyLlamaOptions;
  readonly bytesPerSecond: number;
  readonly etag?: EtagMode;
}

export interface ServedTinyModel extends AsyncDisposable {
  /** The temporary folder, for the test's other files too; `close` removes it. */
  readonly dir: string;
  readonly model: TinyLlamaInfo;
  readonly server: FileServer;
  /** The model's absolute URL on the server. */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveTinyModel(options: ServeTinyModelOptions): Promise<ServedTinyModel> {
  const dir = mkdtempSync(join(tmpdir(), options.dirPrefix));
  try {
    const model = await writeTinyLlamaGguf(join(dir, basename(options.urlPath)), options.gguf);
    const server = await startFileServer({
      files: { [options.urlPath]: model.path },
      ...(options.etag === undefined ? {} : { etag: options.etag }),
      faults: { [options.urlPath]: [{ kind: 'throttle', bytesPerSecond: options.bytesPerSecond }] },
    });
    const close = async (): Promise<void> => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    };
    return { dir, model, server, url: server.url(options.urlPath), close, [Symbol.asyncDispose]: close };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
