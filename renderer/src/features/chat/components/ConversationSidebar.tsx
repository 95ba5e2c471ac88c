// The left column of the chat view: New chat, the search box, and the conversations, newest first.
import { useAppStore } from '../../../app/store/useAppStore';
import type { ChatActions } from '../hooks/useChatActions';
import { ChatSearch } from './ChatSearch';
import { ConversationItem } from './ConversationItem';

export interface ConversationSidebarProps {
  readonly actions: ChatActions;
}

export function ConversationSidebar({ actions }: ConversationSidebarProps) {
  const list = useAppStore((state) => state.chatList);
  const activeId = useAppStore((state) => state.activeConversationId);

  return (
    <nav className="chat-sidebar" aria-label="Chats">
      <button
        type="button"
        className="button button-primary chat-new"
        data-testid="chat-new"
        onClick={() => {
          void actions.newChat();
        }}
      >
        New chat
      </button>
      <ChatSearch activeId={activeId} actions={actions}>
        {list.status === 'loading' ? <p className="muted chat-list-note">Loading chats…</p> : null}
        {list.status === 'failed' ? (
          <p className="chat-list-note field-error" role="alert">
            Your chats could not be listed: {list.error.message}
          </p>
        ) : null}
        {list.status === 'ready' && list.value.length === 0 ? <p className="muted chat-list-note">No chats yet.</p> : null}
        {list.status === 'ready' && list.value.length > 0 ? (
          <ul className="conversation-list" aria-label="Conversations">
            {list.value.map((summary) => (
              <ConversationItem key={summary.id} summary={summary} active={summary.id === activeId} actions={actions} />
            ))}
          </ul>
        ) : null}
      </ChatSearch>
    </nav>
  );
}
