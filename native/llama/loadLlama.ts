// Loads llama.cpp (node-llama-cpp) on the compute backend the user chose in Settings, or the best one
// this machine supports for 'auto', and explains the outcome in words for the System page. It never
// compiles llama.cpp at run time (the app is offline and a build takes many minutes): only the
// prebuilt binaries shipped with the app are tried. A GPU backend that fails falls back to CPU, with
// the cause in the report; only when even CPU fails does loading fail.
import type { Llama, LlamaGpuType, LlamaOptions } from 'node-llama-cpp';
import type { ComputePreference } from '../../common/settings/settingsSchema';
import type { ComputeReport } from '../../common/system/systemInfoSchema';
import { raceAbort } from '../abort/raceAbort';
import { throwIfAborted } from '../abort/throwIfAborted';
import { physicalCoreCount } from '../cpu/physicalCoreCount';
import { LlamaBinaryUnavailableError } from '../errors/LlamaBinaryUnavailableError';

export type ReadyComputeReport = Extract<ComputeReport, { status: 'ready' }>;

/** The part of node-llama-cpp loadLlama uses; tests substitute a fake. */
export interface LlamaBindings {
  getLlama(options: LlamaOptions): Promise<Llama>;
  getLlamaGpuTypes(include: 'supported' | 'allValid'): Promise<LlamaGpuType[]>;
}

export interface LoadLlamaOptions {
  readonly preference: ComputePreference;
  readonly signal?: AbortSignal;
  /** Where llama.cpp warnings and errors go once loading is done; console by default. */
  readonly onLog?: (level: 'warn' | 'error', message: string) => void;
  /** Replaces the import of node-llama-cpp, for tests. */
  readonly loadBindings?: () => Promise<LlamaBindings>;
  /** Replaces physicalCoreCount, for tests. */
  readonly physicalCoreCount?: () => number;
}

