// ChatService with the real engine (node-llama-cpp on a generated GGUF) and the real store.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { activeBranch } from '../../../common/chat/chatSchema';
import type { Conversation } from '../../../common/chat/chatSchema';
import { loadLlama } from '../../../native/llama/loadLlama';
import type { LoadedLlama } from '../../../native/llama/loadLlama';
import { writeTinyLlamaGguf } from '../../testing/gguf/writeTinyLlamaGguf';
import { LlmEngine } from '../llm/LlmEngine';
import { ModelLibrary } from '../models/ModelLibrary';
import { ChatService, GenerationInProgressError, InvalidBranchTargetError, NoModelReadyError } from './ChatService';
import { ChatStore } from './ChatStore';

let dir: string;
let llama: LoadedLlama;
let engine: LlmEngine;
let library: ModelLibrary;
let store: ChatStore;
let chats: ChatService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'codesage-chats-'));
  library = new ModelLibrary({ folder: join(dir, 'models') });
  // Long answers by default (no end-of-turn bias), so stop and overflow can be exercised.
  await writeTinyLlamaGguf(join(library.folder, 'tiny.gguf'), { seed: 5 });
  llama = await loadLlama({ preference: 'cpu' });
  engine = new LlmEngine({ getLlama: () => Promise.resolve(llama) });
});

afterAll(async () => {
  await engine.dispose();
  await llama.dispose();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  store = await ChatStore.open({ directory: join(dir, `chats-${String(Date.now())}`) });
  chats = new ChatService({ store, engine });
});

afterEach(async () => {
  await chats.dispose();
  store.dispose();
});

async function loadModel(contextSize: number | 'auto' = 1024) {
  await engine.loadModel(await library.resolve('tiny.gguf'), { contextSize });
}

function waitForFinish(conversationId: string, messageId: string): Promise<Conversation> {
  return new Promise((resolve) => {
    const subscription = chats.onDidChangeConversation((conversation) => {
      const message = conversation.messages.find((m) => m.id === messageId);
      if (conversation.id === conversationId && message !== undefined && message.status !== 'streaming') {
        subscription.dispose();
        resolve(conversation);
      }
    });
  });
}

function lastAnswer(conversation: Conversation) {
  const answer = activeBranch(conversation).at(-1);
  if (answer?.role !== 'assistant') throw new Error('expected an answer at the end of the branch');
  return answer;
}

