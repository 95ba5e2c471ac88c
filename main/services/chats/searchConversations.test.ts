// Search over conversations: which ones match, in what order, and what the hit shows.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATION_PARAMS } from '../../../common/chat/chatSchema';
import type { Conversation } from '../../../common/chat/chatSchema';
import { searchConversations } from './searchConversations';

function conversation(id: string, title: string, contents: readonly string[], updatedAt = '2025-01-01T00:00:00.000Z'): Conversation {
  const messages = contents.map((content, index) => ({
    id: `${id}-m${String(index)}`,
    parentId: index === 0 ? null : `${id}-m${String(index - 1)}`,
    role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
    content,
    createdAt: updatedAt,
    status: 'complete' as const,
    metrics: null,
    notices: [],
    error: null,
    route: null,
    intentCorrection: null,
  }));
  return {
    id,
    title,
    createdAt: updatedAt,
    updatedAt,
    systemPrompt: '',
    params: DEFAULT_GENERATION_PARAMS,
    messages,
    activeLeafId: messages.at(-1)?.id ?? null,
  };
}

const ids = (hits: { conversationId: string }[]) => hits.map((hit) => hit.conversationId);

describe('searchConversations', () => {
  it('returns nothing for an empty or blank query', () => {
    const all = [conversation('a', 'Anything', ['text'])];
    expect(searchConversations(all, '')).toEqual([]);
    expect(searchConversations(all, '  \n ')).toEqual([]);
  });

  it('matches case-insensitively and needs every word somewhere in the conversation', () => {
    const all = [
      conversation('both-spread', 'Rust lifetimes', ['How do I fix this BORROW error?']),
      conversation('one-word', 'Chat', ['borrow checker']),
      conversation('none', 'Chat', ['nothing relevant']),
    ];
    expect(ids(searchConversations(all, 'borrow LIFETIMES'))).toEqual(['both-spread']);
    expect(ids(searchConversations(all, 'Borrow')).sort()).toEqual(['both-spread', 'one-word']);
    expect(searchConversations(all, 'regex(chars[')).toEqual([]);
  });

  it('ranks all words in one message above words spread over messages, and a phrase above scattered words', () => {
    const newest = '2025-03-01T00:00:00.000Z';
    const all = [
      conversation('spread', 'Chat', ['the async part', 'the iterator part'], newest),
      conversation('scattered', 'Chat', [`async ${'filler text '.repeat(30)} iterator`]),
      conversation('phrase', 'Chat', ['write an async iterator for me']),
    ];
    expect(ids(searchConversations(all, 'async iterator'))).toEqual(['phrase', 'scattered', 'spread']);
  });

  it('puts the newer conversation first when matches are equally good', () => {
    const all = [
      conversation('old', 'Chat', ['docker compose file'], '2025-01-01T00:00:00.000Z'),
      conversation('new', 'Chat', ['docker compose file'], '2025-02-01T00:00:00.000Z'),
    ];
    expect(ids(searchConversations(all, 'docker'))).toEqual(['new', 'old']);
  });

  it('points at the best message, or at the title (messageId null) when the title matches', () => {
    const all = [
      conversation('c', 'Kubernetes notes', ['what is a pod', 'A pod groups containers; a kubernetes pod shares a network namespace.']),
      conversation('t', 'Pod sizing in Kubernetes', ['unrelated']),
    ];
    const hits = searchConversations(all, 'kubernetes pod');
    const byId = new Map(hits.map((hit) => [hit.conversationId, hit]));
    expect(byId.get('c')?.messageId).toBe('c-m1');
    expect(byId.get('t')).toMatchObject({ messageId: null, snippet: 'Pod sizing in Kubernetes', title: 'Pod sizing in Kubernetes' });
  });

  it('shows about 120 characters on one line around the first match', () => {
    const before = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n'.repeat(5);
    const after = ' Sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.'.repeat(5);
    const [hit] = searchConversations(
      [conversation('s', 'Chat', [`${before}The flux capacitor needs 1.21 gigawatts.${after}`])],
      'CAPACITOR',
    );
    const snippet = hit?.snippet ?? '';
    expect(snippet).toMatch(/^….*flux capacitor needs 1\.21 gigawatts.*…$/u);
    expect(snippet).not.toContain('\n');
    expect(snippet.length).toBeGreaterThan(80);
    expect(snippet.length).toBeLessThanOrEqual(122);
    expect(snippet.indexOf('capacitor')).toBeLessThan(40);
  });
});
