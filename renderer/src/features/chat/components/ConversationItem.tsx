// One conversation in the list. The open one also offers Rename (inline), Export (Markdown or
// JSON) and Delete, which asks for confirmation first.
import { useId, useState } from 'react';
import type { KeyboardEvent, SubmitEvent } from 'react';
import type { ConversationSummary } from '../../../../../common/chat/chatSchema';
import type { ChatActions } from '../hooks/useChatActions';
import { formatChatTime } from '../utils/formatChatTime';

export interface ConversationItemProps {
  readonly summary: ConversationSummary;
  readonly active: boolean;
  readonly actions: ChatActions;
}

type Mode = { readonly kind: 'view' } | { readonly kind: 'rename'; readonly title: string } | { readonly kind: 'confirm-delete' };

export function ConversationItem({ summary, active, actions }: ConversationItemProps) {
  const [mode, setMode] = useState<Mode>({ kind: 'view' });
  const [busy, setBusy] = useState(false);
  const id = useId();

  const rename = async (title: string): Promise<void> => {
    if (title.trim() === '' || title.trim() === summary.title) {
      setMode({ kind: 'view' });
      return;
    }
    setBusy(true);
    const renamed = await actions.rename(summary.id, title.trim());
    setBusy(false);
    if (renamed) setMode({ kind: 'view' });
  };

  const remove = async (): Promise<void> => {
    setBusy(true);
    const removed = await actions.remove(summary.id);
    setBusy(false);
    if (!removed) setMode({ kind: 'view' });
  };

  const handleRenameSubmit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (mode.kind === 'rename') void rename(mode.title);
  };

  const handleRenameKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      setMode({ kind: 'view' });
    }
  };

  const messages = `${String(summary.messageCount)} ${summary.messageCount === 1 ? 'message' : 'messages'}`;

  return (
    <li className={active ? 'conversation-item conversation-item-active' : 'conversation-item'} data-testid="chat-conversation-item">
      {mode.kind === 'rename' ? (
        <form className="conversation-rename" onSubmit={handleRenameSubmit}>
          <label htmlFor={`${id}-title`} className="visually-hidden">
            Chat title
          </label>
          <input
            id={`${id}-title`}
            className="input"
            data-testid="chat-rename-input"
            value={mode.title}
            maxLength={200}
            autoFocus
            onChange={(event) => {
              setMode({ kind: 'rename', title: event.target.value });
            }}
            onKeyDown={handleRenameKeyDown}
          />
          <div className="conversation-actions">
            <button type="submit" className="button button-small button-primary" data-testid="chat-rename-save" disabled={busy}>
              Save
            </button>
            <button
              type="button"
              className="button button-small"
              onClick={() => {
                setMode({ kind: 'view' });
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <button
          type="button"
          className="conversation-open"
          data-testid="chat-conversation-open"
          aria-current={active ? 'true' : undefined}
          onClick={() => {
            void actions.open(summary.id);
          }}
        >
          <span className="conversation-title">{summary.title}</span>
          <span className="conversation-meta">
            {formatChatTime(summary.updatedAt)} · {messages}
          </span>
        </button>
      )}
      {active && mode.kind === 'view' ? (
        <div className="conversation-actions" role="group" aria-label={`Actions for ${summary.title}`}>
          <button
            type="button"
            className="button button-small button-quiet"
            data-testid="chat-rename"
            onClick={() => {
              setMode({ kind: 'rename', title: summary.title });
            }}
          >
            Rename
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            data-testid="chat-export-markdown"
            aria-label="Export as Markdown"
            title="Export as Markdown"
            onClick={() => {
              void actions.exportConversation(summary.id, 'markdown');
            }}
          >
            .md
          </button>
          <button
            type="button"
            className="button button-small button-quiet"
            data-testid="chat-export-json"
            aria-label="Export as JSON"
            title="Export as JSON"
            onClick={() => {
              void actions.exportConversation(summary.id, 'json');
            }}
          >
            .json
          </button>
          <button
            type="button"
            className="button button-small button-quiet button-danger-quiet"
            data-testid="chat-delete"
            onClick={() => {
              setMode({ kind: 'confirm-delete' });
            }}
          >
            Delete
          </button>
        </div>
      ) : null}
      {mode.kind === 'confirm-delete' ? (
        <div className="conversation-confirm" role="group" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>Delete “{summary.title}”? This cannot be undone.</p>
          <div className="conversation-actions">
            <button
              type="button"
              className="button button-small button-danger"
              data-testid="chat-delete-confirm"
              disabled={busy}
              onClick={() => {
                void remove();
              }}
            >
              Delete
            </button>
            <button
              type="button"
              className="button button-small"
              data-testid="chat-delete-cancel"
              autoFocus
              onClick={() => {
                setMode({ kind: 'view' });
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}
    </li>
  );
}
