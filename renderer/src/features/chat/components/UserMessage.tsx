// One of the user's messages: plain text (whitespace kept), its versions, and Edit, which opens an
// inline box; "Save & resend" adds the edited message beside the old one and asks for a new answer.
import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { ChatMessage, Conversation } from '../../../../../common/chat/chatSchema';
import type { ChatActions } from '../hooks/useChatActions';
import { BranchNav } from './BranchNav';

export interface UserMessageProps {
  readonly conversation: Conversation;
  readonly message: ChatMessage;
  /** An answer is being written in this conversation. */
  readonly busy: boolean;
  /** Why a new answer cannot be asked for now; null when it can. */
  readonly blockReason: string | null;
  readonly actions: ChatActions;
}

export function UserMessage({ conversation, message, busy, blockReason, actions }: UserMessageProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const editId = useId();
  const editing = draft !== null;
  const canSave = editing && draft.trim() !== '' && !saving && !busy && blockReason === null;

  const save = async (): Promise<void> => {
    if (!canSave) return;
    setSaving(true);
    const sent = await actions.edit(message.id, draft);
    setSaving(false);
    if (sent) setDraft(null);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault();
      setDraft(null);
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void save();
    }
  };

  return (
    <li className="chat-message chat-message-user" data-testid="chat-message-user" data-status={message.status}>
      <div className="chat-message-header">
        <span className="chat-role">You</span>
        <BranchNav
          conversation={conversation}
          message={message}
          disabled={busy}
          onSelect={(id) => {
            void actions.selectBranch(id);
          }}
        />
      </div>
      {editing ? (
        <div className="chat-edit">
          <label htmlFor={editId} className="visually-hidden">
            Edit your message
          </label>
          <textarea
            id={editId}
            className="chat-edit-input"
            data-testid="chat-edit-input"
            value={draft}
            rows={Math.min(12, Math.max(3, draft.split('\n').length))}
            aria-describedby={`${editId}-hint`}
            autoFocus
            onChange={(event) => {
              setDraft(event.target.value);
            }}
            onKeyDown={handleKeyDown}
          />
          <div className="chat-edit-actions">
            <p id={`${editId}-hint`} className="field-hint">
              {blockReason ??
                'The edited message is sent as a new version; the current one stays available. Ctrl+Enter saves, Esc cancels.'}
            </p>
            <button
              type="button"
              className="button button-primary button-small"
              data-testid="chat-edit-save"
              disabled={!canSave}
              onClick={() => {
                void save();
              }}
            >
              {saving ? 'Sending…' : 'Save & resend'}
            </button>
            <button
              type="button"
              className="button button-small"
              data-testid="chat-edit-cancel"
              onClick={() => {
                setDraft(null);
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <>
          <p className="chat-user-text">{message.content}</p>
          <div className="chat-message-actions">
            <button
              type="button"
              className="button button-small button-quiet"
              data-testid="chat-edit"
              disabled={busy}
              onClick={() => {
                setDraft(message.content);
              }}
            >
              Edit
            </button>
          </div>
        </>
      )}
    </li>
  );
}
