// A disk that fills up mid-download, for real: the built `codesage models download` runs with its
// models folder on a small tmpfs (mounted in a private user and mount namespace, so no privilege is
// needed), and another program fills that disk while the model downloads. The command must stop
// with a message that names the folder and the remedy, keep what it downloaded, and, once space
// is freed, the same command must go on from the partial file to a verified, byte-identical model.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { TinyLlamaInfo } from '../testing/gguf/writeTinyLlamaGguf';
import { serveTinyModel } from '../testing/http/serveTinyModel';
import type { ServedTinyModel } from '../testing/http/serveTinyModel';
import type { FileServer } from '../testing/http/startFileServer';

const ROOT = new URL('../..', import.meta.url).pathname;
const CLI = join(ROOT, 'bin', 'codesage.js');
const PATH = '/models/full.gguf';
/** Room for the model plus the download's 256 MiB headroom, so the check before the start passes. */
const DISK_MIB = 300;

function canMountTmpfs(): boolean {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', 'mount -t tmpfs -o size=1m tmpfs "$1"', 'sh', tmpdir()], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

const mountable = canMountTmpfs();
if (!mountable) {
  console.warn(
    'Skipping the real full-disk download test: this machine cannot mount a tmpfs in a user namespace (`unshare --user --map-root-user --mount` failed). The write guard is still tested in guardDownloadWrites.test.ts.',
  );
}

let served: ServedTinyModel | undefined;
let dir: string;
let model: TinyLlamaInfo;
let server: FileServer;

beforeAll(async () => {
  if (!mountable) return;
  if (!existsSync(join(ROOT, 'out', 'main', 'cli.js'))) throw new Error('Build first: npm run build (this test runs the built CLI).');
  // About 15 MB in 2 MiB chunks, throttled so the disk fills while the download runs.
  served = await serveTinyModel({
    dirPrefix: 'codesage-dl-full-',
    urlPath: PATH,
    gguf: { seed: 23, blockCount: 3, embeddingLength: 384, feedForwardLength: 1536, weightType: 'F16' },
    bytesPerSecond: 2 * 1024 * 1024,
  });
  ({ dir, model, server } = served);
});
afterAll(async () => {
  if (!mountable) return;
  // Nothing to close when the set-up failed (no build): its own error is the one to see.
  await served?.close();
});

// Runs inside the namespace: the tmpfs exists only there, so both runs of the command, the program
// that fills the disk and the checks on the partial file all happen in this one script.
const SCRIPT = String.raw`
set -u
models="$DATA/models"
mount -t tmpfs -o size=${DISK_MIB}m tmpfs "$models" || exit 90
node "$CLI" models download "$URL" --sha256 "$SHA" >"$DATA/first.log" 2>&1 &
pid=$!
# Once a few MB are on that disk, another program takes all the rest of it. (Each wait gives up
# after a minute, or when the command has ended, so a broken run fails with its logs.)
deadline=$(( $(date +%s) + 60 ))
while [ "$(du -s -B1 "$models" | cut -f1)" -lt 3000000 ] && kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.05; done
dd if=/dev/zero of="$models/filler" bs=1M 2>/dev/null
wait "$pid"
echo "first-exit=$?"
echo "partial-bytes=$(du -s -B1 "$models/.downloads" | cut -f1)"
rm "$models/filler"
# The test notes what the server has sent so far, then lets the second run start.
deadline=$(( $(date +%s) + 60 ))
while [ ! -e "$DATA/go" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.05; done
node "$CLI" models download "$URL" --sha256 "$SHA" >"$DATA/second.log" 2>&1
echo "second-exit=$?"
cp "$models/full.gguf" "$DATA/installed.gguf" 2>/dev/null
echo "left-in-downloads=$(ls -A "$models/.downloads" | wc -l)"
`;

describe.skipIf(!mountable)('codesage models download on a disk that fills up', () => {
  it('stops with a message naming the folder, keeps what it got, and goes on from it once space is freed', async () => {
    const dataDir = join(dir, 'data');
    mkdirSync(join(dataDir, 'models'), { recursive: true });
    let output = '';
    let sentBeforeSecond = -1;
    const child = spawn('unshare', ['--user', '--map-root-user', '--mount', 'sh', '-c', SCRIPT], {
      env: { ...process.env, DATA: dataDir, CLI, URL: server.url(PATH), SHA: model.sha256, CODESAGE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a test that times out can end the script and both commands.
      detached: true,
    });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // The first run is over: what the server sends from now on is the second run's.
      if (sentBeforeSecond < 0 && output.includes('partial-bytes=')) {
        sentBeforeSecond = server.bytesSent(PATH);
        writeFileSync(join(dataDir, 'go'), '');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    const readLog = (name: string): string => (existsSync(join(dataDir, name)) ? readFileSync(join(dataDir, name), 'utf8') : '(no log)');
    const first = readLog('first.log');
    const second = readLog('second.log');
    const report = `${output}\n--- first run ---\n${first}\n--- second run ---\n${second}`;
    expect(code, report).toBe(0);

    expect(output, report).toContain('first-exit=1');
    expect(first, report).toContain(
      `Download failed: Could not write full.gguf to ${join(dataDir, 'models')}: the disk is full. What was downloaded is kept: free some space on that disk, then resume the download. (DiskWriteError)`,
    );
    // No crash from unhandled write failures.
    expect(first, report).not.toMatch(/ENOSPC: no space left on device, write\n\s+at /);
    const kept = Number(/partial-bytes=(\d+)/.exec(output)?.[1]);
    expect(kept, report).toBeGreaterThan(2 * 1024 * 1024);

    expect(output, report).toContain('second-exit=0');
    expect(second, report).toContain('Installed full.gguf (sha256 verified)');
    expect(readFileSync(join(dataDir, 'installed.gguf')).equals(readFileSync(model.path)), report).toBe(true);
    expect(output, report).toContain('left-in-downloads=0');
    // The second run went on from the partial file instead of starting over.
    const refetchedBySecond = server.bytesSent(PATH) - sentBeforeSecond;
    console.log(
      `disk full mid-download: file ${String(model.sizeBytes)} B, kept ${String(kept)} B on disk, second run fetched ${String(refetchedBySecond)} B`,
    );
    expect(refetchedBySecond, report).toBeLessThan(model.sizeBytes - 2 * 1024 * 1024);
  }, 120_000);
});
