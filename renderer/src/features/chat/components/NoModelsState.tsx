// Shown instead of the model bar while no model is installed: where GGUF files go, and a way to the
// Models view.
import type { Loadable } from '../../../lib/async/Loadable';

export interface NoModelsStateProps {
  readonly folder: Loadable<string>;
  readonly onOpenModels: () => void;
  readonly onCheckAgain: () => void;
}

export function NoModelsState({ folder, onOpenModels, onCheckAgain }: NoModelsStateProps) {
  return (
    <section className="chat-no-models" data-testid="chat-empty-no-models" aria-labelledby="chat-no-models-title">
      <h2 id="chat-no-models-title" className="card-title">
        No models installed
      </h2>
      <p>
        CodeSage answers with a GGUF model running on this machine. Put a <code>.gguf</code> file in the models folder, then check again.
      </p>
      {folder.status === 'ready' ? (
        <p>
          <span className="muted">Models folder: </span>
          <code className="path" data-testid="chat-models-folder">
            {folder.value}
          </code>
        </p>
      ) : folder.status === 'failed' ? (
        <p className="muted">The models folder could not be found: {folder.error.message}</p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button button-primary" data-testid="chat-open-models" onClick={onOpenModels}>
          Open the Models view
        </button>
        <button type="button" className="button" data-testid="chat-check-models" onClick={onCheckAgain}>
          Check again
        </button>
      </div>
    </section>
  );
}
