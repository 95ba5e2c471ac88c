// A catalog model: what it is, and each quantization with its size, fit badge and a download
// button (or "Installed"). The recommended pick for this machine is marked.
import type { CatalogEntryView } from '../../../../../common/models/catalogSchema';
import type { DownloadJob } from '../../../../../common/models/downloadSchema';
import { formatBytes } from '../../../../../common/format/formatBytes';
import { FitBadge } from './FitBadge';

export interface CatalogCardProps {
  readonly entry: CatalogEntryView;
  readonly downloads: readonly DownloadJob[];
  readonly onDownload: (uri: string) => void;
}

export function CatalogCard({ entry, downloads, onDownload }: CatalogCardProps) {
  return (
    <li className="card catalog-card" data-testid={`catalog-card-${entry.id}`}>
      <div className="catalog-head">
        <h3 className="card-title">{entry.name}</h3>
        <span className="badge">{entry.role}</span>
      </div>
      <p className="muted">
        {entry.parameters} parameters · {entry.contextLength.toLocaleString('en-US')}-token context · {entry.license}
      </p>
      <p>{entry.description}</p>
      <ul className="variant-list">
        {entry.variants.map((variant) => {
          const busy = downloads.some(
            (job) => job.uri === variant.uri && ['queued', 'downloading', 'paused', 'verifying'].includes(job.state),
          );
          const testKey = `${entry.id}-${variant.quant}`;
          return (
            <li key={variant.quant} className="variant-row" data-testid={`catalog-variant-${testKey}`}>
              <span className="variant-quant">{variant.quant}</span>
              <span className="muted">{formatBytes(variant.sizeBytes)}</span>
              <FitBadge fit={variant.fit} testId={`fit-badge-${testKey}`} />
              {variant.recommended ? (
                <span className="badge badge-recommended" data-testid={`recommended-${testKey}`}>
                  Recommended
                </span>
              ) : null}
              {variant.installed ? (
                <span className="badge">Installed</span>
              ) : (
                <button
                  type="button"
                  className="button button-small"
                  data-testid={`catalog-download-${testKey}`}
                  disabled={busy}
                  onClick={() => {
                    onDownload(variant.uri);
                  }}
                >
                  {busy ? 'Downloading…' : 'Download'}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </li>
  );
}
