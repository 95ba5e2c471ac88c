// Will-it-fit: reads a model's GGUF header (from disk, or over HTTP range requests without
// downloading the model) and asks node-llama-cpp's GgufInsights how it would run here: which
// layers fit in free VRAM, and whether the rest fits in RAM, at a useful context size. When the
// header cannot be read (offline, server down), it falls back to the catalog's file size and
// says so.
import { GgufInsights, readGgufFileInfo } from 'node-llama-cpp';
import type { GgufFileInfo } from 'node-llama-cpp';
import type { FitEstimate, FitVerdict } from '../../../../common/models/fitSchema';
import type { SystemInfo } from '../../../../common/system/systemInfoSchema';

export interface MachineMemory {
  /** The GPU backend llama.cpp would use, or false for CPU only. */
  readonly gpu: false | 'cuda' | 'metal' | 'vulkan';
  readonly vramTotalBytes: number;
  readonly vramFreeBytes: number;
  readonly ramTotalBytes: number;
  readonly ramFreeBytes: number;
}

export interface EstimateFitOptions {
  /** The context size the estimate plans for (capped at the model's own). Default 8192. */
  readonly contextSize?: number;
  readonly signal?: AbortSignal;
}

const IGNORED_KEYS = ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'];
const DEFAULT_CONTEXT = 8192;
/** Context, compute buffers and runtime on top of the weights, for the size-only fallback. */
const SIZE_ONLY_OVERHEAD = 1.2;

/** This machine's memory as SystemService reports it. */
export function machineMemoryOf(info: SystemInfo): MachineMemory {
  const compute = info.compute;
  const gpu = compute.status === 'ready' && compute.backend !== 'cpu' ? compute.backend : false;
  const vram = compute.status === 'ready' ? compute.vram : null;
  return {
    gpu,
    vramTotalBytes: gpu === false ? 0 : (vram?.totalBytes ?? 0),
    vramFreeBytes: gpu === false ? 0 : (vram?.freeBytes ?? 0),
    ramTotalBytes: info.memory.totalBytes,
    ramFreeBytes: info.memory.freeBytes,
  };
}

