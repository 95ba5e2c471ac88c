// Review: line-anchored comments on a patch. The reviewer is not in this build yet.
import { EmptyState } from '../../../components/EmptyState';
import { Icon } from '../../../components/Icon';
import { ViewFrame } from '../../../components/ViewFrame';

export function ReviewView() {
  return (
    <ViewFrame testId="view-review" title="Review" lead="Review a change before you commit it.">
      <EmptyState
        title="No reviews yet"
        icon={<Icon paths={['M9 11l3 3L22 4', 'M21 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11']} />}
      >
        <p>
          Code review arrives with the local reviewer. You&apos;ll be able to drop a patch or diff here and get review comments anchored to
          the lines they are about.
        </p>
      </EmptyState>
    </ViewFrame>
  );
}