export interface LoadedLlama {
  readonly llama: Llama;
  readonly report: ReadyComputeReport;
  dispose(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

type GpuBackend = Exclude<ComputePreference, 'auto' | 'cpu'>;

const backendNames: Record<GpuBackend | 'cpu', string> = { cuda: 'CUDA', vulkan: 'Vulkan', metal: 'Metal', cpu: 'CPU' };
const what = 'Loading llama.cpp';

export async function loadLlama(options: LoadLlamaOptions): Promise<LoadedLlama> {
  const { preference, signal } = options;
  throwIfAborted(signal, what);
  const bindings = await importBindings(options.loadBindings);
  throwIfAborted(signal, what);
  const threads = (options.physicalCoreCount ?? physicalCoreCount)();
  const log = new LoadLog(options.onLog);
  const failures: Failure[] = [];

  const attempt = async (gpu: GpuBackend | false): Promise<Llama | null> => {
    log.startAttempt();
    try {
      const load = bindings.getLlama({
        gpu,
        build: 'never',
        progressLogs: false,
        logger: log.logger,
        ...(gpu === false ? { maxThreads: threads } : {}),
      });
      return await raceAbort(load, signal, what, (llama) => llama.dispose());
    } catch (error) {
      if (signal?.aborted === true) throw error;
      failures.push({ backend: gpu === false ? 'cpu' : gpu, cause: describeFailure(error, log.attemptMessages()) });
      return null;
    }
  };

  const usingCpu = `using CPU with ${String(threads)} threads (physical cores)`;
  let llama: Llama | null = null;
  // Written once the outcome is known; GPU wordings name the devices, read after loading.
  let explain: (devices: string) => string;

  if (preference === 'cpu') {
    explain = () => `CPU was selected in Settings; ${usingCpu}.`;
    llama = await attempt(false);
  } else if (preference === 'auto') {
    const supported = await supportedGpus(bindings, signal);
    for (const gpu of supported) {
      llama = await attempt(gpu);
      if (llama !== null) break;
    }
    if (llama !== null) {
      const chosen = backendNames[llama.gpu === false ? 'cpu' : llama.gpu];
      const note = failureNote(failures);
      explain = (devices) => `Auto: ${listNames(supported, 'and')} support detected on this machine; using ${chosen}${devices}${note}.`;
    } else if (supported.length === 0) {
      const possible = await raceAbort(validGpus(bindings), signal, what, () => Promise.resolve());
      explain = () => `Auto: no ${listNames(possible, 'or')} support detected on this machine; ${usingCpu}.`;
      llama = await attempt(false);
    } else {
      const note = failureNote(failures);
      explain = () => `Auto: ${listNames(supported, 'and')} support detected but could not be loaded${note}; ${usingCpu}.`;
      llama = await attempt(false);
    }
  } else {
    llama = await attempt(preference);
    if (llama !== null) {
      explain = (devices) => `${backendNames[preference]} was selected in Settings and loaded${devices}.`;
    } else {
      const cause = failures.at(-1)?.cause ?? 'unknown error';
      explain = () => `${backendNames[preference]} was requested in Settings but could not be loaded: ${cause}. ${capitalize(usingCpu)}.`;
      llama = await attempt(false);
    }
  }

  if (llama === null) {
    log.finish(false);
    throw new LlamaBinaryUnavailableError(failures.map((failure) => `${backendNames[failure.backend]}: ${failure.cause}`));
  }
  const loaded = llama;
  try {
    const report = await raceAbort(reportFor(loaded, explain, threads), signal, what, () => Promise.resolve());
    log.finish(true);
    let disposed: Promise<void> | null = null;
    const dispose = (): Promise<void> => (disposed ??= loaded.dispose());
    return { llama: loaded, report, dispose, [Symbol.asyncDispose]: dispose };
  } catch (error) {
    log.finish(false);
    await loaded.dispose();
    throw error;
  }
}

interface Failure {
  readonly backend: GpuBackend | 'cpu';
  readonly cause: string;
}

// A failed probe is no reason to fail: it just means no GPU was detected.
async function supportedGpus(bindings: LlamaBindings, signal: AbortSignal | undefined): Promise<GpuBackend[]> {
  const types = await raceAbort(
    bindings.getLlamaGpuTypes('supported').catch((): LlamaGpuType[] => []),
    signal,
    what,
    () => Promise.resolve(),
  );
  return types.filter(isGpu);
}

// The GPU backends this OS could have, to say which ones were looked for.
async function validGpus(bindings: LlamaBindings): Promise<GpuBackend[]> {
  const types = (await bindings.getLlamaGpuTypes('allValid').catch((): LlamaGpuType[] => [])).filter(isGpu);
  return types.length > 0 ? types : ['cuda', 'vulkan', 'metal'];
}

function failureNote(failures: readonly Failure[]): string {
  if (failures.length === 0) return '';
  return ` (${failures.map((failure) => `${backendNames[failure.backend]} could not be loaded: ${failure.cause}`).join('; ')})`;
}

async function importBindings(loadBindings: (() => Promise<LlamaBindings>) | undefined): Promise<LlamaBindings> {
  try {
    return await (loadBindings ?? (() => import('node-llama-cpp')))();
  } catch (error) {
    throw new LlamaBinaryUnavailableError([`node-llama-cpp could not be imported: ${errorMessage(error)}`], { cause: error });
  }
}

async function reportFor(llama: Llama, explain: (devices: string) => string, cpuThreads: number): Promise<ReadyComputeReport> {
  if (llama.gpu === false) {
    return { status: 'ready', backend: 'cpu', reason: explain(''), gpuNames: [], vram: null, threads: cpuThreads };
  }
  const [gpuNames, vram] = await Promise.all([llama.getGpuDeviceNames(), llama.getVramState()]);
  return {
    status: 'ready',
    backend: llama.gpu,
    reason: explain(gpuNames.length > 0 ? ` on ${gpuNames.join(', ')}` : ''),
    gpuNames,
    vram: { totalBytes: vram.total, freeBytes: vram.free },
    // With a GPU node-llama-cpp sets no thread limit and each context uses cpuMathCores threads.
    threads: Math.max(1, llama.maxThreads > 0 ? llama.maxThreads : llama.cpuMathCores),
  };
}

function isGpu(type: LlamaGpuType): type is GpuBackend {
  return type !== false;
}

function listNames(types: readonly GpuBackend[], conjunction: 'and' | 'or'): string {
  const names = types.map((type) => backendNames[type]);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} ${conjunction} ${names.at(-1) ?? ''}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// node-llama-cpp's NoBinaryFoundError carries only its class name as message; say what it means.
function describeFailure(error: unknown, llamaMessages: readonly string[]): string {
  let text: string;
  if (error instanceof Error && /^(NoBinaryFoundError)?$/.test(error.message.trim())) {
    text = 'no working prebuilt binary was found for it; its drivers or runtime libraries may be missing';
  } else {
    text = errorMessage(error);
  }
  const said = llamaMessages.at(-1);
  return said === undefined ? text : `${text} (llama.cpp: ${said})`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// Collects llama.cpp's warnings and errors while a backend loads, so a failure can quote them, and
// forwards them afterwards: the Llama keeps this logger for its whole life.
class LoadLog {
  private attempt: { level: 'warn' | 'error'; text: string }[] = [];
  private loading = true;

  constructor(private readonly onLog: LoadLlamaOptions['onLog']) {}

  readonly logger = (level: string, message: string): void => {
    const severity = level === 'error' || level === 'fatal' ? 'error' : level === 'warn' ? 'warn' : null;
    if (severity === null) return;
    const text = message.trim();
    if (this.loading) this.attempt.push({ level: severity, text });
    else if (this.onLog !== undefined) this.onLog(severity, text);
    else if (severity === 'error') console.error(`[llama.cpp] ${text}`);
    else console.warn(`[llama.cpp] ${text}`);
  };

  startAttempt(): void {
    this.attempt = [];
  }

  attemptMessages(): readonly string[] {
    return this.attempt.map((message) => message.text);
  }

  /** Ends collection; after a success, passes on what the winning backend said while loading. */
  finish(succeeded: boolean): void {
    this.loading = false;
    if (succeeded) for (const message of this.attempt.splice(0)) this.logger(message.level, message.text);
  }
}
