import { describe, expect, it } from 'vitest';
import { activeBranch } from '../../../../../common/chat/chatSchema';
import type { Conversation } from '../../../../../common/chat/chatSchema';
import { createAppStore } from '../../../app/store/createAppStore';
import { conversationFixture, exchangeFixture, messageFixture } from '../../../test/chatFixtures';
import { mergeStreamingText } from './mergeConversation';

/** A conversation whose last answer is being written, with the text main had stored so far. */
function streaming(content: string, updatedAt = '2025-01-01T09:00:00.000Z'): Conversation {
  return conversationFixture({
    id: 'c1',
    updatedAt,
    messages: [
      messageFixture({ id: 'u1', role: 'user', content: 'Explain closures' }),
      messageFixture({ id: 'a1', role: 'assistant', parentId: 'u1', content, status: 'streaming' }),
    ],
  });
}

function finished(content: string): Conversation {
  const conversation = streaming(content, '2025-01-01T09:00:05.000Z');
  return {
    ...conversation,
    messages: conversation.messages.map((m) =>
      m.id === 'a1'
        ? {
            ...m,
            status: 'complete' as const,
            metrics: {
              promptTokens: 1,
              completionTokens: 2,
              timeToFirstTokenMs: 3,
              tokensPerSecond: 4,
              backend: 'cpu' as const,
              model: 'm',
            },
          }
        : m,
    ),
  };
}

function answerText(store: ReturnType<typeof createAppStore>): string | undefined {
  const conversation = store.getState().conversations.c1;
  return conversation?.messages.find((m) => m.id === 'a1')?.content;
}

