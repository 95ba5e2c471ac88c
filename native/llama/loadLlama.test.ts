import { getLlamaGpuTypes, LlamaLogLevel } from 'node-llama-cpp';
import type { Llama, LlamaGpuType, LlamaOptions } from 'node-llama-cpp';
import { describe, expect, it, vi } from 'vitest';
import { computeReportSchema } from '../../common/system/systemInfoSchema';
import { physicalCoreCount } from '../cpu/physicalCoreCount';
import { AbortError } from '../errors/AbortError';
import { LlamaBinaryUnavailableError } from '../errors/LlamaBinaryUnavailableError';
import { loadLlama } from './loadLlama';
import type { LlamaBindings } from './loadLlama';

// A stand-in for node-llama-cpp's Llama with just what loadLlama reads.
class FakeLlama {
  disposeCalls = 0;
  readonly cpuMathCores = 6;
  maxThreads: number;

  constructor(
    readonly gpu: LlamaGpuType,
    options: LlamaOptions,
    private readonly devices: string[] = [],
  ) {
    this.maxThreads = options.maxThreads ?? 0;
  }

  getGpuDeviceNames(): Promise<string[]> {
    return Promise.resolve(this.devices);
  }

  getVramState(): Promise<{ total: number; used: number; free: number; unifiedSize: number }> {
    return Promise.resolve({ total: 8e9, used: 1e9, free: 7e9, unifiedSize: 0 });
  }

  dispose(): Promise<void> {
    this.disposeCalls++;
    return Promise.resolve();
  }
}

type Outcome = FakeLlama | Error | Promise<FakeLlama>;

function fakeBindings(machine: {
  supported: LlamaGpuType[];
  allValid?: LlamaGpuType[];
  load: (options: LlamaOptions) => Outcome;
}): LlamaBindings & { calls: LlamaOptions[] } {
  const calls: LlamaOptions[] = [];
  return {
    calls,
    getLlamaGpuTypes: (include) =>
      Promise.resolve(include === 'supported' ? machine.supported : (machine.allValid ?? ['cuda', 'vulkan', false])),
    getLlama: async (options) => {
      calls.push(options);
      const outcome = machine.load(options);
      if (outcome instanceof Error) throw outcome;
      return (await outcome) as unknown as Llama;
    },
  };
}

// What node-llama-cpp throws when no binary of the asked kind works.
class NoBinaryFoundError extends Error {
  constructor() {
    super('NoBinaryFoundError');
  }
}

const withBindings = (bindings: LlamaBindings) => ({ loadBindings: () => Promise.resolve(bindings), physicalCoreCount: () => 3 });

describe('loadLlama on this machine', () => {
  it('loads the CPU backend with one thread per physical core', async () => {
    await using loaded = await loadLlama({ preference: 'cpu' });
    const threads = physicalCoreCount();
    expect(loaded.report).toEqual({
      status: 'ready',
      backend: 'cpu',
      reason: `CPU was selected in Settings; using CPU with ${String(threads)} threads (physical cores).`,
      gpuNames: [],
      vram: null,
      threads,
    });
    expect(loaded.llama.gpu).toBe(false);
    expect(loaded.llama.maxThreads).toBe(threads);
    expect(computeReportSchema.safeParse(loaded.report).success).toBe(true);
  });

  it('explains what auto chose', async () => {
    const gpus = (await getLlamaGpuTypes('supported')).filter((type) => type !== false);
    const loaded = await loadLlama({ preference: 'auto' });
    try {
      if (gpus.length === 0) {
        expect(loaded.report.backend).toBe('cpu');
        expect(loaded.report.reason).toMatch(
          /^Auto: no [\w ,]+ support detected on this machine; using CPU with \d+ threads \(physical cores\)\.$/,
        );
      } else {
        expect(loaded.report.reason).toMatch(/^Auto: .* support detected/);
      }
    } finally {
      await loaded.dispose();
    }
    expect(loaded.llama.disposed).toBe(true);
  });

  it.skipIf(process.platform === 'darwin')('falls back to CPU when CUDA cannot be loaded, and says why', async () => {
    const supported = await getLlamaGpuTypes('supported');
    if (supported.includes('cuda')) return; // a CUDA machine: nothing to fall back from
    await using loaded = await loadLlama({ preference: 'cuda' });
    expect(loaded.report.backend).toBe('cpu');
    expect(loaded.report.reason).toMatch(
      /^CUDA was requested in Settings but could not be loaded: .+\. Using CPU with \d+ threads \(physical cores\)\.$/,
    );
  });
});

