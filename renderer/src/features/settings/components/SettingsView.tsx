// Settings: the preferences main stores (theme, compute backend), the compute report main produced
// from them, and facts about this installation.
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ViewFrame } from '../../../components/ViewFrame';
import { useAppStore } from '../../../app/store/useAppStore';
import { useSettingsActions } from '../hooks/useSettingsActions';
import { AboutDetails } from './AboutDetails';
import { ComputeReportDetails } from './ComputeReportDetails';
import { SettingsForm } from './SettingsForm';

export function SettingsView() {
  const { settings, saving, error } = useAppStore(
    useShallow((state) => ({ settings: state.settings, saving: state.settingsSaving, error: state.settingsError })),
  );
  const systemInfo = useAppStore((state) => state.systemInfo);
  const appInfo = useAppStore((state) => state.appInfo);
  const actions = useSettingsActions();
  const [retrying, setRetrying] = useState(false);

  const retry = async (): Promise<void> => {
    setRetrying(true);
    await actions.reload();
    setRetrying(false);
  };

  return (
    <ViewFrame testId="view-settings" title="Settings" lead="Stored on this machine by CodeSage.">
      <section className="card" aria-labelledby="settings-preferences-heading">
        <h2 id="settings-preferences-heading" className="card-title">
          Preferences
        </h2>
        {settings.status === 'loading' ? <p className="muted">Loading settings…</p> : null}
        {settings.status === 'failed' ? (
          <div className="alert alert-error" role="alert">
            <p className="alert-title">Your settings could not be loaded.</p>
            <p>
              {settings.error.message} <span className="alert-detail">({settings.error.name})</span>
            </p>
            <button
              type="button"
              className="button"
              disabled={retrying}
              onClick={() => {
                void retry();
              }}
            >
              {retrying ? 'Trying again…' : 'Try again'}
            </button>
          </div>
        ) : null}
        {settings.status === 'ready' ? <SettingsForm settings={settings.value} saving={saving} error={error} actions={actions} /> : null}
      </section>

      <section className="card" aria-labelledby="settings-compute-heading" data-testid="settings-compute-report">
        <h2 id="settings-compute-heading" className="card-title">
          Compute
        </h2>
        <ComputeReportDetails systemInfo={systemInfo} />
      </section>

      <section className="card" aria-labelledby="settings-about-heading">
        <h2 id="settings-about-heading" className="card-title">
          About
        </h2>
        <AboutDetails appInfo={appInfo} />
      </section>
    </ViewFrame>
  );
}
