// ChatStore over a real temp folder: persistence, branching, streaming and its flush timer, repair
// of damaged journals, compaction and errors. (kill -9 is in ChatStore.kill.test.ts.)
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activeBranch, DEFAULT_GENERATION_PARAMS } from '../../../common/chat/chatSchema';
import type { AnswerMetrics } from '../../../common/llm/llmSchema';
import { ChatStore, DEFAULT_CONVERSATION_TITLE } from './ChatStore';
import type { ChatStoreOptions } from './ChatStore';
import { ChatStoreDisposedError } from './ChatStoreDisposedError';
import { ChatStoreWriteError } from './ChatStoreWriteError';
import { ConversationNotFoundError } from './ConversationNotFoundError';
import { MessageNotFoundError } from './MessageNotFoundError';
import { MessageNotStreamingError } from './MessageNotStreamingError';

const metrics: AnswerMetrics = {
  promptTokens: 12,
  completionTokens: 34,
  timeToFirstTokenMs: 150,
  tokensPerSecond: 21.5,
  backend: 'cpu',
  model: 'tiny',
};

let directory: string;
const stores: ChatStore[] = [];
let warnings: string[];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'codesage-chats-'));
  warnings = [];
});
afterEach(() => {
  vi.useRealTimers();
  for (const store of stores.splice(0)) store.dispose();
  rmSync(directory, { recursive: true, force: true });
});

/** A store with a clock that ticks one second per call and readable ids. */
async function openStore(options: Partial<ChatStoreOptions> = {}): Promise<ChatStore> {
  let tick = 0;
  let id = 0;
  const store = await ChatStore.open({
    directory,
    now: () => new Date(Date.UTC(2025, 0, 1, 0, 0, tick++)),
    // Unique across reopen (like UUIDs), so tests never collide with ids already on disk.
    newId: () => `id-${String(stores.length)}-${String(id++)}`,
    warn: (message) => warnings.push(message),
    ...options,
  });
  stores.push(store);
  return store;
}

function journalOf(conversationId: string): string {
  return join(directory, `${conversationId}.jsonl`);
}

function journalRecords(conversationId: string): { type: string }[] {
  return readFileSync(journalOf(conversationId), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { type: string });
}

/** A conversation with a question and a finished answer. */
function seed(store: ChatStore, question = 'How do I reverse a list in Python?') {
  const conversation = store.create();
  const user = store.addMessage(conversation.id, { role: 'user', content: question, parentId: null, status: 'complete' });
  const answer = store.addMessage(conversation.id, { role: 'assistant', content: '', parentId: user.id, status: 'streaming' });
  store.appendText(conversation.id, answer.id, 'Use `reversed()` ');
  store.appendText(conversation.id, answer.id, 'or `list[::-1]`.');
  store.finishMessage(conversation.id, answer.id, { status: 'complete', metrics, notices: ['A notice.'] });
  return { conversationId: conversation.id, user, answer };
}

