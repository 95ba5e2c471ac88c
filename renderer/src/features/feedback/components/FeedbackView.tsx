// Feedback: the corrections the user gave, kept on this machine. Today these are intent corrections
// made on chat answers; each can be deleted. Nothing is uploaded: opt-in sync is a later feature.
import type { FeedbackEntry } from '../../../../../common/feedback/feedbackSchema';
import { EmptyState } from '../../../components/EmptyState';
import { Icon } from '../../../components/Icon';
import { ViewFrame } from '../../../components/ViewFrame';
import { INTENT_NAMES } from '../../chat/utils/routeNames';
import { useFeedback } from '../hooks/useFeedback';

const INBOX_ICON = [
  'M22 12h-6l-2 3h-4l-2-3H2',
  'M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z',
];

export function FeedbackView() {
  const feedback = useFeedback();
  const { entries, actionError } = feedback;
  return (
    <ViewFrame
      testId="view-feedback"
      title="Feedback"
      lead="Corrections you gave, kept on this machine. Nothing here is uploaded unless you give your consent."
    >
      {actionError === null ? null : (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">The feedback was not deleted.</p>
          <p className="alert-detail">{actionError.message}</p>
        </div>
      )}
      {entries.status === 'loading' ? <p className="muted">Loading feedback…</p> : null}
      {entries.status === 'failed' ? (
        <div className="alert alert-error" role="alert">
          <p className="alert-title">The feedback could not be read.</p>
          <p className="alert-detail">{entries.error.message}</p>
        </div>
      ) : null}
      {entries.status === 'ready' && entries.value.length === 0 ? (
        <EmptyState title="No feedback kept" icon={<Icon paths={INBOX_ICON} />}>
          <p>
            When the router gets a message&apos;s intent wrong, pick the right one under the answer in Chat: the correction is listed here,
            stored locally on this machine, and uploaded only if you give your consent. You can delete any of it at any time.
          </p>
        </EmptyState>
      ) : null}
      {entries.status === 'ready' && entries.value.length > 0 ? (
        <ul className="feedback-list" data-testid="feedback-list">
          {entries.value.map((entry) => (
            <FeedbackRow
              key={entry.id}
              entry={entry}
              onDelete={() => {
                void feedback.remove(entry.id);
              }}
            />
          ))}
        </ul>
      ) : null}
    </ViewFrame>
  );
}

function FeedbackRow({ entry, onDelete }: { readonly entry: FeedbackEntry; readonly onDelete: () => void }) {
  return (
    <li className="card feedback-row" data-testid="feedback-entry">
      <p className="feedback-text">{entry.text}</p>
      <p className="feedback-change" data-testid="feedback-change">
        Intent corrected: <span className="feedback-predicted">{INTENT_NAMES[entry.predicted]}</span> (
        {String(Math.round(entry.confidence * 100))}%) → <strong>{INTENT_NAMES[entry.corrected]}</strong>
      </p>
      <p className="muted feedback-meta">
        {new Date(entry.createdAt).toLocaleString()} · model {entry.modelVersion ?? 'none (routing was unavailable)'} · kept on this machine
      </p>
      <div className="form-actions">
        <button
          type="button"
          className="button button-small button-quiet button-danger-quiet"
          data-testid="feedback-delete"
          onClick={onDelete}
        >
          Delete
        </button>
      </div>
    </li>
  );
}
