// "‹ 2/3 ›": switches between the versions of a message (edits, regenerated answers). Hidden when
// there is only one version.
import type { ChatMessage, Conversation } from '../../../../../common/chat/chatSchema';
import { messageSiblings } from '../utils/messageSiblings';

export interface BranchNavProps {
  readonly conversation: Conversation;
  readonly message: ChatMessage;
  /** While an answer is being written main refuses to switch. */
  readonly disabled: boolean;
  readonly onSelect: (messageId: string) => void;
}

export function BranchNav({ conversation, message, disabled, onSelect }: BranchNavProps) {
  const { index, count, previous, next } = messageSiblings(conversation, message);
  if (count < 2) return null;
  const what = message.role === 'user' ? 'message' : 'answer';
  return (
    <div className="branch-nav" role="group" aria-label={`Versions of this ${what}`}>
      <button
        type="button"
        className="branch-button"
        data-testid="branch-prev"
        aria-label={`Previous version of this ${what}`}
        disabled={disabled || previous === undefined}
        onClick={() => {
          if (previous !== undefined) onSelect(previous.id);
        }}
      >
        ‹
      </button>
      <span className="branch-position" data-testid="branch-position" aria-label={`Version ${String(index + 1)} of ${String(count)}`}>
        {index + 1}/{count}
      </span>
      <button
        type="button"
        className="branch-button"
        data-testid="branch-next"
        aria-label={`Next version of this ${what}`}
        disabled={disabled || next === undefined}
        onClick={() => {
          if (next !== undefined) onSelect(next.id);
        }}
      >
        ›
      </button>
    </div>
  );
}
