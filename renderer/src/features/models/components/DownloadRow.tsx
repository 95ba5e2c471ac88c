// One download: progress bar with bytes, speed and ETA, its state, the reason it failed, and
// pause / resume / cancel / dismiss.
import type { DownloadJob } from '../../../../../common/models/downloadSchema';
import { formatBytes } from '../../../../../common/format/formatBytes';

export interface DownloadRowProps {
  readonly job: DownloadJob;
  readonly onPause: () => void;
  readonly onResume: () => void;
  readonly onCancel: () => void;
  readonly onRemove: () => void;
}

const STATE_LABELS: Record<DownloadJob['state'], string> = {
  queued: 'Queued',
  downloading: 'Downloading',
  paused: 'Paused',
  verifying: 'Verifying checksum',
  completed: 'Installed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function formatEta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `${String(Math.ceil(seconds))} s left`;
  if (seconds < 3600) return `${String(Math.ceil(seconds / 60))} min left`;
  return `${(seconds / 3600).toFixed(1)} h left`;
}

export function DownloadRow({ job, onPause, onResume, onCancel, onRemove }: DownloadRowProps) {
  const fraction = job.totalBytes !== null && job.totalBytes > 0 ? Math.min(1, job.receivedBytes / job.totalBytes) : null;
  const active = job.state === 'downloading' || job.state === 'queued';
  return (
    <li className="download-row card" data-testid="download-row" data-file={job.fileName} data-state={job.state}>
      <div className="download-head">
        <strong className="download-name">{job.fileName}</strong>
        <span className={`badge download-state download-state-${job.state}`} data-testid="download-state">
          {STATE_LABELS[job.state]}
        </span>
      </div>
      {job.state !== 'completed' && job.state !== 'cancelled' ? (
        <>
          <progress
            className="download-progress"
            max={1}
            {...(fraction === null ? {} : { value: fraction })}
            aria-label={`Download progress of ${job.fileName}`}
          />
          <p className="muted download-numbers" data-testid="download-numbers">
            {formatBytes(job.receivedBytes)}
            {job.totalBytes === null ? '' : ` of ${formatBytes(job.totalBytes)}`}
            {job.state === 'downloading' && job.bytesPerSecond > 0
              ? ` · ${formatBytes(job.bytesPerSecond)}/s · ${formatEta(job.etaSeconds)}`
              : ''}
            {job.attempts > 1 ? ` · attempt ${String(job.attempts)}` : ''}
          </p>
        </>
      ) : null}
      {job.error !== null ? (
        <div
          className={`alert ${job.state === 'failed' ? 'alert-error' : ''}`}
          role={job.state === 'failed' ? 'alert' : 'status'}
          data-testid="download-error"
        >
          <p>
            {job.error.message} <span className="alert-detail">({job.error.name})</span>
          </p>
        </div>
      ) : null}
      <div className="form-actions">
        {active ? (
          <button type="button" className="button button-small" data-testid="download-pause" onClick={onPause}>
            Pause
          </button>
        ) : null}
        {job.state === 'paused' || job.state === 'failed' ? (
          <button type="button" className="button button-small button-primary" data-testid="download-resume" onClick={onResume}>
            {job.state === 'failed' ? 'Retry' : 'Resume'}
          </button>
        ) : null}
        {active || job.state === 'paused' || job.state === 'failed' ? (
          <button type="button" className="button button-small button-danger" data-testid="download-cancel" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        {job.state === 'completed' || job.state === 'cancelled' || job.state === 'failed' ? (
          <button type="button" className="button button-small button-quiet" data-testid="download-dismiss" onClick={onRemove}>
            Dismiss
          </button>
        ) : null}
      </div>
    </li>
  );
}
