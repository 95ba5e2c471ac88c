// How a model would run here, as a colored badge with the estimate's sentence as its title.
import type { FitEstimate } from '../../../../../common/models/fitSchema';
import { formatBytes } from '../../../../../common/format/formatBytes';

const LABELS: Record<FitEstimate['verdict'], string> = {
  gpu: 'Fits on GPU',
  partial: 'Partial GPU offload',
  cpu: 'CPU only',
  'no-fit': 'Will not fit',
};

export function FitBadge({ fit, testId }: { readonly fit: FitEstimate; readonly testId?: string }) {
  const memory = fit.vramBytes + fit.ramBytes;
  return (
    <span className={`badge fit-badge fit-${fit.verdict}`} title={fit.note} data-testid={testId} data-verdict={fit.verdict}>
      {LABELS[fit.verdict]} · {formatBytes(memory)}
    </span>
  );
}
