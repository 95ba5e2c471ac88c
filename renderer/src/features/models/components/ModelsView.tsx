// Models: what is installed, downloads in progress, adding by URI or import, and the catalog with
// fit estimates for this machine.
import { useAppStore } from '../../../app/store/useAppStore';
import { ViewFrame } from '../../../components/ViewFrame';
import { useApi } from '../../../lib/api/useApi';
import { useModelManager } from '../hooks/useModelManager';
import { AddModelForm } from './AddModelForm';
import { CatalogCard } from './CatalogCard';
import { DownloadRow } from './DownloadRow';
import { InstalledModels } from './InstalledModels';

export function ModelsView() {
  const api = useApi();
  const manager = useModelManager();
  const installed = useAppStore((state) => state.installedModels);
  const settings = useAppStore((state) => state.settings);
  const folder = useAppStore((state) => state.modelsFolder);
  const visibleDownloads = manager.downloads.filter((job) => job.state !== 'completed' || job.error !== null);

  return (
    <ViewFrame
      testId="view-models"
      title="Models"
      lead="The models CodeSage runs on this machine: download, import, choose and remove them."
    >
      {manager.actionError !== null ? (
        <div className="alert alert-error" role="alert" data-testid="models-error">
          <p>
            {manager.actionError.message} <span className="alert-detail">({manager.actionError.name})</span>
          </p>
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => {
              manager.clearError();
            }}
          >
            Dismiss
          </button>
        </div>
      ) : null}

      <section aria-labelledby="models-downloads" className="models-section">
        <h2 id="models-downloads" className="card-title">
          Downloads
        </h2>
        {visibleDownloads.length === 0 ? (
          <p className="muted">No downloads in progress.</p>
        ) : (
          <ul className="download-list" data-testid="download-list">
            {visibleDownloads.map((job) => (
              <DownloadRow
                key={job.id}
                job={job}
                onPause={() => void manager.pause(job.id)}
                onResume={() => void manager.resume(job.id)}
                onCancel={() => void manager.cancel(job.id)}
                onRemove={() => void manager.remove(job.id)}
              />
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="models-installed" className="models-section">
        <h2 id="models-installed" className="card-title">
          Installed
        </h2>
        {folder.status === 'ready' ? (
          <p className="muted">
            Storage location: <code className="path">{folder.value}</code> (change it in Settings)
          </p>
        ) : null}
        {installed.status === 'ready' ? (
          <InstalledModels
            models={installed.value}
            settings={settings.status === 'ready' ? settings.value : null}
            onSetDefault={(role, modelId) => {
              void api.settings.update({
                models: role === 'chat' ? { defaultChatModelId: modelId } : { defaultEmbeddingModelId: modelId },
              });
            }}
            onDelete={(modelId) => void manager.deleteModel(modelId)}
          />
        ) : installed.status === 'failed' ? (
          <p className="muted">The installed models could not be listed: {installed.error.message}</p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>

      <section aria-labelledby="models-add" className="models-section">
        <h2 id="models-add" className="card-title">
          Add a model
        </h2>
        <AddModelForm
          onDownload={(uri, sha256) => manager.start({ uri, ...(sha256 === undefined ? {} : { sha256 }) })}
          onCheckFit={(target) => manager.checkFit(target)}
          onImport={(path) => manager.importFile(path)}
        />
      </section>

      <section aria-labelledby="models-catalog" className="models-section">
        <h2 id="models-catalog" className="card-title">
          Catalog
        </h2>
        {manager.catalog.status === 'ready' ? (
          <ul className="catalog-list" data-testid="catalog-list">
            {manager.catalog.value.map((entry) => (
              <CatalogCard
                key={entry.id}
                entry={entry}
                downloads={manager.downloads}
                onDownload={(uri) => void manager.start({ uri, catalogId: entry.id })}
              />
            ))}
          </ul>
        ) : manager.catalog.status === 'failed' ? (
          <p className="muted">The catalog could not be loaded: {manager.catalog.error.message}</p>
        ) : (
          <p className="muted">Estimating what fits this machine…</p>
        )}
      </section>
    </ViewFrame>
  );
}