describe('chat slice', () => {
  it('appends deltas to the streaming answer of a known conversation', () => {
    const store = createAppStore({ transport: 'ipc' });
    store.getState().conversationReceived(streaming(''));
    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: 'A closure ' });
    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: 'captures' });
    expect(answerText(store)).toBe('A closure captures');
  });

  it('keeps deltas that arrive before the answer that announces their message', () => {
    const store = createAppStore({ transport: 'http' });
    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: 'A closure ' });
    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: 'captures' });
    expect(store.getState().conversations.c1).toBeUndefined();

    // send() answers with the conversation as it was when the answer started: no text yet.
    store.getState().conversationReceived(streaming(''));
    expect(answerText(store)).toBe('A closure captures');
    expect(store.getState().pendingDeltas).toEqual({});

    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: ' variables.' });
    expect(answerText(store)).toBe('A closure captures variables.');
  });

  it('neither loses nor repeats text when a snapshot overlaps deltas already shown', () => {
    const store = createAppStore({ transport: 'ipc' });
    store.getState().conversationReceived(streaming('A'));
    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: ' closure' });
    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: ' captures' });
    // A snapshot taken after the first delta only.
    store.getState().conversationReceived(streaming('A closure'));
    expect(answerText(store)).toBe('A closure captures');
    // A snapshot taken later than anything shown.
    store.getState().conversationReceived(streaming('A closure captures its'));
    expect(answerText(store)).toBe('A closure captures its');
  });

  it('lets the final text win, and never returns a finished answer to streaming', () => {
    const store = createAppStore({ transport: 'http' });
    store.getState().conversationReceived(streaming(''));
    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: 'Draft' });
    store.getState().conversationReceived(finished('Final answer.'));
    expect(answerText(store)).toBe('Final answer.');

    // The send() answer arriving after the final event (possible over HTTP + WebSocket).
    store.getState().conversationReceived(streaming(''));
    const answer = store.getState().conversations.c1?.messages.find((m) => m.id === 'a1');
    expect(answer?.status).toBe('complete');
    expect(answer?.content).toBe('Final answer.');
    // A late delta does not touch the final text either.
    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: ' late' });
    expect(answerText(store)).toBe('Final answer.');
  });

  it('keeps messages a late, older snapshot does not have, and the newer active branch', () => {
    const store = createAppStore({ transport: 'http' });
    const base = exchangeFixture('c1', 'Q', 'first', '2025-01-01T09:00:00.000Z');
    const regenerated: Conversation = {
      ...base,
      updatedAt: '2025-01-01T09:01:00.000Z',
      messages: [...base.messages, messageFixture({ id: 'c1-a2', role: 'assistant', parentId: 'c1-u1', content: 'second' })],
      activeLeafId: 'c1-a2',
    };
    store.getState().conversationReceived(regenerated);
    store.getState().conversationReceived(base);
    const shown = store.getState().conversations.c1;
    expect(shown?.messages.map((m) => m.id)).toEqual(['c1-u1', 'c1-a1', 'c1-a2']);
    expect(shown === undefined ? [] : activeBranch(shown).map((m) => m.content)).toEqual(['Q', 'second']);
  });

  it('takes the active branch from a snapshot with a new message even when its clock is behind', () => {
    const store = createAppStore({ transport: 'ipc' });
    const base = exchangeFixture('c1', 'Q', 'first', '2025-01-01T09:00:00.000Z');
    store.getState().conversationReceived(base);
    store.getState().conversationReceived({
      ...base,
      updatedAt: '2025-01-01T08:59:00.000Z',
      messages: [...base.messages, messageFixture({ id: 'c1-a2', role: 'assistant', parentId: 'c1-u1', status: 'streaming' })],
      activeLeafId: 'c1-a2',
    });
    expect(store.getState().conversations.c1?.activeLeafId).toBe('c1-a2');
  });

  it('keeps the list newest first and up to date with every snapshot', () => {
    const store = createAppStore({ transport: 'ipc' });
    // An event that arrives while the list is on its way is newer than the list.
    store.getState().conversationReceived(exchangeFixture('c3', 'Newest', 'x', '2025-01-03T00:00:00.000Z'));
    store.getState().chatListReceived([
      { id: 'c1', title: 'Old', updatedAt: '2025-01-01T00:00:00.000Z', messageCount: 2 },
      { id: 'c2', title: 'Middle', updatedAt: '2025-01-02T00:00:00.000Z', messageCount: 2 },
    ]);
    const titles = (): string[] => {
      const list = store.getState().chatList;
      return list.status === 'ready' ? list.value.map((s) => s.title) : [];
    };
    expect(titles()).toEqual(['Newest', 'Middle', 'Old']);
    store.getState().conversationReceived({ ...exchangeFixture('c1', 'Old, renamed', 'x'), updatedAt: '2025-01-04T00:00:00.000Z' });
    expect(titles()).toEqual(['Old, renamed', 'Newest', 'Middle']);
  });

  it('forgets a deleted conversation and does not let a late snapshot bring it back', () => {
    const store = createAppStore({ transport: 'ipc' });
    store.getState().chatListReceived([]);
    store.getState().conversationReceived(streaming('partial'));
    store.getState().conversationOpened('c1');
    store.getState().conversationDeleted('c1');
    expect(store.getState().activeConversationId).toBeNull();
    store.getState().conversationReceived(streaming('partial'));
    store.getState().messageDeltaReceived({ conversationId: 'c1', messageId: 'a1', text: 'more' });
    expect(store.getState().conversations.c1).toBeUndefined();
    expect(store.getState().pendingDeltas).toEqual({});
    expect(store.getState().chatList).toEqual({ status: 'ready', value: [] });
  });
});

describe('mergeStreamingText', () => {
  it('prefers the longer of two texts that agree, and joins overlapping ones', () => {
    expect(mergeStreamingText('abc', 'ab')).toBe('abc');
    expect(mergeStreamingText('ab', 'abcd')).toBe('abcd');
    // Deltas that began while main had already written "Hello wor".
    expect(mergeStreamingText('Hello wor', 'world!')).toBe('Hello world!');
    expect(mergeStreamingText('Hello', ' there')).toBe('Hello there');
  });
});
