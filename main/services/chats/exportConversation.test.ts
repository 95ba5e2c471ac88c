// Exports through the store: Markdown of the visible branch, JSON of everything, safe file names.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnswerMetrics } from '../../../common/llm/llmSchema';
import { ChatStore } from './ChatStore';
import { CHAT_EXPORT_FORMAT, CHAT_EXPORT_VERSION } from './exportConversation';

const metrics: AnswerMetrics = {
  promptTokens: 40,
  completionTokens: 128,
  timeToFirstTokenMs: 120.4,
  tokensPerSecond: 35.25,
  backend: 'cuda',
  model: 'qwen-coder',
};
const code = '```python\ndef reverse(items):\n    return items[::-1]\n```';

let directory: string;
let store: ChatStore;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'codesage-chat-export-'));
  let id = 0;
  store = await ChatStore.open({ directory, now: () => new Date('2025-06-07T08:09:10.000Z'), newId: () => `id${String(id++)}` });
});
afterEach(() => {
  store.dispose();
  rmSync(directory, { recursive: true, force: true });
});

function branchedConversation(title: string) {
  const conversation = store.create({ title, systemPrompt: 'You are a careful reviewer.' });
  const question = store.addMessage(conversation.id, { role: 'user', content: 'Reverse a list?', parentId: null, status: 'complete' });
  const old = store.addMessage(conversation.id, {
    role: 'assistant',
    content: 'OLD BRANCH ANSWER',
    parentId: question.id,
    status: 'complete',
  });
  const answer = store.addMessage(conversation.id, { role: 'assistant', content: '', parentId: question.id, status: 'streaming' });
  store.finishMessage(conversation.id, answer.id, { status: 'complete', content: `Like this:\n\n${code}`, metrics });
  const followUp = store.addMessage(conversation.id, { role: 'user', content: 'And in place?', parentId: answer.id, status: 'complete' });
  const stopped = store.addMessage(conversation.id, { role: 'assistant', content: '', parentId: followUp.id, status: 'streaming' });
  store.appendText(conversation.id, stopped.id, 'Use:\n```python\nitems.reverse(');
  store.finishMessage(conversation.id, stopped.id, { status: 'stopped' });
  return { conversationId: conversation.id, old };
}

describe('ChatStore exports', () => {
  it('writes the visible branch as readable Markdown', () => {
    const { conversationId } = branchedConversation('Lists: reverse/sort?');
    const file = store.exportMarkdown(conversationId);
    expect(file.mimeType).toBe('text/markdown');
    expect(file.fileName).toBe('lists-reverse-sort-2025-06-07.md');
    const md = file.content;
    expect(md.startsWith('# Lists: reverse/sort?\n')).toBe(true);
    expect(md).toContain('## System prompt\n\nYou are a careful reviewer.');
    expect(md).toContain('**You**\n\nReverse a list?');
    expect(md).toContain(`**Assistant**\n\nLike this:\n\n${code}`);
    expect(md).toContain('<sub>128 tokens · 35.3 tok/s · first token 120 ms · prompt 40 tokens · CUDA · qwen-coder</sub>');
    expect(md).not.toContain('OLD BRANCH ANSWER');
    expect(md).toContain('export as JSON to keep every branch');
    // The stopped answer's open code block is closed, so nothing after it renders as code.
    expect(md).toContain('items.reverse(\n```\n\n_Stopped before the end');
    expect(md.indexOf('**You**')).toBeLessThan(md.indexOf('**Assistant**'));
  });

  it('marks answers cut off by a restart as incomplete and failed ones with their error', () => {
    const conversation = store.create({ title: 'Plain' });
    const question = store.addMessage(conversation.id, { role: 'user', content: 'Q', parentId: null, status: 'complete' });
    const failed = store.addMessage(conversation.id, { role: 'assistant', content: '', parentId: question.id, status: 'streaming' });
    store.finishMessage(conversation.id, failed.id, { status: 'error', error: 'Out of memory.' });
    const incomplete = store.addMessage(conversation.id, {
      role: 'assistant',
      content: 'Half',
      parentId: question.id,
      status: 'incomplete',
    });
    expect(store.exportMarkdown(conversation.id).content).toContain(
      'Half\n\n_Incomplete: CodeSage stopped before this answer was finished._',
    );
    store.setActiveLeaf(conversation.id, failed.id);
    const md = store.exportMarkdown(conversation.id).content;
    expect(md).toContain('_The answer failed: Out of memory._');
    expect(md).not.toContain('System prompt');
    expect(incomplete.status).toBe('incomplete');
  });

  it('writes everything, every branch, as versioned JSON', () => {
    const { conversationId, old } = branchedConversation('Lists');
    const file = store.exportJson(conversationId);
    expect(file).toMatchObject({ fileName: 'lists-2025-06-07.json', mimeType: 'application/json' });
    const document = JSON.parse(file.content) as { format: string; version: number; exportedAt: string; conversation: unknown };
    expect(document).toEqual({
      format: CHAT_EXPORT_FORMAT,
      version: CHAT_EXPORT_VERSION,
      exportedAt: '2025-06-07T08:09:10.000Z',
      conversation: store.get(conversationId),
    });
    expect(file.content).toContain('OLD BRANCH ANSWER');
    expect(file.content).toContain(old.id);
    expect(file.content).toContain('\n  "version": 1');
  });

  it('makes file names that are safe on every operating system', () => {
    const names = [
      'CON',
      'a/b\\c:d*e?f"g<h>i|j',
      '   ',
      'Überprüfung der Änderungen',
      '日本語のチャット',
      '...',
      'x'.repeat(300),
      'emoji 🚀 launch',
    ].map((title) => store.exportMarkdown(store.create({ title }).id).fileName);
    for (const name of names) {
      expect(name).toMatch(/^[\p{L}\p{N}-]+-\d{4}-\d{2}-\d{2}\.md$/u);
      expect(name.length).toBeLessThan(80);
    }
    expect(names.slice(0, 4)).toEqual([
      'con-2025-06-07.md',
      'a-b-c-d-e-f-g-h-i-j-2025-06-07.md',
      'new-chat-2025-06-07.md',
      'uberprufung-der-anderungen-2025-06-07.md',
    ]);
    expect(names[4]).toBe('日本語のチャット-2025-06-07.md');
    expect(names[5]).toBe('chat-2025-06-07.md');
    expect(names[7]).toBe('emoji-launch-2025-06-07.md');
  });
});
