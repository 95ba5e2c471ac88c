// Merges what main says about a conversation with what the renderer already shows. Snapshots
// (method answers and onConversationChanged events) and text deltas travel separately and may
// arrive in either order; over HTTP an answer can even arrive after a later event. So:
// - messages are merged by id and never dropped (main never removes a message from a conversation);
// - a finished message never goes back to streaming (that would be a snapshot from before it ended);
// - a streaming message keeps the longest text both sides agree on, so deltas already shown are not
//   lost to a snapshot taken before them, and text never repeats;
// - the conversation's own fields (title, settings, active branch) come from the newer side: the
//   later updatedAt, or the side with a message the other lacks.
// A finished message's text is main's final word: it replaces whatever was streamed.
import type { ChatMessage, Conversation, ConversationSummary, MessageDelta } from '../../../../../common/chat/chatSchema';

/** Combines a snapshot's text of a streaming answer with text received as deltas. */
export function mergeStreamingText(snapshot: string, received: string): string {
  if (snapshot.startsWith(received)) return snapshot;
  if (received.startsWith(snapshot)) return received;
  // Deltas that started before the snapshot was taken (e.g. an answer already under way when this
  // window opened): join at the longest overlap.
  for (let k = Math.min(snapshot.length, received.length); k > 0; k -= 1) {
    if (snapshot.endsWith(received.slice(0, k))) return snapshot + received.slice(k);
  }
  return snapshot + received;
}

export function mergeMessage(known: ChatMessage | undefined, incoming: ChatMessage): ChatMessage {
  if (known === undefined) return incoming;
  if (incoming.status !== 'streaming') return incoming;
  if (known.status !== 'streaming') return known;
  const content = mergeStreamingText(incoming.content, known.content);
  return content === incoming.content ? incoming : { ...incoming, content };
}

/**
 * The conversation to show after `incoming` arrived. `pending` holds text of deltas that came
 * before any snapshot of their message, by message id; the caller drops the ids this used.
 */
export function mergeConversation(
  known: Conversation | undefined,
  incoming: Conversation,
  pending: Readonly<Record<string, MessageDelta>> = {},
): Conversation {
  const knownById = new Map(known?.messages.map((m) => [m.id, m]));
  const incomingIds = new Set(incoming.messages.map((m) => m.id));
  const messages = incoming.messages.map((message) => {
    const merged = mergeMessage(knownById.get(message.id), message);
    const early = pending[message.id];
    if (early === undefined || merged.status !== 'streaming') return merged;
    return { ...merged, content: mergeStreamingText(merged.content, early.text) };
  });
  for (const message of known?.messages ?? []) {
    if (!incomingIds.has(message.id)) messages.push(message);
  }
  // A snapshot with a message this window has not seen is newer whatever the clocks say.
  const incomingIsNewer =
    known === undefined || incoming.updatedAt >= known.updatedAt || incoming.messages.some((m) => !knownById.has(m.id));
  return { ...(incomingIsNewer ? incoming : known), messages };
}

/**
 * The conversation with a delta appended to its streaming answer; the same object when the answer
 * has already finished (its final text includes the delta); undefined when the message is unknown.
 */
export function appendDelta(conversation: Conversation, delta: MessageDelta): Conversation | undefined {
  const index = conversation.messages.findIndex((m) => m.id === delta.messageId);
  const message = conversation.messages[index];
  if (message === undefined) return undefined;
  if (message.status !== 'streaming' || delta.text === '') return conversation;
  const messages = [...conversation.messages];
  messages[index] = { ...message, content: message.content + delta.text };
  return { ...conversation, messages };
}

export function toSummary(conversation: Conversation): ConversationSummary {
  return { id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt, messageCount: conversation.messages.length };
}

/** Newest first, as main lists them. */
export function sortSummaries(summaries: Iterable<ConversationSummary>): ConversationSummary[] {
  return [...summaries].sort((a, b) => (a.updatedAt === b.updatedAt ? a.id.localeCompare(b.id) : b.updatedAt.localeCompare(a.updatedAt)));
}