describe('ChatStore basics', () => {
  it('creates conversations with defaults and lists them newest first', async () => {
    const store = await openStore();
    const first = store.create();
    expect(first).toMatchObject({ title: DEFAULT_CONVERSATION_TITLE, systemPrompt: '', params: DEFAULT_GENERATION_PARAMS, messages: [] });
    expect(first.activeLeafId).toBeNull();
    const second = store.create({ title: '  Parser\nwork ', systemPrompt: 'Be brief.', params: { temperature: 0.2, seed: 5 } });
    expect(second).toMatchObject({
      title: 'Parser work',
      systemPrompt: 'Be brief.',
      params: { ...DEFAULT_GENERATION_PARAMS, temperature: 0.2, seed: 5 },
    });
    store.addMessage(first.id, { role: 'user', content: 'Hello', parentId: null, status: 'complete' });
    expect(store.list().map((summary) => [summary.id, summary.messageCount])).toEqual([
      [first.id, 1],
      [second.id, 0],
    ]);
  });

  it('returns copies that callers cannot use to change the store', async () => {
    const store = await openStore();
    const { conversationId } = seed(store);
    const copy = store.get(conversationId);
    if (copy === undefined) throw new Error('missing');
    copy.title = 'changed';
    copy.messages[0]!.content = 'changed';
    expect(store.get(conversationId)?.title).not.toBe('changed');
    expect(store.get(conversationId)?.messages[0]?.content).not.toBe('changed');
  });

  it('keeps everything across reopen: messages, metrics, notices, title, settings', async () => {
    const store = await openStore();
    const { conversationId } = seed(store);
    store.rename(conversationId, 'Lists');
    store.configure(conversationId, { systemPrompt: 'You are terse.', params: { maxTokens: 99 } });
    store.configure(conversationId, { params: { topP: 0.5 } });
    const before = store.get(conversationId);
    store.dispose();

    const reopened = await openStore();
    expect(reopened.get(conversationId)).toEqual(before);
    expect(before).toMatchObject({
      title: 'Lists',
      systemPrompt: 'You are terse.',
      params: { maxTokens: 99, topP: 0.5, temperature: 0.7 },
    });
    expect(before?.messages[1]).toMatchObject({
      content: 'Use `reversed()` or `list[::-1]`.',
      status: 'complete',
      metrics,
      notices: ['A notice.'],
    });
    expect(warnings).toEqual([]);
  });

  it('names an untitled chat after the first line of the first question, and not a renamed one', async () => {
    const store = await openStore();
    const long = store.create();
    store.addMessage(long.id, {
      role: 'user',
      content:
        '```ts\nconst x = 1;\n```\n\n  Why does this   TypeScript snippet fail to compile when strict mode is enabled in tsconfig?\nMore.',
      parentId: null,
      status: 'complete',
    });
    const title = store.get(long.id)?.title ?? '';
    expect(title).toBe('Why does this TypeScript snippet fail to compile when strict…');
    expect(title.length).toBeLessThanOrEqual(61);

    const named = store.create({ title: 'Mine' });
    store.addMessage(named.id, { role: 'user', content: 'Something else', parentId: null, status: 'complete' });
    expect(store.get(named.id)?.title).toBe('Mine');
    store.dispose();
    expect((await openStore()).get(long.id)?.title).toBe(title);
  });

  it('deletes a conversation and its journal', async () => {
    const store = await openStore();
    const { conversationId } = seed(store);
    expect(store.delete(conversationId)).toBe(true);
    expect(existsSync(journalOf(conversationId))).toBe(false);
    expect(store.get(conversationId)).toBeUndefined();
    expect(store.delete(conversationId)).toBe(false);
    store.dispose();
    expect((await openStore()).list()).toEqual([]);
  });
});

describe('ChatStore branches', () => {
  it('keeps both answers to one question and switches between them', async () => {
    const store = await openStore();
    const { conversationId, user, answer: first } = seed(store);
    const second = store.addMessage(conversationId, { role: 'assistant', content: 'Second answer', parentId: user.id, status: 'complete' });
    const followUp = store.addMessage(conversationId, { role: 'user', content: 'And tuples?', parentId: second.id, status: 'complete' });
    const ids = (id: string) => activeBranch(store.get(id) ?? { messages: [], activeLeafId: null }).map((m) => m.id);

    expect(store.get(conversationId)?.messages).toHaveLength(4);
    expect(ids(conversationId)).toEqual([user.id, second.id, followUp.id]);
    store.setActiveLeaf(conversationId, first.id);
    expect(ids(conversationId)).toEqual([user.id, first.id]);
    // Selecting the question follows its newest answer down to that branch's end.
    store.setActiveLeaf(conversationId, user.id);
    expect(ids(conversationId)).toEqual([user.id, second.id, followUp.id]);
  });

  it('persists the selected branch', async () => {
    const store = await openStore();
    const { conversationId, user, answer: first } = seed(store);
    store.addMessage(conversationId, { role: 'assistant', content: 'Second answer', parentId: user.id, status: 'complete' });
    store.setActiveLeaf(conversationId, first.id);
    store.dispose();
    const reopened = await openStore();
    expect(reopened.get(conversationId)?.activeLeafId).toBe(first.id);
    expect(reopened.get(conversationId)?.messages.map((m) => m.content)).toContain('Second answer');
  });
});