describe('ChatService', () => {
  it('refuses to send without a loaded model, with a message that says what to do', async () => {
    await engine.unloadModel();
    const conversation = chats.create();
    expect(() => chats.send(conversation.id, 'hi')).toThrow(NoModelReadyError);
    expect(chats.get(conversation.id).messages).toEqual([]);
  });

  it('streams an answer into the store and records metrics', async () => {
    await loadModel();
    const conversation = chats.create({ params: { maxTokens: 24, seed: 3 } });
    const deltas: string[] = [];
    chats.onDidAppendText((delta) => deltas.push(delta.text));
    const started = chats.send(conversation.id, 'Explain closures');
    const answer = lastAnswer(started);
    expect(answer.status).toBe('streaming');
    const done = await waitForFinish(conversation.id, answer.id);
    const finished = lastAnswer(done);
    expect(finished.status).toBe('complete');
    expect(finished.content).toBe(deltas.join(''));
    expect(finished.content.length).toBeGreaterThan(0);
    expect(finished.metrics).toMatchObject({ backend: 'cpu', model: 'CodeSage Tiny Llama' });
    expect(finished.metrics?.completionTokens).toBeGreaterThan(0);
    expect(finished.notices.join(' ')).toMatch(/maximum length/);
    expect(done.title).toBe('Explain closures');
  });

  it('stop keeps the partial answer, marked stopped', async () => {
    await loadModel();
    const conversation = chats.create({ params: { maxTokens: 2000 } });
    const answer = lastAnswer(chats.send(conversation.id, 'Write a lot'));
    let seen = '';
    await new Promise<void>((resolve) => {
      chats.onDidAppendText((delta) => {
        seen += delta.text;
        if (seen.length > 30) resolve();
      });
    });
    expect(() => chats.send(conversation.id, 'again')).toThrow(GenerationInProgressError);
    expect(chats.stop(conversation.id)).toBe(true);
    await chats.settled(conversation.id);
    const stopped = lastAnswer(chats.get(conversation.id));
    expect(stopped.id).toBe(answer.id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.content.startsWith(seen)).toBe(true);
    expect(stopped.content.length).toBeLessThan(2000 * 20);
  });

  it('regenerate and edit add branches and keep the old ones', async () => {
    await loadModel();
    const conversation = chats.create({ params: { maxTokens: 8, temperature: 0.9 } });
    const first = lastAnswer(chats.send(conversation.id, 'Question one'));
    await chats.settled(conversation.id);
    const user = activeBranch(chats.get(conversation.id))[0];
    if (user === undefined) throw new Error('no user message');

    const regenerated = lastAnswer(chats.regenerate(conversation.id, first.id));
    await chats.settled(conversation.id);
    expect(regenerated.id).not.toBe(first.id);
    expect(regenerated.parentId).toBe(user.id);
    expect(() => chats.regenerate(conversation.id, user.id)).toThrow(InvalidBranchTargetError);

    const edited = chats.edit(conversation.id, user.id, 'Question one, rephrased');
    await chats.settled(conversation.id);
    const branch = activeBranch(chats.get(conversation.id));
    expect(branch.map((m) => m.content)[0]).toBe('Question one, rephrased');
    expect(lastAnswer(edited).parentId).toBe(branch[0]?.id);
    // Nothing was overwritten: both user versions and all three answers are still there.
    const all = chats.get(conversation.id).messages;
    expect(
      all
        .filter((m) => m.role === 'user')
        .map((m) => m.content)
        .sort(),
    ).toEqual(['Question one', 'Question one, rephrased']);
    expect(all.filter((m) => m.role === 'assistant')).toHaveLength(3);

    const back = chats.selectBranch(conversation.id, first.id);
    expect(activeBranch(back).map((m) => m.id)).toEqual([user.id, first.id]);
  });

  it('says so when early history was dropped to fit the context', async () => {
    await loadModel(256);
    const conversation = chats.create({ params: { maxTokens: 16 } });
    for (let turn = 0; turn < 6; turn++) {
      chats.send(conversation.id, `Turn ${String(turn)}: ${'please remember these details about parsers and lexers '.repeat(3)}`);
      await chats.settled(conversation.id);
    }
    const answers = chats.get(conversation.id).messages.filter((m) => m.role === 'assistant');
    expect(answers.some((m) => m.notices.some((n) => n.includes('dropped')))).toBe(true);
  });

  it('keeps conversations across a restart', async () => {
    await loadModel();
    const directory = join(dir, 'restart');
    const first = await ChatStore.open({ directory });
    const service = new ChatService({ store: first, engine });
    const conversation = service.create({ params: { maxTokens: 6 } });
    service.send(conversation.id, 'Remember the word pelican');
    await service.settled(conversation.id);
    const before = service.get(conversation.id);
    await service.dispose();
    first.dispose();

    const reopened = await ChatStore.open({ directory });
    expect(reopened.get(conversation.id)).toEqual(before);
    expect(reopened.search('pelican').map((hit) => hit.conversationId)).toEqual([conversation.id]);
    reopened.dispose();
  });

  it('reports a journal that can no longer be written instead of failing in the background', async () => {
    await loadModel();
    const directory = join(dir, 'unwritable');
    const failing = await ChatStore.open({ directory, flushIntervalMs: 20 });
    const warnings: string[] = [];
    const service = new ChatService({ store: failing, engine, warn: (message) => warnings.push(message) });
    const conversation = service.create({ params: { maxTokens: 2000 } });
    service.send(conversation.id, 'Write a lot');
    await new Promise<void>((resolve) => {
      service.onDidAppendText(() => {
        resolve();
      });
    });
    // The disk "goes away": the journal path becomes a folder.
    rmSync(join(directory, `${conversation.id}.jsonl`));
    mkdirSync(join(directory, `${conversation.id}.jsonl`));
    service.stop(conversation.id);
    await service.settled(conversation.id);
    expect(warnings.join(' ')).toMatch(/Could not save|failed/);
    // The service is still usable afterwards.
    expect(() => service.create()).not.toThrow();
    await service.dispose();
    failing.dispose();
  });
});
