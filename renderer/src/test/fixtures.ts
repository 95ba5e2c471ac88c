// Sample answers from main for the renderer's tests.
import type { AppInfo } from '../../../common/api/contract';
import { DEFAULT_SETTINGS } from '../../../common/settings/settingsSchema';
import type { Settings } from '../../../common/settings/settingsSchema';
import type { ComputeReport, SystemInfo } from '../../../common/system/systemInfoSchema';

const GIB = 1024 ** 3;

export const appInfoFixture: AppInfo = {
  name: 'CodeSage',
  version: '0.1.0',
  shell: 'electron',
  dataDir: '/home/ada/.config/CodeSage',
  versions: { node: '22.20.0', electron: '41.10.0' },
};

export const cudaComputeFixture: ComputeReport = {
  status: 'ready',
  backend: 'cuda',
  reason: 'Asked for auto; CUDA found an NVIDIA GeForce RTX 4070 with 12 GiB of VRAM.',
  gpuNames: ['NVIDIA GeForce RTX 4070'],
  vram: { totalBytes: 12 * GIB, freeBytes: 10.5 * GIB },
  threads: 8,
};

export function systemInfoFixture(compute: ComputeReport = cudaComputeFixture): SystemInfo {
  return {
    platform: 'linux',
    arch: 'x64',
    cpu: { model: 'AMD Ryzen 7 7700X', logicalCores: 16, physicalCores: 8, avx2: true },
    memory: { totalBytes: 32 * GIB, freeBytes: 20.25 * GIB },
    compute,
  };
}

export function settingsFixture(
  overrides: { theme?: Settings['appearance']['theme']; backend?: Settings['compute']['backend'] } = {},
): Settings {
  return {
    ...DEFAULT_SETTINGS,
    appearance: { theme: overrides.theme ?? DEFAULT_SETTINGS.appearance.theme },
    compute: { backend: overrides.backend ?? DEFAULT_SETTINGS.compute.backend },
  };
}