describe('ChatStore streaming', () => {
  it('shows unflushed text at once and writes it on the timer, batched, not per token', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const store = await openStore({ flushIntervalMs: 250 });
    const conversation = store.create();
    const answer = store.addMessage(conversation.id, { role: 'assistant', content: '', parentId: null, status: 'streaming' });
    for (let i = 0; i < 100; i++) store.appendText(conversation.id, answer.id, `t${String(i)} `);
    expect(store.get(conversation.id)?.messages[0]?.content).toMatch(/^t0 t1 .* t99 $/u);
    expect(journalRecords(conversation.id).filter((r) => r.type === 'textAppended')).toHaveLength(0);

    vi.advanceTimersByTime(249);
    expect(journalRecords(conversation.id).filter((r) => r.type === 'textAppended')).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(journalRecords(conversation.id).filter((r) => r.type === 'textAppended')).toHaveLength(1);

    // A second store reads the folder as a restarted app would after a crash (the first is never disposed).
    const afterCrash = await ChatStore.open({ directory });
    const restored = afterCrash.get(conversation.id)?.messages[0];
    afterCrash.dispose();
    expect(restored?.status).toBe('incomplete');
    expect(restored?.content).toBe(store.get(conversation.id)?.messages[0]?.content);
  });

  it('writes buffered text before the finish record, and skips it when the finish replaces the text', async () => {
    const store = await openStore({ flushIntervalMs: 60_000 });
    const conversation = store.create();
    const kept = store.addMessage(conversation.id, { role: 'assistant', content: '', parentId: null, status: 'streaming' });
    store.appendText(conversation.id, kept.id, 'partial ');
    store.appendText(conversation.id, kept.id, 'answer');
    store.finishMessage(conversation.id, kept.id, { status: 'stopped' });
    const replaced = store.addMessage(conversation.id, { role: 'assistant', content: '', parentId: null, status: 'streaming' });
    store.appendText(conversation.id, replaced.id, 'draft');
    store.finishMessage(conversation.id, replaced.id, { status: 'complete', content: 'Final text', metrics });
    expect(journalRecords(conversation.id).map((r) => r.type)).toEqual([
      'created',
      'messageAdded',
      'textAppended',
      'messageFinished',
      'messageAdded',
      'messageFinished',
    ]);
    store.dispose();
    const messages = (await openStore()).get(conversation.id)?.messages;
    expect(messages?.map((m) => [m.content, m.status])).toEqual([
      ['partial answer', 'stopped'],
      ['Final text', 'complete'],
    ]);
  });

  it('flushes on flush() and dispose(), and refuses text for a finished message', async () => {
    const store = await openStore({ flushIntervalMs: 60_000 });
    const conversation = store.create();
    const answer = store.addMessage(conversation.id, { role: 'assistant', content: '', parentId: null, status: 'streaming' });
    store.appendText(conversation.id, answer.id, 'one ');
    store.flush();
    expect(journalRecords(conversation.id).at(-1)).toEqual({ type: 'textAppended', messageId: answer.id, text: 'one ' });
    store.appendText(conversation.id, answer.id, 'two');
    store.dispose();
    expect(journalRecords(conversation.id).at(-1)).toEqual({ type: 'textAppended', messageId: answer.id, text: 'two' });

    const reopened = await openStore();
    expect(reopened.get(conversation.id)?.messages[0]?.content).toBe('one two');
    expect(() => {
      reopened.appendText(conversation.id, answer.id, 'more');
    }).toThrow(MessageNotStreamingError);
  });
});

