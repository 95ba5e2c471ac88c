// What main reports about this CodeSage: version, where its data lives, and the runtime versions.
import type { AppInfo } from '../../../../../common/api/contract';
import type { Loadable } from '../../../lib/async/Loadable';

export interface AboutDetailsProps {
  readonly appInfo: Loadable<AppInfo>;
}

export function AboutDetails({ appInfo }: AboutDetailsProps) {
  if (appInfo.status === 'loading') return <p className="muted">Loading…</p>;
  if (appInfo.status === 'failed') {
    return (
      <div className="alert alert-error">
        <p>
          CodeSage could not read its own details: {appInfo.error.message} <span className="alert-detail">({appInfo.error.name})</span>
        </p>
      </div>
    );
  }
  const info = appInfo.value;
  return (
    <dl className="details" data-testid="settings-app-info">
      <dt>Version</dt>
      <dd>
        {info.name} {info.version}
      </dd>
      <dt>Shell</dt>
      <dd>{info.shell === 'electron' ? 'Desktop' : 'Serve mode'}</dd>
      <dt>Data directory</dt>
      <dd>
        <code className="path">{info.dataDir}</code>
      </dd>
      <dt>Node</dt>
      <dd>{info.versions.node}</dd>
      <dt>Electron</dt>
      <dd>{info.versions.electron ?? 'Not used (serve mode)'}</dd>
    </dl>
  );
}
