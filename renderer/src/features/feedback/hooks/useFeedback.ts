// The Feedback view's data: the entries kept on this machine (kept current by feedback.onChanged)
// and delete.
import { useEffect, useRef, useState } from 'react';
import type { FeedbackEntry } from '../../../../../common/feedback/feedbackSchema';
import { useApi } from '../../../lib/api/useApi';
import type { Loadable } from '../../../lib/async/Loadable';
import { toErrorInfo } from '../../../lib/errors/toErrorInfo';
import type { ErrorInfo } from '../../../lib/errors/toErrorInfo';

export interface FeedbackList {
  readonly entries: Loadable<readonly FeedbackEntry[]>;
  /** The last delete's failure, until the next one. */
  readonly actionError: ErrorInfo | null;
  remove(id: string): Promise<void>;
}

export function useFeedback(): FeedbackList {
  const api = useApi();
  const [entries, setEntries] = useState<Loadable<readonly FeedbackEntry[]>>({ status: 'loading' });
  const [actionError, setActionError] = useState<ErrorInfo | null>(null);
  const changed = useRef(false);

  useEffect(() => {
    let alive = true;
    changed.current = false;
    const off = api.feedback.onChanged((list) => {
      changed.current = true;
      if (alive) setEntries({ status: 'ready', value: list });
    });
    void api.feedback.list().then(
      (list) => {
        // An event that arrived while listing is newer than the list.
        if (alive && !changed.current) setEntries({ status: 'ready', value: list });
      },
      (error: unknown) => {
        if (alive) setEntries({ status: 'failed', error: toErrorInfo(error) });
      },
    );
    return () => {
      alive = false;
      off();
    };
  }, [api]);

  return {
    entries,
    actionError,
    remove: async (id) => {
      setActionError(null);
      try {
        await api.feedback.delete({ id });
      } catch (error) {
        setActionError(toErrorInfo(error));
      }
    },
  };
}
