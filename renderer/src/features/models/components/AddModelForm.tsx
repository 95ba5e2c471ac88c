// Add a model that is not in the catalog: any hf: URI or http(s) URL (with an optional sha256 to
// verify against), a fit check that reads its header remotely, and import of a GGUF file already
// on this machine by its path.
import { useId, useState } from 'react';
import type { FitEstimate } from '../../../../../common/models/fitSchema';
import { FitBadge } from './FitBadge';

export interface AddModelFormProps {
  readonly onDownload: (uri: string, sha256: string | undefined) => Promise<boolean>;
  readonly onCheckFit: (target: string) => Promise<FitEstimate | null>;
  readonly onImport: (path: string) => Promise<boolean>;
}

export function AddModelForm({ onDownload, onCheckFit, onImport }: AddModelFormProps) {
  const uriId = useId();
  const shaId = useId();
  const pathId = useId();
  const [uri, setUri] = useState('');
  const [sha, setSha] = useState('');
  const [path, setPath] = useState('');
  const [fit, setFit] = useState<FitEstimate | null>(null);
  return (
    <div className="add-model">
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void onDownload(uri.trim(), sha.trim() === '' ? undefined : sha.trim()).then((ok) => {
            if (ok) {
              setUri('');
              setSha('');
              setFit(null);
            }
          });
        }}
      >
        <label className="field-label" htmlFor={uriId}>
          Hugging Face URI or URL
        </label>
        <input
          id={uriId}
          className="input"
          data-testid="add-model-uri"
          placeholder="hf:owner/repo/model-Q4_K_M.gguf or https://…/model.gguf"
          value={uri}
          onChange={(event) => {
            setUri(event.target.value);
            setFit(null);
          }}
        />
        <label className="field-label" htmlFor={shaId}>
          sha256 (optional; otherwise the server&apos;s published hash is checked)
        </label>
        <input
          id={shaId}
          className="input"
          data-testid="add-model-sha256"
          value={sha}
          onChange={(event) => {
            setSha(event.target.value);
          }}
        />
        <div className="form-actions">
          <button type="submit" className="button button-primary" data-testid="add-model-download" disabled={uri.trim() === ''}>
            Download
          </button>
          <button
            type="button"
            className="button"
            data-testid="add-model-fit"
            disabled={uri.trim() === ''}
            onClick={() => {
              void onCheckFit(uri.trim()).then(setFit);
            }}
          >
            Will it fit?
          </button>
          {fit !== null ? (
            <>
              <FitBadge fit={fit} testId="add-model-fit-badge" />
              <span className="muted">{fit.note}</span>
            </>
          ) : null}
        </div>
      </form>
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void onImport(path.trim()).then((ok) => {
            if (ok) setPath('');
          });
        }}
      >
        <label className="field-label" htmlFor={pathId}>
          Import a GGUF file from this machine (full path; it is copied into the models folder)
        </label>
        <input
          id={pathId}
          className="input"
          data-testid="import-model-path"
          placeholder="/home/you/Downloads/model.gguf"
          value={path}
          onChange={(event) => {
            setPath(event.target.value);
          }}
        />
        <div className="form-actions">
          <button type="submit" className="button" data-testid="import-model" disabled={path.trim() === ''}>
            Import
          </button>
        </div>
      </form>
    </div>
  );
}
