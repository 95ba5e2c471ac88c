// The editable settings. Choices are a draft until Save, so a refused save (shown with main's
// message) never throws away what the user picked; fields the user did not touch keep following
// main's onChanged events.
import { useId, useState } from 'react';
import type { SubmitEvent } from 'react';
import type {
  ComputePreference,
  RoutingPolicySetting,
  Settings,
  SettingsPatch,
  Theme,
} from '../../../../../common/settings/settingsSchema';
import { formatComputeBackend } from '../../../lib/compute/formatComputeBackend';
import type { ErrorInfo } from '../../../lib/errors/toErrorInfo';
import type { SettingsActions } from '../hooks/useSettingsActions';
import { ChoiceList } from './ChoiceList';

export interface SettingsFormProps {
  readonly settings: Settings;
  readonly saving: boolean;
  readonly error: ErrorInfo | null;
  readonly actions: SettingsActions;
}

interface Draft {
  readonly theme?: Theme;
  readonly backend?: ComputePreference;
  /** '' means the default location. */
  readonly modelsFolder?: string;
  readonly policy?: RoutingPolicySetting;
}

const POLICY_OPTIONS: readonly { value: RoutingPolicySetting; label: string; hint: string }[] = [
  { value: 'offline', label: 'Offline', hint: 'Never use the cloud; CodeSage opens no network connection for answers.' },
  { value: 'local-first', label: 'Local first', hint: 'Answer with the local model; use the cloud only when no local model can.' },
  { value: 'cloud-first', label: 'Cloud first', hint: 'Prefer the configured cloud endpoint; fall back to the local model.' },
];

