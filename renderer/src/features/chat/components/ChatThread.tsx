// The open conversation's visible branch, oldest first, kept scrolled to the newest text while an
// answer streams (unless the user scrolled up). A polite live region says when an answer finishes,
// so screen readers are not flooded with every token.
import { useMemo } from 'react';
import { activeBranch } from '../../../../../common/chat/chatSchema';
import type { ChatMessage } from '../../../../../common/chat/chatSchema';
import { useAppStore } from '../../../app/store/useAppStore';
import { useActiveConversation } from '../hooks/useActiveConversation';
import { useAutoScroll } from '../hooks/useAutoScroll';
import type { ChatActions } from '../hooks/useChatActions';
import { AssistantMessage } from './AssistantMessage';
import { UserMessage } from './UserMessage';

export interface ChatThreadProps {
  readonly blockReason: string | null;
  readonly actions: ChatActions;
}

function announcementFor(message: ChatMessage | undefined): string {
  if (message?.role !== 'assistant') return '';
  switch (message.status) {
    case 'streaming':
      return 'Writing an answer…';
    case 'complete':
      return 'Answer complete.';
    case 'stopped':
      return 'Answer stopped.';
    case 'incomplete':
      return 'Answer interrupted.';
    case 'error':
      return `The answer failed: ${message.error ?? 'unknown error'}`;
  }
}

export function ChatThread({ blockReason, actions }: ChatThreadProps) {
  const activeId = useAppStore((state) => state.activeConversationId);
  const conversation = useActiveConversation();
  const branch = useMemo(() => (conversation === undefined ? [] : activeBranch(conversation)), [conversation]);
  const busy = conversation?.messages.some((m) => m.status === 'streaming') ?? false;
  const last = branch.at(-1);

  const { ref: scrollerRef, onScroll } = useAutoScroll<HTMLDivElement>(
    activeId ?? '',
    `${String(branch.length)}:${String(last?.content.length)}:${last?.status ?? ''}`,
  );

  let body;
  if (activeId === null) {
    body = (
      <div className="chat-welcome">
        <h2 className="chat-welcome-title">Start a conversation</h2>
        <p className="muted">
          Ask about code, paste an error or a snippet. Answers are written by the model running on this machine, and the conversation is
          kept here.
        </p>
      </div>
    );
  } else if (conversation === undefined) {
    body = <p className="chat-welcome muted">Loading the conversation…</p>;
  } else if (branch.length === 0) {
    body = <p className="chat-welcome muted">No messages yet. Type below to start.</p>;
  } else {
    body = (
      <ol className="chat-messages">
        {branch.map((message) =>
          message.role === 'user' ? (
            <UserMessage
              key={message.id}
              conversation={conversation}
              message={message}
              busy={busy}
              blockReason={blockReason}
              actions={actions}
            />
          ) : (
            <AssistantMessage
              key={message.id}
              conversation={conversation}
              message={message}
              last={message === last}
              busy={busy}
              blockReason={blockReason}
              actions={actions}
            />
          ),
        )}
      </ol>
    );
  }

  return (
    <section className="chat-thread" aria-label={conversation === undefined ? 'Conversation' : `Conversation: ${conversation.title}`}>
      <div className="chat-thread-scroller" ref={scrollerRef} onScroll={onScroll} tabIndex={0}>
        {body}
      </div>
      {/* Keyed by conversation: a fresh region is not announced, so opening a chat stays quiet. */}
      <p key={activeId ?? 'none'} className="visually-hidden" aria-live="polite" data-testid="chat-announcement">
        {announcementFor(last)}
      </p>
    </section>
  );
}
