// The models in the models folder: size and what their headers say, which one is the default for
// chat or embeddings, and delete (asks first).
import { useState } from 'react';
import type { InstalledModel } from '../../../../../common/llm/llmSchema';
import type { Settings } from '../../../../../common/settings/settingsSchema';
import { formatBytes } from '../../../../../common/format/formatBytes';

export interface InstalledModelsProps {
  readonly models: readonly InstalledModel[];
  readonly settings: Settings | null;
  readonly onSetDefault: (role: 'chat' | 'embedding', modelId: string | null) => void;
  readonly onDelete: (modelId: string) => void;
}

export function InstalledModels({ models, settings, onSetDefault, onDelete }: InstalledModelsProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (models.length === 0)
    return <p className="muted">No models installed yet: download one from the catalog below or import a GGUF file.</p>;
  const defaults = settings?.models;
  return (
    <ul className="installed-list">
      {models.map((model) => {
        const isChat = defaults?.defaultChatModelId === model.id;
        const isEmbedding = defaults?.defaultEmbeddingModelId === model.id;
        return (
          <li key={model.id} className="card installed-row" data-testid={`installed-model-${model.id}`}>
            <div className="download-head">
              <strong>{model.name}</strong>
              <span className="muted">
                {model.id} · {formatBytes(model.sizeBytes)}
                {model.architecture === null ? '' : ` · ${model.architecture}`}
                {model.contextLength === null ? '' : ` · ${model.contextLength.toLocaleString('en-US')}-token context`}
              </span>
              {isChat ? <span className="badge">Default for chat</span> : null}
              {isEmbedding ? <span className="badge">Default for embeddings</span> : null}
            </div>
            {model.problem !== null ? (
              <div className="alert alert-error">
                <p>{model.problem}</p>
              </div>
            ) : null}
            <div className="form-actions">
              {model.problem === null ? (
                <>
                  <button
                    type="button"
                    className="button button-small"
                    data-testid="installed-default-chat"
                    onClick={() => {
                      onSetDefault('chat', isChat ? null : model.id);
                    }}
                  >
                    {isChat ? 'Unset chat default' : 'Use for chat by default'}
                  </button>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => {
                      onSetDefault('embedding', isEmbedding ? null : model.id);
                    }}
                  >
                    {isEmbedding ? 'Unset embedding default' : 'Use for embeddings'}
                  </button>
                </>
              ) : null}
              {confirming === model.id ? (
                <>
                  <span>Delete {model.id} from disk?</span>
                  <button
                    type="button"
                    className="button button-small button-danger"
                    data-testid="installed-delete-confirm"
                    onClick={() => {
                      setConfirming(null);
                      onDelete(model.id);
                    }}
                  >
                    Delete
                  </button>
                  <button
                    type="button"
                    className="button button-small button-quiet"
                    onClick={() => {
                      setConfirming(null);
                    }}
                  >
                    Keep
                  </button>
                </>
              ) : (
                <button
                  type="button"
                  className="button button-small button-quiet"
                  data-testid="installed-delete"
                  onClick={() => {
                    setConfirming(model.id);
                  }}
                >
                  Delete…
                </button>
              )}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
