// Kill -9 of the whole app mid-answer: runs the built serve mode as a real process with a generated
// GGUF, streams an answer, SIGKILLs the process, starts it again on the same data folder and checks
// that everything streamed before the last flush is still there, marked incomplete.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
import { startServeMode } from '../testing/startServeMode';
import type { ServeModeProcess } from '../testing/startServeMode';

interface Running {
  readonly serve: ServeModeProcess;
  readonly api: CodesageApi;
  readonly handle: HttpRawApiHandle<typeof apiContract>;
}

async function startServe(dataDir: string): Promise<Running> {
  const serve = await startServeMode({ dataDir });
  const handle = createHttpRawApi(apiContract, {
    baseUrl: serve.baseUrl,
    token: serve.token,
    createWebSocket: (wsUrl) => new WebSocket(wsUrl) as unknown as WebSocketLike,
  });
  return { serve, api: createApiClient(apiContract, handle.api), handle };
}

let dataDir: string;
beforeAll(async () => {
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
      await first.serve.kill();
    } finally {
      first.handle.dispose();
      await first.serve.kill();
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
      await second.serve.stop();
    }
  }, 120_000);
});
