// Sample answers from main for the renderer's tests.
import type { AppInfo } from '../../../common/api/contract';
import type { AnswerMetrics, InstalledModel } from '../../../common/llm/llmSchema';
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

export function installedModelFixture(overrides: Partial<InstalledModel> = {}): InstalledModel {
  const id = overrides.id ?? 'qwen2.5-coder-1.5b-q4_k_m.gguf';
  return {
    id,
    name: 'Qwen2.5 Coder 1.5B Q4_K_M',
    path: `/home/ada/.config/CodeSage/models/${id}`,
    sizeBytes: 1.1 * GIB,
    architecture: 'qwen2',
    contextLength: 32_768,
    problem: null,
    ...overrides,
  };
}

export const answerMetricsFixture: AnswerMetrics = {
  promptTokens: 230,
  completionTokens: 41,
  timeToFirstTokenMs: 120,
  tokensPerSecond: 23.5,
  backend: 'cpu',
  model: 'Qwen2.5 Coder 1.5B Q4_K_M',
};
