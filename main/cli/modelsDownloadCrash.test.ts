// Kill -9 mid-download: the built `codesage models download` runs as a real process against a
// throttled loopback server, is SIGKILLed part-way, and is run again on the same data folder. The
// second run resumes from the partial file (re-fetching at most one unfinished chunk per
// connection), and the installed model is byte-identical and verified.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK_SIZE, DEFAULT_PARALLEL_STREAMS } from '../services/downloads/DownloadManager';
import type { TinyLlamaInfo } from '../testing/gguf/writeTinyLlamaGguf';
import { serveTinyModel } from '../testing/http/serveTinyModel';
import type { ServedTinyModel } from '../testing/http/serveTinyModel';
import type { FileServer } from '../testing/http/startFileServer';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin', 'codesage.js');
const PATH = '/models/crash.gguf';

let served: ServedTinyModel | undefined;
let dir: string;
let model: TinyLlamaInfo;
let server: FileServer;

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build (this test runs the built CLI).');
  // About 50 MB: many 2 MiB chunks per connection.
  served = await serveTinyModel({
    dirPrefix: 'codesage-dl-crash-',
    urlPath: PATH,
    gguf: { seed: 21, blockCount: 6, embeddingLength: 512, feedForwardLength: 2048, weightType: 'F16' },
    bytesPerSecond: 3 * 1024 * 1024,
  });
  ({ dir, model, server } = served);
});
afterAll(async () => {
  // Nothing to close when the set-up failed (no build): its own error is the one to see.
  await served?.close();
});

function runCli(dataDir: string): { child: ChildProcess; exit: Promise<number | null>; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, [CLI, 'models', 'download', server.url(PATH), '--sha256', model.sha256], {
    env: { ...process.env, CODESAGE_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((done) =>
    child.on('exit', (code) => {
      done(code);
    }),
  );
  return { child, exit, output: () => output };
}

describe('codesage models download killed with SIGKILL', () => {
  it('resumes from the partial file on the next run and installs a byte-identical model', async () => {
    const dataDir = join(dir, 'data');
    const first = runCli(dataDir);
    const started = Date.now();
    while (server.bytesSent(PATH) < model.sizeBytes * 0.5) {
      if (Date.now() - started > 60_000) throw new Error(`no progress: ${first.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    first.child.kill('SIGKILL');
    expect(await first.exit).toBeNull();
    const sentBeforeKill = server.bytesSent(PATH);
    expect(sentBeforeKill).toBeLessThan(model.sizeBytes);
    const partials = join(dataDir, 'models', '.downloads');
    expect(existsSync(partials)).toBe(true);

    server.setFaults(PATH, []);
    const second = runCli(dataDir);
    expect(await second.exit, second.output()).toBe(0);
    expect(second.output()).toContain('Installed crash.gguf');
    expect(readFileSync(join(dataDir, 'models', 'crash.gguf')).equals(readFileSync(model.path))).toBe(true);

    const refetched = server.bytesSent(PATH) - model.sizeBytes;
    console.log(
      `kill -9 resume: file ${String(model.sizeBytes)} B, sent before kill ${String(sentBeforeKill)} B, re-fetched ${String(refetched)} B`,
    );
    // Only chunks in flight at the kill are fetched again: one per connection, plus chunks that had
    // arrived but whose progress record ipull had not yet written (it coalesces those writes).
    // Measured 8-10 MiB with 4 connections of 2 MiB chunks; the bound allows two per connection.
    expect(refetched).toBeLessThanOrEqual(2 * DEFAULT_PARALLEL_STREAMS * DEFAULT_CHUNK_SIZE);
    // ...and the second run did not start over.
    expect(server.bytesSent(PATH) - sentBeforeKill).toBeLessThan(model.sizeBytes);
  }, 120_000);
});
