// Full-text search over conversation titles and messages for the chat sidebar. Every word of the
// query must occur somewhere in a conversation (its title or any message, on any branch); matches
// are ranked by plain, explainable tiers rather than a tuned score, so a user can predict them:
// more words in one message, then words closer together, then a title match, then more
// occurrences, then the newer conversation.
import type { Conversation, SearchHit } from '../../../common/chat/chatSchema';

const SNIPPET_LENGTH = 120;
/** How much text before the first match the snippet shows. */
const SNIPPET_LEAD = 30;
/** Beyond this, extra query words add nothing but cost. */
const MAX_QUERY_WORDS = 16;
/** Enough to rank by; stops a pathological message from dominating the time spent. */
const MAX_OCCURRENCES_PER_WORD = 200;

interface TextMatch {
  readonly messageId: string | null;
  readonly text: string;
  /** Which query words occur (by index). */
  readonly words: ReadonlySet<number>;
  readonly occurrences: number;
  /** The shortest stretch holding one occurrence of each word found in this text. */
  readonly window: { readonly start: number; readonly end: number };
  /** Characters in the window not taken by the words themselves: 0 for a phrase. */
  readonly gap: number;
}

interface RankedHit {
  readonly hit: SearchHit;
  readonly tiers: readonly number[];
}

export function searchConversations(conversations: Iterable<Conversation>, query: string): SearchHit[] {
  const words = [
    ...new Set(
      query
        .toLowerCase()
        .split(/\s+/u)
        .filter((word) => word !== ''),
    ),
  ].slice(0, MAX_QUERY_WORDS);
  if (words.length === 0) return [];
  const patterns = words.map((word) => new RegExp(escapeRegExp(word), 'giu'));
  const ranked: RankedHit[] = [];
  for (const conversation of conversations) {
    const result = rankConversation(conversation, words, patterns);
    if (result !== undefined) ranked.push(result);
  }
  ranked.sort((a, b) => compareTiers(b.tiers, a.tiers) || b.hit.updatedAt.localeCompare(a.hit.updatedAt));
  return ranked.map((entry) => entry.hit);
}

function rankConversation(conversation: Conversation, words: readonly string[], patterns: readonly RegExp[]): RankedHit | undefined {
  const found = new Set<number>();
  let occurrences = 0;
  let best: TextMatch | undefined;
  const texts = [
    { messageId: null, text: conversation.title },
    ...conversation.messages.map((m) => ({ messageId: m.id, text: m.content })),
  ];
  for (const { messageId, text } of texts) {
    const match = matchText(messageId, text, words, patterns);
    if (match === undefined) continue;
    for (const word of match.words) found.add(word);
    occurrences += match.occurrences;
    if (best === undefined || isBetter(match, best)) best = match;
  }
  if (best === undefined || found.size < words.length) return undefined;
  const titleHasAll = best.messageId === null && best.words.size === words.length;
  return {
    hit: {
      conversationId: conversation.id,
      title: conversation.title,
      messageId: best.messageId,
      snippet: snippetAround(best.text, best.window.start),
      updatedAt: conversation.updatedAt,
    },
    tiers: [best.words.size, closeness(best), titleHasAll ? 1 : 0, Math.floor(Math.log2(1 + occurrences))],
  };
}

/** Ties go to the earlier text: the title, then older messages. */
function isBetter(candidate: TextMatch, current: TextMatch): boolean {
  if (candidate.words.size !== current.words.size) return candidate.words.size > current.words.size;
  if (closeness(candidate) !== closeness(current)) return closeness(candidate) > closeness(current);
  return candidate.occurrences > current.occurrences;
}

/** 3: a phrase; 2: within a sentence or so; 1: within a paragraph; 0: far apart. */
function closeness(match: TextMatch): number {
  if (match.words.size < 2 || match.gap <= 1) return 3;
  if (match.gap <= 30) return 2;
  if (match.gap <= 200) return 1;
  return 0;
}

function matchText(messageId: string | null, text: string, words: readonly string[], patterns: readonly RegExp[]): TextMatch | undefined {
  const hits: { start: number; end: number; word: number }[] = [];
  patterns.forEach((pattern, word) => {
    let count = 0;
    for (const match of text.matchAll(pattern)) {
      hits.push({ start: match.index, end: match.index + match[0].length, word });
      if (++count >= MAX_OCCURRENCES_PER_WORD) break;
    }
  });
  if (hits.length === 0) return undefined;
  hits.sort((a, b) => a.start - b.start);
  const present = new Set(hits.map((hit) => hit.word));
  const window = shortestWindow(hits, present.size);
  const wordLengths = [...present].reduce((sum, word) => sum + (words[word]?.length ?? 0), 0);
  return { messageId, text, words: present, occurrences: hits.length, window, gap: Math.max(0, window.end - window.start - wordLengths) };
}

/** Classic sliding window over the sorted hits until every present word is inside. */
function shortestWindow(hits: readonly { start: number; end: number; word: number }[], distinct: number): { start: number; end: number } {
  const counts = new Map<number, number>();
  let best = { start: 0, end: Number.POSITIVE_INFINITY };
  let left = 0;
  for (const hit of hits) {
    counts.set(hit.word, (counts.get(hit.word) ?? 0) + 1);
    while (counts.size === distinct) {
      const first = hits[left];
      if (first === undefined) break;
      if (hit.end - first.start < best.end - best.start) best = { start: first.start, end: hit.end };
      const remaining = (counts.get(first.word) ?? 1) - 1;
      if (remaining === 0) counts.delete(first.word);
      else counts.set(first.word, remaining);
      left++;
    }
  }
  return best;
}

/** About SNIPPET_LENGTH characters on one line, starting a little before `index`, cut at word boundaries. */
function snippetAround(text: string, index: number): string {
  let start = Math.max(0, index - SNIPPET_LEAD);
  if (start > 0) {
    // Start at a word boundary when there is one close by, so the snippet does not open mid-word.
    const space = text.slice(start, index).search(/\s/u);
    if (space !== -1) start += space + 1;
  }
  let end = Math.min(text.length, start + SNIPPET_LENGTH);
  if (end < text.length) {
    const lastSpace = text.slice(start, end).search(/\s\S*$/u);
    if (lastSpace > SNIPPET_LENGTH / 2) end = start + lastSpace;
  }
  start = avoidSplitSurrogate(text, start);
  end = avoidSplitSurrogate(text, end);
  const body = text.slice(start, end).replace(/\s+/gu, ' ').trim();
  return `${start > 0 ? '…' : ''}${body}${end < text.length ? '…' : ''}`;
}

/** Moves a cut that would fall between the halves of a surrogate pair (an emoji) past it. */
function avoidSplitSurrogate(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 0xdc00 && code <= 0xdfff ? index + 1 : index;
}

function compareTiers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}
