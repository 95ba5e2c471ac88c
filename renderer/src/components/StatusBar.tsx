// The bottom bar: what main reports about compute and memory, and which shell this window is in.
// Long explanations (why a backend was chosen, why detection failed) go in tooltips here and are
// shown in full in the Settings view.
import type { SystemInfo } from '../../../common/system/systemInfoSchema';
import type { Loadable } from '../lib/async/Loadable';
import { formatComputeBackend } from '../lib/compute/formatComputeBackend';
import { formatBytes } from '../../../common/format/formatBytes';

export type StatusBarShell = 'desktop' | 'serve';
export type StatusBarConnection = 'connecting' | 'connected' | 'reconnecting';

export interface StatusBarProps {
  readonly systemInfo: Loadable<SystemInfo>;
  readonly shell: StatusBarShell;
  /** State of the serve-mode event socket; always 'connected' on the desktop. */
  readonly connection: StatusBarConnection;
}

type Tone = 'ok' | 'pending' | 'error';

interface BackendStatus {
  readonly tone: Tone;
  readonly text: string;
  readonly title: string;
}

function describeBackend(systemInfo: Loadable<SystemInfo>): BackendStatus {
  if (systemInfo.status === 'loading') {
    return { tone: 'pending', text: 'Detecting…', title: 'Detecting which compute backend llama.cpp can use on this machine.' };
  }
  if (systemInfo.status === 'failed') {
    return {
      tone: 'error',
      text: `Compute unavailable: ${systemInfo.error.message}`,
      title: `${systemInfo.error.name}: ${systemInfo.error.message}`,
    };
  }
  const compute = systemInfo.value.compute;
  switch (compute.status) {
    case 'detecting':
      return { tone: 'pending', text: 'Detecting…', title: 'Detecting which compute backend llama.cpp can use on this machine.' };
    case 'ready':
      return { tone: 'ok', text: formatComputeBackend(compute.backend), title: compute.reason };
    case 'failed':
      return {
        tone: 'error',
        text: `Compute unavailable: ${compute.message}`,
        title: `${compute.errorName}: ${compute.message}`,
      };
  }
}

function describeShell(shell: StatusBarShell, connection: StatusBarConnection): { text: string; title: string } {
  if (shell === 'desktop') return { text: 'Desktop', title: 'Running in the CodeSage desktop app.' };
  switch (connection) {
    case 'connected':
      return { text: 'Serve mode', title: 'Served to this browser by `codesage serve`.' };
    case 'connecting':
      return { text: 'Serve mode · connecting…', title: 'Opening the live-update connection to the CodeSage server.' };
    case 'reconnecting':
      return {
        text: 'Serve mode · reconnecting…',
        title: 'The live-update connection to the CodeSage server dropped; retrying. Changes made elsewhere show up once it is back.',
      };
  }
}

export function StatusBar({ systemInfo, shell, connection }: StatusBarProps) {
  const backend = describeBackend(systemInfo);
  const shellStatus = describeShell(shell, connection);
  const info = systemInfo.status === 'ready' ? systemInfo.value : null;
  const compute = info?.compute.status === 'ready' ? info.compute : null;
  const showGpu = compute !== null && (compute.gpuNames.length > 0 || compute.vram !== null);

  return (
    <footer className="status-bar" aria-label="Status">
      <span
        className={`status-item status-backend status-${backend.tone}`}
        data-testid="status-backend"
        title={backend.title}
        aria-live="polite"
      >
        <span className="status-dot" aria-hidden="true" />
        <span className="status-text">{backend.text}</span>
      </span>
      {compute === null ? null : (
        <span className="status-item status-threads" data-testid="status-threads">
          <span className="status-text">
            {compute.threads} {compute.threads === 1 ? 'thread' : 'threads'}
          </span>
        </span>
      )}
      {showGpu ? (
        <span className="status-item status-vram" data-testid="status-vram" title={compute.gpuNames.join('\n')}>
          <span className="status-text">
            {compute.gpuNames.length > 0 ? compute.gpuNames.join(', ') : 'GPU'}
            {compute.vram === null
              ? null
              : ` · VRAM ${formatBytes(compute.vram.freeBytes)} free of ${formatBytes(compute.vram.totalBytes)}`}
          </span>
        </span>
      ) : null}
      {info === null ? null : (
        <span className="status-item" data-testid="status-memory">
          <span className="status-text">
            RAM {formatBytes(info.memory.freeBytes)} free of {formatBytes(info.memory.totalBytes)}
          </span>
        </span>
      )}
      <span
        className={`status-item status-shell${connection === 'connected' || shell === 'desktop' ? '' : ' status-pending'}`}
        data-testid="status-shell"
        title={shellStatus.title}
      >
        {shellStatus.text}
      </span>
    </footer>
  );
}
