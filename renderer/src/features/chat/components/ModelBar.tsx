// The model above the chat: what is loaded (or loading, with progress and Cancel, or why it failed),
// a picker of the installed models (unreadable ones disabled, with the reason) and Load / Unload.
// With no model installed it explains where models go instead.
import { useId, useState } from 'react';
import type { InstalledModel, LlmState } from '../../../../../common/llm/llmSchema';
import { useAppStore } from '../../../app/store/useAppStore';
import { Icon } from '../../../components/Icon';
import { formatComputeBackend } from '../../../lib/compute/formatComputeBackend';
import { formatBytes } from '../../../../../common/format/formatBytes';
import type { ChatActions } from '../hooks/useChatActions';
import { NoModelsState } from './NoModelsState';

export interface ModelBarProps {
  readonly actions: ChatActions;
}

function modelIdOf(state: LlmState | null): string | null {
  if (state === null) return null;
  switch (state.status) {
    case 'idle':
      return null;
    case 'ready':
      return state.model.id;
    case 'loading':
    case 'failed':
      return state.modelId;
  }
}

function optionLabel(model: InstalledModel): string {
  return model.problem === null ? `${model.name} (${formatBytes(model.sizeBytes)})` : `${model.name}: ${model.problem}`;
}

function describeState(state: LlmState | null, models: readonly InstalledModel[], stateError: string | null): string {
  const nameOf = (id: string): string => models.find((m) => m.id === id)?.name ?? id;
  if (stateError !== null) return `Model state unavailable: ${stateError}`;
  if (state === null) return 'Checking the model…';
  switch (state.status) {
    case 'idle':
      return 'No model loaded';
    case 'loading':
      return `Loading ${nameOf(state.modelId)}…`;
    case 'ready':
      return `${state.model.name} · ${state.model.contextSize.toLocaleString('en-US')}-token context · ${formatComputeBackend(state.model.backend)}`;
    case 'failed':
      return `${nameOf(state.modelId)} failed to load: ${state.message}`;
  }
}

export function ModelBar({ actions }: ModelBarProps) {
  const installed = useAppStore((state) => state.installedModels);
  const folder = useAppStore((state) => state.modelsFolder);
  const llm = useAppStore((state) => state.llmState);
  const modelError = useAppStore((state) => state.modelError);
  const navigate = useAppStore((state) => state.navigate);
  const defaultChatModelId = useAppStore((state) =>
    state.settings.status === 'ready' ? state.settings.value.models.defaultChatModelId : null,
  );
  const pickerId = useId();
  // The user's pick; until they make one the picker shows the model main is working with.
  const [choice, setChoice] = useState<string | null>(null);

  const state = llm.status === 'ready' ? llm.value : null;
  const models = installed.status === 'ready' ? installed.value : [];
  const loadable = models.filter((m) => m.problem === null);
  const current = modelIdOf(state);
  const selected =
    [choice, current, defaultChatModelId, loadable[0]?.id].find(
      (id) => id !== null && id !== undefined && loadable.some((m) => m.id === id),
    ) ?? null;
  const loading = state?.status === 'loading';
  const ready = state?.status === 'ready';

  if (installed.status === 'ready' && models.length === 0 && !loading && !ready) {
    return (
      <NoModelsState
        folder={folder}
        onOpenModels={() => {
          navigate('models');
        }}
        onCheckAgain={() => {
          void actions.refreshModels();
        }}
      />
    );
  }

  const progress = state?.status === 'loading' ? state.progress : 0;
  const tone = state === null ? 'pending' : state.status;

  return (
    <section className="model-bar" aria-label="Model">
      <div className="model-bar-row">
        <label htmlFor={pickerId} className="model-bar-label">
          Model
        </label>
        <select
          id={pickerId}
          className="select model-picker"
          data-testid="model-picker"
          value={selected ?? ''}
          disabled={loading || models.length === 0}
          onChange={(event) => {
            setChoice(event.target.value);
          }}
        >
          {installed.status === 'loading' ? <option value="">Looking for models…</option> : null}
          {installed.status === 'ready' && selected === null ? <option value="">No model can be loaded</option> : null}
          {models.map((model) => (
            <option key={model.id} value={model.id} disabled={model.problem !== null} title={model.problem ?? model.path}>
              {optionLabel(model)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button-primary"
          data-testid="model-load"
          disabled={selected === null || loading || (ready && selected === current)}
          onClick={() => {
            if (selected !== null) void actions.loadModel(selected);
          }}
        >
          Load
        </button>
        <button
          type="button"
          className="button"
          data-testid="model-unload"
          disabled={!ready}
          onClick={() => {
            void actions.unloadModel();
          }}
        >
          Unload
        </button>
        <button
          type="button"
          className="button button-quiet button-icon"
          data-testid="model-refresh"
          aria-label="Look for models again"
          title="Look for models again"
          onClick={() => {
            void actions.refreshModels();
          }}
        >
          <Icon paths={['M23 4v6h-6', 'M1 20v-6h6', 'M3.51 9a9 9 0 0 1 14.85-3.36L23 10M1 14l4.64 4.36A9 9 0 0 0 20.49 15']} />
        </button>
      </div>
      <div className={`model-state model-state-${tone}`}>
        <span className="status-dot" aria-hidden="true" />
        <span data-testid="model-state" role="status">
          {describeState(state, models, llm.status === 'failed' ? llm.error.message : null)}
        </span>
        {loading ? (
          <>
            <progress
              className="model-progress"
              data-testid="model-progress"
              max={1}
              value={progress}
              aria-label="Model loading progress"
            />
            <span className="model-progress-value" aria-hidden="true">
              {Math.round(progress * 100)}%
            </span>
            <button
              type="button"
              className="button button-small"
              data-testid="model-cancel"
              onClick={() => {
                void actions.cancelLoad();
              }}
            >
              Cancel
            </button>
          </>
        ) : null}
      </div>
      {installed.status === 'failed' ? (
        <p className="model-bar-problem">The models folder could not be read: {installed.error.message}</p>
      ) : null}
      {modelError !== null && state?.status !== 'failed' ? (
        <div className="alert alert-error" role="alert" data-testid="model-error">
          <p className="alert-title">{modelError.action}</p>
          <p>
            {modelError.error.message} <span className="alert-detail">({modelError.error.name})</span>
          </p>
        </div>
      ) : null}
    </section>
  );
}
