// The Models view's data: the catalog with fit estimates, the downloads (kept current by
// downloads.onChanged) and the actions on them. Installed models and settings live in the app
// store (bindApiToStore keeps them current); this hook only reloads the catalog when the installed
// set changes, so its "installed" marks stay true.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CatalogEntryView } from '../../../../../common/models/catalogSchema';
import type { DownloadJob, StartDownloadInput } from '../../../../../common/models/downloadSchema';
import type { FitEstimate } from '../../../../../common/models/fitSchema';
import { useApi } from '../../../lib/api/useApi';
import type { Loadable } from '../../../lib/async/Loadable';
import { toErrorInfo } from '../../../lib/errors/toErrorInfo';
import type { ErrorInfo } from '../../../lib/errors/toErrorInfo';

export interface ModelManager {
  readonly catalog: Loadable<readonly CatalogEntryView[]>;
  readonly downloads: readonly DownloadJob[];
  /** The last action's failure, shown above the view until the next action. */
  readonly actionError: ErrorInfo | null;
  start(input: StartDownloadInput): Promise<boolean>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  cancel(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  importFile(path: string): Promise<boolean>;
  deleteModel(modelId: string): Promise<void>;
  checkFit(target: string): Promise<FitEstimate | null>;
  clearError(): void;
}

export function useModelManager(): ModelManager {
  const api = useApi();
  const [catalog, setCatalog] = useState<Loadable<readonly CatalogEntryView[]>>({ status: 'loading' });
  const [jobs, setJobs] = useState<ReadonlyMap<string, DownloadJob>>(new Map());
  const [actionError, setActionError] = useState<ErrorInfo | null>(null);
  const alive = useRef(true);

  const loadCatalog = useCallback(async () => {
    try {
      const entries = await api.models.catalog();
      if (alive.current) setCatalog({ status: 'ready', value: entries });
    } catch (error) {
      if (alive.current) setCatalog({ status: 'failed', error: toErrorInfo(error) });
    }
  }, [api]);

  useEffect(() => {
    alive.current = true;
    const offDownloads = api.downloads.onChanged((job) => {
      setJobs((previous) => new Map(previous).set(job.id, job));
    });
    const offModels = api.models.onChanged(() => {
      void loadCatalog();
    });
    void api.models.catalog().then(
      (entries) => {
        if (alive.current) setCatalog({ status: 'ready', value: entries });
      },
      (error: unknown) => {
        if (alive.current) setCatalog({ status: 'failed', error: toErrorInfo(error) });
      },
    );
    void api.downloads.list().then(
      (list) => {
        if (!alive.current) return;
        // Events that arrived while listing are newer than the list: keep them.
        setJobs((previous) => {
          const next = new Map(list.map((job) => [job.id, job]));
          for (const [id, job] of previous) next.set(id, job);
          return next;
        });
      },
      (error: unknown) => {
        if (alive.current) setActionError(toErrorInfo(error));
      },
    );
    return () => {
      alive.current = false;
      offDownloads();
      offModels();
    };
  }, [api, loadCatalog]);

  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | null> => {
    setActionError(null);
    try {
      return await action();
    } catch (error) {
      if (alive.current) setActionError(toErrorInfo(error));
      return null;
    }
  }, []);

  const track = (job: DownloadJob | null): void => {
    if (job !== null) setJobs((previous) => new Map(previous).set(job.id, job));
  };

  return {
    catalog,
    downloads: [...jobs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    actionError,
    start: async (input) => {
      const job = await run(() => api.downloads.start(input));
      track(job);
      return job !== null;
    },
    pause: async (id) => {
      track(await run(() => api.downloads.pause({ id })));
    },
    resume: async (id) => {
      track(await run(() => api.downloads.resume({ id })));
    },
    cancel: async (id) => {
      track(await run(() => api.downloads.cancel({ id })));
    },
    remove: async (id) => {
      if ((await run(() => api.downloads.remove({ id }))) === true) {
        setJobs((previous) => {
          const next = new Map(previous);
          next.delete(id);
          return next;
        });
      }
    },
    importFile: async (path) => (await run(() => api.models.import({ path }))) !== null,
    deleteModel: async (modelId) => {
      await run(() => api.models.delete({ modelId }));
    },
    checkFit: (target) => run(() => api.models.fit({ target })),
    clearError: () => {
      setActionError(null);
    },
  };
}