const THEME_OPTIONS: readonly { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

const BACKEND_OPTIONS: readonly { value: ComputePreference; hint: string }[] = [
  { value: 'auto', hint: 'Use the fastest backend this machine supports.' },
  { value: 'cuda', hint: 'NVIDIA GPUs.' },
  { value: 'vulkan', hint: 'Most AMD, Intel and NVIDIA GPUs.' },
  { value: 'metal', hint: 'Apple silicon and Intel Macs.' },
  { value: 'cpu', hint: 'No GPU. Slowest, but works everywhere.' },
];

/** The fields of the draft that differ from what main has, as a settings patch; null when none do. */
function draftToPatch(draft: Draft, settings: Settings): SettingsPatch | null {
  const patch: {
    appearance?: { theme: Theme };
    compute?: { backend: ComputePreference };
    models?: { folder: string | null };
    routing?: { policy: RoutingPolicySetting };
  } = {};
  if (draft.theme !== undefined && draft.theme !== settings.appearance.theme) patch.appearance = { theme: draft.theme };
  if (draft.backend !== undefined && draft.backend !== settings.compute.backend) patch.compute = { backend: draft.backend };
  if (draft.modelsFolder !== undefined) {
    const folder = draft.modelsFolder.trim() === '' ? null : draft.modelsFolder.trim();
    if (folder !== settings.models.folder) patch.models = { folder };
  }
  if (draft.policy !== undefined && draft.policy !== settings.routing.policy) patch.routing = { policy: draft.policy };
  return Object.keys(patch).length === 0 ? null : patch;
}

export function SettingsForm({ settings, saving, error, actions }: SettingsFormProps) {
  const idPrefix = useId();
  const [draft, setDraft] = useState<Draft>({});
  const [notice, setNotice] = useState<string | null>(null);
  const theme = draft.theme ?? settings.appearance.theme;
  const backend = draft.backend ?? settings.compute.backend;
  const modelsFolder = draft.modelsFolder ?? settings.models.folder ?? '';
  const policy = draft.policy ?? settings.routing.policy;
  const patch = draftToPatch(draft, settings);

  const edit = (change: Draft): void => {
    setDraft((current) => ({ ...current, ...change }));
    setNotice(null);
  };

  const save = async (): Promise<void> => {
    if (patch === null) return;
    if (await actions.save(patch)) {
      // Keep anything the user changed again while the save was in flight.
      setDraft((current) => ({
        ...(current.theme === undefined || current.theme === patch.appearance?.theme ? {} : { theme: current.theme }),
        ...(current.backend === undefined || current.backend === patch.compute?.backend ? {} : { backend: current.backend }),
        ...(current.modelsFolder === undefined || patch.models !== undefined ? {} : { modelsFolder: current.modelsFolder }),
        ...(current.policy === undefined || current.policy === patch.routing?.policy ? {} : { policy: current.policy }),
      }));
      setNotice('Settings saved.');
    }
  };

  const reset = async (): Promise<void> => {
    if (await actions.reset()) {
      setDraft({});
      setNotice('Settings reset to defaults.');
    }
  };

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void save();
  };

  return (
    <form className="settings-form" onSubmit={handleSubmit} aria-busy={saving}>
      <fieldset className="field-group">
        <legend className="field-legend">Theme</legend>
        <div className="segmented">
          {THEME_OPTIONS.map((option) => (
            <label key={option.value} className="segmented-option">
              <input
                type="radio"
                name={`${idPrefix}-theme`}
                value={option.value}
                checked={theme === option.value}
                onChange={() => {
                  edit({ theme: option.value });
                }}
              />
              <span>{option.label}</span>
            </label>
          ))}
        </div>
        <p className="field-hint">System follows your operating system&apos;s light or dark mode.</p>
      </fieldset>

      <fieldset className="field-group">
        <legend className="field-legend">Compute backend</legend>
        <p className="field-hint">Which llama.cpp backend runs local models. The current result is shown under Compute below.</p>
        <ChoiceList
          idPrefix={`${idPrefix}-backend`}
          choices={BACKEND_OPTIONS.map((option) => ({ ...option, label: formatComputeBackend(option.value) }))}
          value={backend}
          onChange={(value) => {
            edit({ backend: value });
          }}
        />
      </fieldset>

      <fieldset className="field-group">
        <legend className="field-legend">Routing policy</legend>
        <p className="field-hint">Where a message goes when you do not choose a route for it.</p>
        <ChoiceList
          idPrefix={`${idPrefix}-policy`}
          choices={POLICY_OPTIONS}
          value={policy}
          testId="settings-routing-policy"
          onChange={(value) => {
            edit({ policy: value });
          }}
        />
      </fieldset>

      <fieldset className="field-group">
        <legend className="field-legend">Model storage location</legend>
        <label className="field-label" htmlFor={`${idPrefix}-models-folder`}>
          Folder for downloaded and imported models (an absolute path; empty for the default inside the data folder). Models already
          downloaded stay where they are.
        </label>
        <input
          id={`${idPrefix}-models-folder`}
          className="input"
          data-testid="settings-models-folder"
          value={modelsFolder}
          placeholder="Default: <data folder>/models"
          onChange={(event) => {
            edit({ modelsFolder: event.target.value });
          }}
        />
      </fieldset>

      {error === null ? null : (
        <div className="alert alert-error" role="alert" data-testid="settings-error">
          <p className="alert-title">Your settings were not saved.</p>
          <p>
            {error.message} <span className="alert-detail">({error.name})</span>
          </p>
          <p>Your choices are still in the form: fix the problem and save again.</p>
        </div>
      )}

      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={saving || patch === null}>
          {saving ? 'Saving…' : 'Save'}
        </button>
        {patch === null ? null : (
          <button
            type="button"
            className="button"
            disabled={saving}
            onClick={() => {
              setDraft({});
            }}
          >
            Discard changes
          </button>
        )}
        <button
          type="button"
          className="button button-quiet"
          disabled={saving}
          onClick={() => {
            void reset();
          }}
        >
          Reset to defaults
        </button>
        <p className="form-notice" role="status">
          {notice}
        </p>
      </div>
    </form>
  );
}
