// Why the user cannot ask for an answer right now (no model ready), in words the composer shows;
// null when a model is ready.
import type { InstalledModel, LlmState } from '../../../../../common/llm/llmSchema';
import type { Loadable } from '../../../lib/async/Loadable';

export function generationBlockReason(llm: Loadable<LlmState>, models: Loadable<readonly InstalledModel[]>): string | null {
  if (llm.status === 'loading') return 'Checking whether a model is loaded…';
  if (llm.status === 'failed') return `CodeSage could not tell whether a model is loaded: ${llm.error.message}`;
  switch (llm.value.status) {
    case 'ready':
      return null;
    case 'loading':
      return 'The model is still loading. You can type once it is ready.';
    case 'failed':
      return 'The model failed to load. Pick a model above and press Load to try again.';
    case 'idle':
      return models.status === 'ready' && models.value.length === 0
        ? 'No model is installed yet. Add a GGUF model to start chatting.'
        : 'No model is loaded. Pick a model above and press Load to start chatting.';
  }
}