describe('loadLlama', () => {
  it('never builds from source, hides build progress and limits CPU threads to physical cores', async () => {
    const bindings = fakeBindings({ supported: [false], load: (options) => new FakeLlama(false, options) });
    await using loaded = await loadLlama({ preference: 'cpu', ...withBindings(bindings) });
    expect(bindings.calls).toHaveLength(1);
    expect(bindings.calls[0]).toMatchObject({ gpu: false, build: 'never', progressLogs: false, maxThreads: 3 });
    expect(loaded.report.threads).toBe(3);
  });

  it('reports the GPU, its devices and VRAM when the requested backend loads', async () => {
    const bindings = fakeBindings({
      supported: ['vulkan', false],
      load: (options) => new FakeLlama(options.gpu === 'vulkan' ? 'vulkan' : false, options, ['AMD Radeon RX 7600']),
    });
    await using loaded = await loadLlama({ preference: 'vulkan', ...withBindings(bindings) });
    expect(loaded.report).toEqual({
      status: 'ready',
      backend: 'vulkan',
      reason: 'Vulkan was selected in Settings and loaded on AMD Radeon RX 7600.',
      gpuNames: ['AMD Radeon RX 7600'],
      vram: { totalBytes: 8e9, freeBytes: 7e9 },
      threads: 6,
    });
    expect(bindings.calls[0]).toMatchObject({ gpu: 'vulkan', build: 'never' });
    expect(bindings.calls[0]).not.toHaveProperty('maxThreads');
  });

  it('falls back to CPU, quoting the cause, when the requested GPU backend fails', async () => {
    const bindings = fakeBindings({
      supported: [false],
      load: (options) =>
        options.gpu === false ? new FakeLlama(false, options) : new Error('libcudart.so.12: cannot open shared object file'),
    });
    await using loaded = await loadLlama({ preference: 'cuda', ...withBindings(bindings) });
    expect(loaded.report.backend).toBe('cpu');
    expect(loaded.report.reason).toBe(
      'CUDA was requested in Settings but could not be loaded: libcudart.so.12: cannot open shared object file. ' +
        'Using CPU with 3 threads (physical cores).',
    );
    expect(bindings.calls.map((call) => call.gpu)).toEqual(['cuda', false]);
  });

  it('explains node-llama-cpp’s bare NoBinaryFoundError and quotes what llama.cpp logged', async () => {
    const bindings = fakeBindings({
      supported: [false],
      load: (options) => {
        if (options.gpu === false) return new FakeLlama(false, options);
        options.logger?.(LlamaLogLevel.error, 'ggml_metal_init: error: failed to allocate buffer\n');
        return new NoBinaryFoundError();
      },
    });
    await using loaded = await loadLlama({ preference: 'metal', ...withBindings(bindings) });
    expect(loaded.report.reason).toBe(
      'Metal was requested in Settings but could not be loaded: no working prebuilt binary was found for it; its drivers or ' +
        'runtime libraries may be missing (llama.cpp: ggml_metal_init: error: failed to allocate buffer). Using CPU with 3 threads (physical cores).',
    );
  });

  describe('auto', () => {
    it('says no GPU support was found and uses CPU without trying a GPU', async () => {
      const bindings = fakeBindings({
        supported: [false],
        allValid: ['cuda', 'vulkan', false],
        load: (options) => new FakeLlama(false, options),
      });
      await using loaded = await loadLlama({ preference: 'auto', ...withBindings(bindings) });
      expect(loaded.report.reason).toBe(
        'Auto: no CUDA or Vulkan support detected on this machine; using CPU with 3 threads (physical cores).',
      );
      expect(bindings.calls.map((call) => call.gpu)).toEqual([false]);
      expect(bindings.calls[0]?.maxThreads).toBe(3);
    });

    it('tries the supported GPUs best first and says which one won and why the others did not', async () => {
      const bindings = fakeBindings({
        supported: ['cuda', 'vulkan', false],
        load: (options) =>
          options.gpu === 'cuda'
            ? new Error('CUDA driver version is insufficient')
            : new FakeLlama('vulkan', options, ['NVIDIA GeForce GTX 1060']),
      });
      await using loaded = await loadLlama({ preference: 'auto', ...withBindings(bindings) });
      expect(loaded.report.backend).toBe('vulkan');
      expect(loaded.report.reason).toBe(
        'Auto: CUDA and Vulkan support detected on this machine; using Vulkan on NVIDIA GeForce GTX 1060 ' +
          '(CUDA could not be loaded: CUDA driver version is insufficient).',
      );
      expect(bindings.calls.map((call) => call.gpu)).toEqual(['cuda', 'vulkan']);
    });

    it('falls back to CPU when every detected GPU fails', async () => {
      const bindings = fakeBindings({
        supported: ['metal', false],
        allValid: ['metal', false],
        load: (options) => (options.gpu === false ? new FakeLlama(false, options) : new Error('MTLCreateSystemDefaultDevice returned nil')),
      });
      await using loaded = await loadLlama({ preference: 'auto', ...withBindings(bindings) });
      expect(loaded.report).toMatchObject({ backend: 'cpu', vram: null, gpuNames: [], threads: 3 });
      expect(loaded.report.reason).toBe(
        'Auto: Metal support detected but could not be loaded (Metal could not be loaded: MTLCreateSystemDefaultDevice returned nil); ' +
          'using CPU with 3 threads (physical cores).',
      );
    });
  });

  it('throws LlamaBinaryUnavailableError listing every attempt when even CPU fails', async () => {
    const bindings = fakeBindings({
      supported: [false],
      load: (options) => new Error(`no ${typeof options.gpu === 'string' ? options.gpu : 'cpu'} binary`),
    });
    const error = await loadLlama({ preference: 'vulkan', ...withBindings(bindings) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlamaBinaryUnavailableError);
    expect((error as LlamaBinaryUnavailableError).name).toBe('LlamaBinaryUnavailableError');
    expect((error as LlamaBinaryUnavailableError).details).toEqual(['Vulkan: no vulkan binary', 'CPU: no cpu binary']);
    expect((error as Error).message).toMatch(/Reinstall CodeSage/);
  });

  it('throws LlamaBinaryUnavailableError when node-llama-cpp cannot be imported', async () => {
    const error = await loadLlama({
      preference: 'auto',
      loadBindings: () => Promise.reject(new Error("Cannot find package 'node-llama-cpp'")),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlamaBinaryUnavailableError);
    expect((error as LlamaBinaryUnavailableError).details).toEqual([
      "node-llama-cpp could not be imported: Cannot find package 'node-llama-cpp'",
    ]);
  });

  describe('cancellation', () => {
    it('does not start when the signal is already aborted', async () => {
      const loadBindings = vi.fn(() => Promise.resolve(fakeBindings({ supported: [false], load: (o) => new FakeLlama(false, o) })));
      const error = await loadLlama({ preference: 'cpu', signal: AbortSignal.abort(), loadBindings }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortError);
      expect((error as Error).name).toBe('AbortError');
      expect(loadBindings).not.toHaveBeenCalled();
    });

    it('stops waiting when aborted mid-load and disposes the Llama that arrives later', async () => {
      const controller = new AbortController();
      let finishLoad: (llama: FakeLlama) => void = () => undefined;
      let created: FakeLlama | null = null;
      const bindings = fakeBindings({
        supported: [false],
        load: (options) => {
          created = new FakeLlama(false, options);
          return new Promise<FakeLlama>((resolve) => (finishLoad = resolve));
        },
      });
      const loading = loadLlama({ preference: 'cpu', signal: controller.signal, ...withBindings(bindings) });
      await vi.waitFor(() => {
        expect(bindings.calls).toHaveLength(1);
      });
      controller.abort();
      await expect(loading).rejects.toThrow(AbortError);
      const llama = created as FakeLlama | null;
      if (llama === null) throw new Error('not created');
      finishLoad(llama);
      await vi.waitFor(() => {
        expect(llama.disposeCalls).toBe(1);
      });
      expect(bindings.calls).toHaveLength(1); // no fallback attempt after an abort
    });

    it('does not fall back to CPU after a GPU attempt that was aborted', async () => {
      const controller = new AbortController();
      const bindings = fakeBindings({
        supported: ['cuda', false],
        load: () => {
          controller.abort();
          return new Error('aborted while loading');
        },
      });
      await expect(loadLlama({ preference: 'cuda', signal: controller.signal, ...withBindings(bindings) })).rejects.toThrow(AbortError);
      expect(bindings.calls).toHaveLength(1);
    });
  });

  it('passes llama.cpp warnings to onLog after loading, including those from the load itself', async () => {
    const logged: [string, string][] = [];
    let logger: LlamaOptions['logger'];
    const bindings = fakeBindings({
      supported: [false],
      load: (options) => {
        logger = options.logger;
        options.logger?.(LlamaLogLevel.warn, 'llama_context: n_ctx_per_seq < n_ctx_train\n');
        options.logger?.(LlamaLogLevel.info, 'not interesting');
        return new FakeLlama(false, options);
      },
    });
    await using _loaded = await loadLlama({
      preference: 'cpu',
      onLog: (level, text) => logged.push([level, text]),
      ...withBindings(bindings),
    });
    logger?.(LlamaLogLevel.error, 'ggml: out of memory');
    expect(logged).toEqual([
      ['warn', 'llama_context: n_ctx_per_seq < n_ctx_train'],
      ['error', 'ggml: out of memory'],
    ]);
  });

  it('disposes the Llama once, however often dispose is called', async () => {
    let created: FakeLlama | null = null;
    const bindings = fakeBindings({ supported: [false], load: (options) => (created = new FakeLlama(false, options)) });
    const loaded = await loadLlama({ preference: 'cpu', ...withBindings(bindings) });
    await loaded.dispose();
    await loaded[Symbol.asyncDispose]();
    expect((created as FakeLlama | null)?.disposeCalls).toBe(1);
  });
});