/** Reads the header of a local path or http(s) URL, then estimates. */
export async function estimateFitOf(pathOrUrl: string, machine: MachineMemory, options: EstimateFitOptions = {}): Promise<FitEstimate> {
  const info = await readGgufFileInfo(pathOrUrl, {
    sourceType: /^https?:\/\//i.test(pathOrUrl) ? 'network' : 'filesystem',
    ignoreKeys: IGNORED_KEYS,
    logWarnings: false,
    fetchRetryOptions: { retries: 1 },
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return estimateFitFromGguf(info, machine, options);
}

export async function estimateFitFromGguf(
  info: GgufFileInfo,
  machine: MachineMemory,
  options: EstimateFitOptions = {},
): Promise<FitEstimate> {
  const insights = await GgufInsights.from(info);
  const trainContext = insights.trainContextSize ?? DEFAULT_CONTEXT;
  const contextSize = Math.min(options.contextSize ?? DEFAULT_CONTEXT, trainContext);
  const totalLayers = insights.totalLayers;
  const score = await insights.configurationResolver.scoreModelConfigurationCompatibility(
    { contextSize, forceStrictContextSize: true },
    {
      getVramState: () => Promise.resolve({ total: machine.vramTotalBytes, free: machine.vramFreeBytes, unifiedSize: 0 }),
      getRamState: () => Promise.resolve({ total: machine.ramTotalBytes, free: machine.ramFreeBytes }),
      getSwapState: () => Promise.resolve({ total: 0, free: 0 }),
      llamaGpu: machine.gpu,
      llamaSupportsGpuOffloading: machine.gpu !== false,
    },
  );
  const values = score.resolvedValues;
  const ramNeeded = values.totalRamUsage;
  const vramNeeded = values.totalVramUsage;
  let verdict: FitVerdict;
  if (score.compatibilityScore === 0 || ramNeeded > machine.ramFreeBytes || vramNeeded > machine.vramFreeBytes) verdict = 'no-fit';
  else if (values.gpuLayers >= totalLayers && totalLayers > 0 && machine.gpu !== false) verdict = 'gpu';
  else if (values.gpuLayers > 0) verdict = 'partial';
  else verdict = 'cpu';
  return {
    verdict,
    gpuLayers: values.gpuLayers,
    totalLayers,
    vramBytes: vramNeeded,
    ramBytes: ramNeeded,
    contextSize: values.contextSize,
    source: 'header',
    note: describe(verdict, vramNeeded, ramNeeded, values.gpuLayers, totalLayers, values.contextSize, machine),
  };
}

/** The estimate when only the file size is known: weights plus a margin, no layer split. */
export function estimateFitFromSize(sizeBytes: number, machine: MachineMemory, contextLength: number | null = null): FitEstimate {
  const needed = Math.round(sizeBytes * SIZE_ONLY_OVERHEAD);
  const contextSize = Math.min(DEFAULT_CONTEXT, contextLength ?? DEFAULT_CONTEXT);
  let verdict: FitVerdict;
  if (machine.gpu !== false && needed <= machine.vramFreeBytes) verdict = 'gpu';
  else if (machine.gpu !== false && machine.vramFreeBytes > 0 && needed <= machine.vramFreeBytes + machine.ramFreeBytes)
    verdict = 'partial';
  else if (needed <= machine.ramFreeBytes) verdict = 'cpu';
  else verdict = 'no-fit';
  const onGpu = verdict === 'gpu' ? needed : verdict === 'partial' ? machine.vramFreeBytes : 0;
  return {
    verdict,
    gpuLayers: 0,
    totalLayers: null,
    vramBytes: onGpu,
    ramBytes: needed - onGpu,
    contextSize,
    source: 'catalog',
    note: `${describe(verdict, onGpu, needed - onGpu, null, null, contextSize, machine)} (Estimated from the file size: the model's header could not be read.)`,
  };
}

const VERDICT_RANK: Record<FitVerdict, number> = { gpu: 3, partial: 2, cpu: 1, 'no-fit': 0 };

/**
 * The recommended variant of a family: the best verdict first (all on GPU beats partial beats
 * CPU), then the largest file within that verdict, since a bigger quantization of the same
 * model answers better when it runs equally well.
 */
export function recommendVariant<T extends { readonly fit: FitEstimate; readonly sizeBytes: number }>(variants: readonly T[]): T | null {
  let best: T | null = null;
  for (const variant of variants) {
    if (variant.fit.verdict === 'no-fit') continue;
    if (
      best === null ||
      VERDICT_RANK[variant.fit.verdict] > VERDICT_RANK[best.fit.verdict] ||
      (VERDICT_RANK[variant.fit.verdict] === VERDICT_RANK[best.fit.verdict] && variant.sizeBytes > best.sizeBytes)
    ) {
      best = variant;
    }
  }
  return best;
}

function describe(
  verdict: FitVerdict,
  vram: number,
  ram: number,
  gpuLayers: number | null,
  totalLayers: number | null,
  contextSize: number,
  machine: MachineMemory,
): string {
  const context = `at ${String(contextSize)} tokens of context`;
  switch (verdict) {
    case 'gpu':
      return `Runs fully on the GPU ${context}: needs ${gb(vram)} of VRAM (${gb(machine.vramFreeBytes)} free) and ${gb(ram)} of RAM.`;
    case 'partial':
      return `Partly on the GPU ${context}: ${gpuLayers === null || totalLayers === null ? 'some' : `${String(gpuLayers)} of ${String(totalLayers)}`} layers in ${gb(vram)} of VRAM (${gb(machine.vramFreeBytes)} free), the rest in ${gb(ram)} of RAM. Slower than all-GPU.`;
    case 'cpu':
      return `Runs on the CPU ${context}: needs ${gb(ram)} of RAM (${gb(machine.ramFreeBytes)} free).${machine.gpu === false ? ' No GPU backend is available.' : ''}`;
    case 'no-fit':
      return `Will not fit ${context}: needs ${gb(vram + ram)} of memory; ${gb(machine.vramFreeBytes)} VRAM and ${gb(machine.ramFreeBytes)} RAM are free. Pick a smaller model or quantization.`;
  }
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}
