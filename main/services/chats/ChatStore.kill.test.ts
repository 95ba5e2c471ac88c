// The durability promise of ChatStore, tested for real: a child process streams an answer and is
// killed with SIGKILL (no chance to flush or clean up); everything its flush timer had written
// must come back, marked incomplete.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatStore } from './ChatStore';

const script = join(import.meta.dirname, 'testing', 'streamUntilKilled.ts');
const repoRoot = join(import.meta.dirname, '..', '..', '..');

type Report = { event: 'ready'; pid: number; conversationId: string; messageId: string } | { event: 'flushed'; chunks: number };

let directory: string;
let child: ChildProcessByStdio<null, Readable, Readable> | undefined;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'codesage-chat-kill-'));
});
afterEach(() => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

describe('ChatStore after kill -9', () => {
  it('keeps every chunk written by the flush timer, and marks the answer incomplete', async () => {
    // node itself (not npx or the tsx CLI, which put a parent process in between), so the pid is the one writing.
    const running = spawn(process.execPath, ['--import', 'tsx', script, directory, '100'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = running;
    let stderr = '';
    running.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<void>((resolve) =>
      running.once('exit', () => {
        resolve();
      }),
    );

    // If flushes never come, stop waiting well before the test's own timeout and say why.
    const guard = setTimeout(() => running.kill('SIGKILL'), 20_000);
    const reports: Report[] = [];
    for await (const line of createInterface({ input: running.stdout })) {
      reports.push(JSON.parse(line) as Report);
      if (reports.filter((report) => report.event === 'flushed').length >= 2) break;
    }
    clearTimeout(guard);
    const ready = reports[0];
    if (ready?.event !== 'ready') throw new Error(`The child did not start: ${stderr}`);
    expect(ready.pid).toBe(running.pid);
    const lastFlush = reports.at(-1);
    if (lastFlush?.event !== 'flushed') throw new Error(`The child stopped before two flushes: ${stderr}`);
    expect(lastFlush.chunks).toBeGreaterThan(0);

    process.kill(ready.pid, 'SIGKILL');
    await exited;
    expect(running.signalCode).toBe('SIGKILL');

    const store = await ChatStore.open({ directory });
    try {
      const conversation = store.get(ready.conversationId);
      const answer = conversation?.messages.find((message) => message.id === ready.messageId);
      expect(answer?.status).toBe('incomplete');
      const flushed = Array.from({ length: lastFlush.chunks }, (_, index) => `chunk-${String(index)} `).join('');
      // At least what was reported flushed; more if the timer fired again before the kill landed.
      expect(answer?.content.startsWith(flushed)).toBe(true);
      expect(answer?.content).toMatch(/^(chunk-\d+ )+$/u);
      expect(conversation?.messages[0]?.content).toBe('Count for me.');
    } finally {
      store.dispose();
    }
  });
});
