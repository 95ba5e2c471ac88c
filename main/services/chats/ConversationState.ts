// A conversation as the store holds it in memory, with a message index for the per-token paths,
// and the one function that applies a journal record to it. Live changes and replay both go
// through applyChatRecord, so what is reopened is what was shown.
import type { ChatMessage, Conversation } from '../../../common/chat/chatSchema';
import type { ChatJournalBaseRecord, ChatJournalChangeRecord } from './chatJournalRecordSchema';

export interface ConversationState {
  readonly conversation: Conversation;
  /** The same message objects as `conversation.messages`, by id. */
  readonly messages: Map<string, ChatMessage>;
}

export function conversationStateFromBase(record: ChatJournalBaseRecord): ConversationState {
  const conversation: Conversation =
    record.type === 'snapshot'
      ? structuredClone(record.conversation)
      : {
          id: record.id,
          title: record.title,
          createdAt: record.createdAt,
          updatedAt: record.createdAt,
          systemPrompt: record.systemPrompt,
          params: { ...record.params },
          messages: [],
          activeLeafId: null,
        };
  return { conversation, messages: new Map(conversation.messages.map((message) => [message.id, message])) };
}

/** Applies one change; returns why it could not be applied (it is then left out), or null. */
export function applyChatRecord(state: ConversationState, record: ChatJournalChangeRecord): string | null {
  const { conversation } = state;
  switch (record.type) {
    case 'renamed':
      conversation.title = record.title;
      conversation.updatedAt = record.at;
      return null;
    case 'configured':
      if (record.systemPrompt !== undefined) conversation.systemPrompt = record.systemPrompt;
      if (record.params !== undefined) conversation.params = { ...record.params };
      conversation.updatedAt = record.at;
      return null;
    case 'messageAdded': {
      if (state.messages.has(record.message.id)) return `message ${record.message.id} was added twice`;
      const message = structuredClone(record.message);
      conversation.messages.push(message);
      state.messages.set(message.id, message);
      conversation.activeLeafId = message.id;
      conversation.updatedAt = record.at;
      return null;
    }
    case 'textAppended': {
      const message = state.messages.get(record.messageId);
      if (message === undefined) return `text was added to message ${record.messageId}, which does not exist`;
      message.content += record.text;
      return null;
    }
    case 'messageFinished': {
      const message = state.messages.get(record.messageId);
      if (message === undefined) return `message ${record.messageId} was finished but does not exist`;
      if (record.content !== undefined) message.content = record.content;
      message.status = record.status;
      message.metrics = record.metrics === null ? null : { ...record.metrics };
      message.notices = [...record.notices];
      message.error = record.error;
      conversation.updatedAt = record.at;
      return null;
    }
    case 'intentCorrected': {
      const message = state.messages.get(record.messageId);
      if (message === undefined) return `the intent of message ${record.messageId} was corrected, but it does not exist`;
      message.intentCorrection = record.label;
      return null;
    }
    case 'activeLeafChanged':
      if (record.messageId !== null && !state.messages.has(record.messageId)) {
        return `the active message was set to ${record.messageId}, which does not exist`;
      }
      conversation.activeLeafId = record.messageId;
      return null;
  }
}
