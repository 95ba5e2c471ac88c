// The conversation open in the chat view, once this window has a snapshot of it.
import type { Conversation } from '../../../../../common/chat/chatSchema';
import { useAppStore } from '../../../app/store/useAppStore';

export function useActiveConversation(): Conversation | undefined {
  return useAppStore((state) => (state.activeConversationId === null ? undefined : state.conversations[state.activeConversationId]));
}
