// The versions of a message: itself and the other messages with the same parent and role (edits of a
// user message, regenerated answers), oldest first, as the branch switcher counts them.
import type { ChatMessage, Conversation } from '../../../../../common/chat/chatSchema';

export interface MessageSiblings {
  /** 0-based position of the message among its versions. */
  readonly index: number;
  readonly count: number;
  readonly previous: ChatMessage | undefined;
  readonly next: ChatMessage | undefined;
}

export function messageSiblings(conversation: Pick<Conversation, 'messages'>, message: ChatMessage): MessageSiblings {
  const versions = conversation.messages.filter((m) => m.parentId === message.parentId && m.role === message.role);
  const index = Math.max(
    0,
    versions.findIndex((m) => m.id === message.id),
  );
  return { index, count: versions.length, previous: versions[index - 1], next: versions[index + 1] };
}
