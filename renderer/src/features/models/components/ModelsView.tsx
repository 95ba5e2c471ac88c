// Models: the download manager for local models. Downloads are not in this build yet.
import { EmptyState } from '../../../components/EmptyState';
import { Icon } from '../../../components/Icon';
import { ViewFrame } from '../../../components/ViewFrame';

export function ModelsView() {
  return (
    <ViewFrame testId="view-models" title="Models" lead="The models CodeSage runs on this machine.">
      <EmptyState
        title="No models downloaded"
        icon={
          <Icon
            paths={[
              'M21 16V8a2 2 0 0 0-1-1.73l-7-4a2 2 0 0 0-2 0l-7 4A2 2 0 0 0 3 8v8a2 2 0 0 0 1 1.73l7 4a2 2 0 0 0 2 0l7-4A2 2 0 0 0 21 16z',
              'M3.27 6.96 12 12.01l8.73-5.05',
              'M12 22.08V12',
            ]}
          />
        }
      >
        <p>
          The model download manager arrives with the local LLM engine. You&apos;ll be able to pick GGUF models from the catalog, see their
          size and whether they fit your memory, and download, pause, resume and remove them here.
        </p>
      </EmptyState>
    </ViewFrame>
  );
}
