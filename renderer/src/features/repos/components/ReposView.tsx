// Repos: repositories opened in CodeSage and their retrieval indexes. Indexing is not in this build yet.
import { EmptyState } from '../../../components/EmptyState';
import { Icon } from '../../../components/Icon';
import { ViewFrame } from '../../../components/ViewFrame';

export function ReposView() {
  return (
    <ViewFrame testId="view-repos" title="Repos" lead="Repositories you open, indexed locally so answers can cite your code.">
      <EmptyState
        title="No repositories yet"
        icon={<Icon paths={['M22 19a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h5l2 3h9a2 2 0 0 1 2 2z']} />}
      >
        <p>
          Opening a repository and indexing it for retrieval arrives with the local indexer. Repositories you open will be listed here with
          their indexing progress, and chat and review will search them for relevant code.
        </p>
        <p>Indexes are built and stored on this machine.</p>
      </EmptyState>
    </ViewFrame>
  );
}
