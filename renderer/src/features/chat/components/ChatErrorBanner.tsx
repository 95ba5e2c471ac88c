// The last chat action that failed: what was tried, main's message and error name, and Dismiss.
import { useAppStore } from '../../../app/store/useAppStore';

export function ChatErrorBanner() {
  const chatError = useAppStore((state) => state.chatError);
  const dismiss = useAppStore((state) => state.chatErrorChanged);
  if (chatError === null) return null;
  return (
    <div className="alert alert-error chat-error" role="alert" data-testid="chat-error">
      <p className="alert-title">{chatError.action}</p>
      <p>
        {chatError.error.message} <span className="alert-detail">({chatError.error.name})</span>
      </p>
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          dismiss(null);
        }}
      >
        Dismiss
      </button>
    </div>
  );
}
