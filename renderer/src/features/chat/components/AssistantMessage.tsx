// One answer: its status (writing, stopped, interrupted, failed), the Markdown text, notices from
// main (e.g. history trimmed), the metrics line, its versions, Copy, and Regenerate on the last one;
// for a routed answer also its route, the router's reason and the intent/route controls.
import type { ChatMessage, Conversation, MessageStatus } from '../../../../../common/chat/chatSchema';
import type { ChatActions } from '../hooks/useChatActions';
import { formatAnswerMetrics } from '../utils/formatAnswerMetrics';
import { BranchNav } from './BranchNav';
import { CopyButton } from './CopyButton';
import { MarkdownMessage } from './MarkdownMessage';
import { RouteBadge, RouteControls, RouteReason } from './RouteInfo';

export interface AssistantMessageProps {
  readonly conversation: Conversation;
  readonly message: ChatMessage;
  /** The last message of the visible branch: the one Regenerate applies to. */
  readonly last: boolean;
  /** An answer is being written in this conversation. */
  readonly busy: boolean;
  readonly blockReason: string | null;
  readonly actions: ChatActions;
}

const BADGES: Readonly<Record<Exclude<MessageStatus, 'complete'>, string>> = {
  streaming: 'Writing',
  stopped: 'Stopped',
  incomplete: 'Interrupted: the app stopped before this answer finished',
  error: 'Failed',
};

function StatusBadge({ status }: { readonly status: MessageStatus }) {
  if (status === 'complete') return null;
  return (
    <span className={`chat-badge chat-badge-${status}`} data-testid="chat-status">
      {BADGES[status]}
      {status === 'streaming' ? (
        <span className="chat-dots" aria-hidden="true">
          <span />
          <span />
          <span />
        </span>
      ) : null}
    </span>
  );
}

export function AssistantMessage({ conversation, message, last, busy, blockReason, actions }: AssistantMessageProps) {
  const streaming = message.status === 'streaming';
  const { route } = message;
  const refused = route?.kind === 'refuse';
  return (
    <li
      className="chat-message chat-message-assistant"
      data-testid="chat-message-assistant"
      data-status={message.status}
      data-route={route?.kind}
      aria-busy={streaming}
    >
      <div className="chat-message-header">
        <span className="chat-role">CodeSage</span>
        {route === null ? null : <RouteBadge route={route} />}
        <StatusBadge status={message.status} />
        <BranchNav
          conversation={conversation}
          message={message}
          disabled={busy}
          onSelect={(id) => {
            void actions.selectBranch(id);
          }}
        />
      </div>
      {message.content === '' ? (
        streaming ? (
          <p className="chat-placeholder">Thinking…</p>
        ) : message.status === 'error' ? null : (
          <p className="chat-placeholder">No text was generated.</p>
        )
      ) : refused ? (
        <p className="chat-refusal" data-testid="chat-refusal">
          CodeSage did not send this message to a model. If this was a real question, choose a route under “Answer again with” or correct
          its intent.
        </p>
      ) : (
        <MarkdownMessage content={message.content} />
      )}
      {route === null ? null : <RouteReason route={route} />}
      {message.status === 'error' ? (
        <div className="chat-answer-error" data-testid="chat-error-detail">
          {message.error ?? 'The answer could not be generated.'} Regenerate to try again.
        </div>
      ) : null}
      {message.notices.map((notice) => (
        <p key={notice} className="chat-notice" data-testid="chat-notice">
          {notice}
        </p>
      ))}
      {message.metrics === null ? null : (
        <p className="chat-metrics" data-testid="chat-metrics">
          {formatAnswerMetrics(message.metrics)}
        </p>
      )}
      {streaming || route === null ? null : (
        <RouteControls message={{ ...message, route }} last={last} disabled={busy || blockReason !== null} actions={actions} />
      )}
      {streaming ? null : (
        <div className="chat-message-actions">
          {message.content === '' || refused ? null : <CopyButton text={message.content} label="Copy answer" testId="chat-copy-answer" />}
          {last ? (
            <button
              type="button"
              className="button button-small button-quiet"
              data-testid="chat-regenerate"
              disabled={busy || blockReason !== null}
              title={blockReason ?? 'Write a new answer to the same message; this one stays available.'}
              onClick={() => {
                void actions.regenerate(message.id);
              }}
            >
              Regenerate
            </button>
          ) : null}
        </div>
      )}
    </li>
  );
}
