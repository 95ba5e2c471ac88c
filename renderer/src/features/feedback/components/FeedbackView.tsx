// Feedback: ratings and corrections the user chose to keep. Not in this build yet.
import { EmptyState } from '../../../components/EmptyState';
import { Icon } from '../../../components/Icon';
import { ViewFrame } from '../../../components/ViewFrame';

export function FeedbackView() {
  return (
    <ViewFrame testId="view-feedback" title="Feedback" lead="Feedback you gave on answers and reviews.">
      <EmptyState
        title="No feedback kept"
        icon={
          <Icon
            paths={[
              'M22 12h-6l-2 3h-4l-2-3H2',
              'M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z',
            ]}
          />
        }
      >
        <p>
          Feedback arrives with chat and review. Feedback you choose to keep will be listed here, stored locally on this machine, and
          uploaded only if you give your consent. You&apos;ll be able to review and delete it at any time.
        </p>
      </EmptyState>
    </ViewFrame>
  );
}
