// Starts the built serve mode (out/main/serve.js) as a real child process with its own temp data
// dir and waits for the URL it prints.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServeModeProcess {
  readonly openUrl: string;
  readonly baseUrl: string;
  readonly token: string;
  readonly dataDir: string;
  readonly output: () => string;
  /** Ends the process with SIGKILL, as a crash would, and waits for it; the data dir is kept. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const root = new URL('../..', import.meta.url).pathname;
const serveJs = join(root, 'out/main/serve.js');

export async function startServeMode(options: { dataDir?: string; env?: Record<string, string> } = {}): Promise<ServeModeProcess> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'codesage-e2e-'));
  if (!existsSync(serveJs)) throw new Error('Serve mode is not built: run `npm run build` first (npm test does).');
  const child: ChildProcess = spawn(process.execPath, [serveJs], {
    cwd: root,
    env: { ...process.env, CODESAGE_DATA_DIR: dataDir, CODESAGE_PORT: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`serve mode printed no URL within 30 s:\n${output}`));
    }, 30_000);
    const check = () => {
      const match = /open (http:\/\/\S+\?token=\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve mode exited with ${String(code)}:\n${output}`));
    });
  });
  const url = new URL(openUrl);
  return {
    openUrl,
    baseUrl: url.origin,
    token: url.searchParams.get('token') ?? '',
    dataDir,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (ownsDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