describe('ChatStore damaged journals', () => {
  it('ignores a torn last line quietly and cuts it so later records stay readable', async () => {
    const store = await openStore();
    const { conversationId } = seed(store);
    const before = store.get(conversationId);
    store.dispose();
    appendFileSync(journalOf(conversationId), '{"type":"messageAdded","at":"2025-01-0');

    const reopened = await openStore();
    expect(reopened.get(conversationId)).toEqual(before);
    expect(warnings).toEqual([]);
    reopened.addMessage(conversationId, { role: 'user', content: 'After the crash', parentId: null, status: 'complete' });
    reopened.dispose();

    const third = await openStore();
    expect(third.get(conversationId)?.messages.at(-1)?.content).toBe('After the crash');
    expect(warnings).toEqual([]);
  });

  it('keeps a last record written without its newline and starts the next record on a new line', async () => {
    const store = await openStore();
    const { conversationId } = seed(store);
    store.dispose();
    writeFileSync(journalOf(conversationId), readFileSync(journalOf(conversationId), 'utf8').trimEnd());

    const reopened = await openStore();
    expect(reopened.get(conversationId)?.messages[1]?.status).toBe('complete');
    reopened.addMessage(conversationId, { role: 'user', content: 'Next', parentId: null, status: 'complete' });
    reopened.dispose();
    expect((await openStore()).get(conversationId)?.messages.map((m) => m.content)).toContain('Next');
    expect(warnings).toEqual([]);
  });

  it('skips a damaged line in the middle with a warning, keeps the rest and a backup of the original', async () => {
    const store = await openStore();
    const { conversationId } = seed(store);
    store.addMessage(conversationId, { role: 'user', content: 'Later question', parentId: null, status: 'complete' });
    store.dispose();
    const lines = readFileSync(journalOf(conversationId), 'utf8').split('\n');
    // Line 5 is the answer's streamed text (created, renamed, question, answer, text, finished, ...).
    lines[4] = '{"type":"textAppe\u0000garbage';
    const damaged = lines.join('\n');
    writeFileSync(journalOf(conversationId), damaged);

    const reopened = await openStore();
    const conversation = reopened.get(conversationId);
    expect(conversation?.messages.map((m) => m.content)).toEqual([
      'How do I reverse a list in Python?',
      // The answer's text is lost with its line; the answer itself and the later question survive.
      '',
      'Later question',
    ]);
    expect(conversation?.messages[1]?.status).toBe('complete');
    expect(warnings[0]).toContain('line 5');
    const backups = readdirSync(directory).filter((name) => name.endsWith('.bak'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(directory, backups[0]!), 'utf8')).toBe(damaged);
    reopened.dispose();

    warnings = [];
    expect((await openStore()).get(conversationId)).toEqual(conversation);
    expect(warnings).toEqual([]);
  });

  it('recovers messages when even the first record is unreadable', async () => {
    const store = await openStore();
    const { conversationId } = seed(store);
    store.dispose();
    const lines = readFileSync(journalOf(conversationId), 'utf8').split('\n');
    lines[0] = 'not json';
    lines[1] = '{"type":"renamed"}';
    writeFileSync(journalOf(conversationId), lines.join('\n'));

    const conversation = (await openStore()).get(conversationId);
    expect(conversation?.title).toBe('Recovered chat');
    expect(conversation?.messages).toHaveLength(2);
    expect(warnings.join('\n')).toContain('created');
  });

  it('leaves unreadable files alone, ignores other files and removes leftovers of an interrupted compaction', async () => {
    writeFileSync(join(directory, 'garbage.jsonl'), 'nothing useful\n');
    writeFileSync(join(directory, 'notes.txt'), 'hello');
    writeFileSync(join(directory, 'abc.jsonl.tmp'), 'half a snapshot');
    const store = await openStore();
    expect(store.list()).toEqual([]);
    expect(readFileSync(join(directory, 'garbage.jsonl'), 'utf8')).toBe('nothing useful\n');
    expect(existsSync(join(directory, 'abc.jsonl.tmp'))).toBe(false);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('garbage.jsonl');
  });

  it('compacts a long journal into one snapshot with identical content', async () => {
    const store = await openStore({ flushIntervalMs: 60_000 });
    const { conversationId, user } = seed(store);
    const answer = store.addMessage(conversationId, { role: 'assistant', content: '', parentId: user.id, status: 'streaming' });
    for (let i = 0; i < 600; i++) {
      store.appendText(conversationId, answer.id, `word${String(i)} `);
      store.flush();
    }
    const before = store.get(conversationId);
    const sizeBefore = statSync(journalOf(conversationId)).size;
    expect(journalRecords(conversationId).length).toBeGreaterThan(600);
    store.dispose();

    const reopened = await openStore();
    const after = reopened.get(conversationId);
    // The answer that was streaming when the store closed becomes incomplete, as on any reopen.
    expect(after).toEqual({
      ...before,
      messages: before?.messages.map((m) => (m.id === answer.id ? { ...m, status: 'incomplete' } : m)),
    });
    expect(journalRecords(conversationId).map((r) => r.type)).toEqual(['snapshot']);
    expect(statSync(journalOf(conversationId)).size).toBeLessThan(sizeBefore / 2);
    reopened.addMessage(conversationId, { role: 'user', content: 'Next', parentId: answer.id, status: 'complete' });
    reopened.dispose();
    expect((await openStore()).get(conversationId)?.messages).toHaveLength(4);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('ChatStore errors', () => {
  it('names unknown conversations and messages in errors a user can act on', async () => {
    const store = await openStore();
    const { conversationId, answer } = seed(store);
    const missing = 'no-such-chat';
    const calls: (() => void)[] = [
      () => {
        store.rename(missing, 'x');
      },
      () => {
        store.configure(missing, {});
      },
      () => {
        store.addMessage(missing, { role: 'user', content: 'x', parentId: null, status: 'complete' });
      },
      () => {
        store.appendText(missing, answer.id, 'x');
      },
      () => {
        store.finishMessage(missing, answer.id, { status: 'complete' });
      },
      () => {
        store.setActiveLeaf(missing, answer.id);
      },
      () => {
        store.exportMarkdown(missing);
      },
      () => {
        store.exportJson(missing);
      },
    ];
    for (const call of calls) expect(call).toThrow(ConversationNotFoundError);
    expect(() => {
      store.rename(missing, 'x');
    }).toThrow(/no-such-chat does not exist.*Refresh the chat list/u);
    expect(store.get(missing)).toBeUndefined();

    const messageCalls: (() => void)[] = [
      () => {
        store.addMessage(conversationId, { role: 'user', content: 'x', parentId: 'gone', status: 'complete' });
      },
      () => {
        store.appendText(conversationId, 'gone', 'x');
      },
      () => {
        store.finishMessage(conversationId, 'gone', { status: 'complete' });
      },
      () => {
        store.setActiveLeaf(conversationId, 'gone');
      },
    ];
    for (const call of messageCalls) expect(call).toThrow(MessageNotFoundError);
    expect(messageCalls[0]).toThrow(/gone is not part of the conversation.*Reopen the conversation/u);
  });

  it('refuses invalid changes without writing them', async () => {
    const store = await openStore();
    const conversation = store.create();
    const size = statSync(journalOf(conversation.id)).size;
    expect(() => {
      store.configure(conversation.id, { params: { temperature: 5 } });
    }).toThrow(/params\.temperature/u);
    expect(() => {
      store.rename(conversation.id, '  \n ');
    }).toThrow(RangeError);
    expect(() => store.create({ params: { maxTokens: 0 } })).toThrow(RangeError);
    expect(statSync(journalOf(conversation.id)).size).toBe(size);
    expect(store.list()).toHaveLength(1);
    const unsafe = await openStore({ newId: () => '../escape' });
    expect(() => unsafe.create()).toThrow(/file name/u);
  });

  it('reports a failed write and leaves memory as it was', async () => {
    const store = await openStore();
    const conversation = store.create();
    // A folder where the journal should be makes every append fail.
    rmSync(journalOf(conversation.id));
    mkdirSync(journalOf(conversation.id));
    expect(() => store.addMessage(conversation.id, { role: 'user', content: 'Lost?', parentId: null, status: 'complete' })).toThrow(
      ChatStoreWriteError,
    );
    expect(store.get(conversation.id)?.messages).toEqual([]);
    expect(store.get(conversation.id)?.title).toBe(DEFAULT_CONVERSATION_TITLE);
  });

  it('throws a clear error after dispose', async () => {
    const store = await openStore();
    const { conversationId } = seed(store);
    store.dispose();
    store.dispose();
    expect(() => store.list()).toThrow(ChatStoreDisposedError);
    expect(() => store.get(conversationId)).toThrow(ChatStoreDisposedError);
    expect(() => store.search('list')).toThrow(/closed/u);
  });

  it('keeps routes and intent corrections across a reopen, and reads answers saved before routing existed', async () => {
    const store = await openStore();
    const conversation = store.create({});
    const user = store.addMessage(conversation.id, { role: 'user', content: 'where is auth?', parentId: null, status: 'complete' });
    const route = {
      kind: 'local-repo' as const,
      intent: {
        label: 'repo' as const,
        confidence: 0.9,
        scores: { code: 0.05, repo: 0.9, review: 0.02, general: 0.02, unsafe: 0.01 },
        uncertain: false,
        modelVersion: 'intent-test',
        problem: null,
      },
      policy: 'offline' as const,
      reason: 'Looks like a question about your repository (90%).',
      overridden: false,
    };
    const answer = store.addMessage(conversation.id, { role: 'assistant', content: 'x', parentId: user.id, status: 'complete', route });
    store.correctIntent(conversation.id, answer.id, 'code');
    // A journal line written by an app from before routing: no route, no intentCorrection.
    const legacy = { ...answer, id: 'legacy', route: undefined, intentCorrection: undefined };
    appendFileSync(journalOf(conversation.id), `${JSON.stringify({ type: 'messageAdded', at: answer.createdAt, message: legacy })}\n`);
    store.dispose();

    const reopened = await openStore();
    const messages = reopened.get(conversation.id)?.messages ?? [];
    expect(messages.find((m) => m.id === answer.id)).toMatchObject({ route, intentCorrection: 'code' });
    expect(messages.find((m) => m.id === 'legacy')).toMatchObject({ route: null, intentCorrection: null });
    expect(warnings).toEqual([]);
    reopened.correctIntent(conversation.id, answer.id, null);
    expect(reopened.get(conversation.id)?.messages.find((m) => m.id === answer.id)?.intentCorrection).toBeNull();
  });
});
