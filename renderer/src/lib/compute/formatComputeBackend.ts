// Display names of llama.cpp compute backends and of the user's backend preference.
import type { ComputeBackend } from '../../../../common/system/systemInfoSchema';
import type { ComputePreference } from '../../../../common/settings/settingsSchema';

export function formatComputeBackend(backend: ComputeBackend | ComputePreference): string {
  switch (backend) {
    case 'cuda':
      return 'CUDA';
    case 'metal':
      return 'Metal';
    case 'vulkan':
      return 'Vulkan';
    case 'cpu':
      return 'CPU';
    case 'auto':
      return 'Auto';
  }
}
