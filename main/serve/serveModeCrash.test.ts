// Kill -9 of the whole app mid-answer: runs the built serve mode as a real process with a generated
// GGUF, streams an answer, SIGKILLs the process, starts it again on the same data folder and checks
// that everything streamed before the last flush is still there, marked incomplete.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiContract } from '../../common/api/contract';
import type { CodesageApi } from '../../common/api/contract';
import { createApiClient } from '../../common/api/createApiClient';
import { createHttpRawApi } from '../../common/api/createHttpRawApi';
import type { HttpRawApiHandle, WebSocketLike } from '../../common/api/createHttpRawApi';
import { writeTinyLlamaGguf } from '../testing/gguf/writeTinyLlamaGguf';

const root = new URL('../..', import.meta.url).pathname;
const serveJs = join(root, 'out/main/serve.js');

interface Running {
  readonly child: ChildProcess;
  readonly api: CodesageApi;
  readonly handle: HttpRawApiHandle<typeof apiContract>;
}

async function startServe(dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [serveJs], {
    env: { ...process.env, CODESAGE_DATA_DIR: dataDir, CODESAGE_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`serve mode printed no URL:\n${output}`));
    }, 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /open (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(new URL(match[1]));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve mode exited with ${String(code)}:\n${output}`));
    });
  });
  const handle = createHttpRawApi(apiContract, {
    baseUrl: url.origin,
    token: url.searchParams.get('token') ?? '',
    createWebSocket: (wsUrl) => new WebSocket(wsUrl) as unknown as WebSocketLike,
  });
  return { child, api: createApiClient(apiContract, handle.api), handle };
}

let dataDir: string;
beforeAll(async () => {
  if (!existsSync(serveJs)) throw new Error('This test runs the built app: run `npm run build` first (npm test does).');
  dataDir = mkdtempSync(join(tmpdir(), 'codesage-crash-'));
  mkdirSync(join(dataDir, 'models'));
  await writeTinyLlamaGguf(join(dataDir, 'models', 'tiny-chat.gguf'), { seed: 7 });
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('serve mode killed with SIGKILL mid-answer', () => {
  it('keeps every flushed part of the answer, marked incomplete, and the earlier history', async () => {
    const first = await startServe(dataDir);
    let conversationId = '';
    let streamed = '';
    try {
      await first.api.llm.loadModel({ modelId: 'tiny-chat.gguf', contextSize: 2048 });
      const conversation = await first.api.chats.create({ params: { maxTokens: 1800, temperature: 0.8, seed: 1 } });
      conversationId = conversation.id;
      const enough = new Promise<void>((resolve) => {
        first.api.chats.onMessageDelta((delta) => {
          streamed += delta.text;
          // Well past the store's 250 ms flush interval.
          if (streamed.length > 400) setTimeout(resolve, 600);
        });
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await first.api.chats.send({ conversationId, content: 'Write a long story about a compiler.' });
      await enough;
      first.child.kill('SIGKILL');
      await new Promise((resolve) => first.child.once('exit', resolve));
    } finally {
      first.handle.dispose();
      if (first.child.exitCode === null && first.child.signalCode === null) first.child.kill('SIGKILL');
    }

    const second = await startServe(dataDir);
    try {
      const restored = await second.api.chats.get({ conversationId });
      const [user, answer] = restored.messages;
      expect(user?.content).toBe('Write a long story about a compiler.');
      expect(answer?.status).toBe('incomplete');
      // Everything seen before the kill minus at most the last unflushed interval survived.
      expect(answer?.content.length).toBeGreaterThan(200);
      expect(streamed.startsWith(answer?.content ?? '!')).toBe(true);
      expect((await second.api.chats.search({ query: 'compiler' })).map((hit) => hit.conversationId)).toContain(conversationId);
    } finally {
      second.handle.dispose();
      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.once('exit', resolve));
    }
  }, 120_000);
});
