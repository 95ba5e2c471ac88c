// Reports the machine to the UI: CPU, memory and the llama.cpp compute backend. Detection loads
// node-llama-cpp once (about half a second on CPU) and is redone when the user changes the compute
// preference. The loaded Llama is kept: the chat engine will run on the same instance.
import { cpus, freemem, totalmem } from 'node:os';
import { Emitter } from '../../../common/base/Emitter';
import type { Disposable, Event } from '../../../common/base/Emitter';
import type { ComputePreference } from '../../../common/settings/settingsSchema';
import type { ComputeReport, SystemInfo } from '../../../common/system/systemInfoSchema';
import { serializeError } from '../../../common/api/ApiError';
import type { LoadedLlama, LoadLlamaOptions } from '../../../native/llama/loadLlama';
import type { SettingsService } from '../settings/SettingsService';

export interface SystemServiceOptions {
  readonly settings: SettingsService;
  readonly loadLlama: (options: LoadLlamaOptions) => Promise<LoadedLlama>;
  readonly physicalCoreCount: () => number;
  readonly cpuSupportsAvx2: () => boolean | null;
}

interface Detection {
  readonly preference: ComputePreference;
  readonly controller: AbortController;
  readonly done: Promise<LoadedLlama | null>;
  report: ComputeReport;
}

export class SystemService {
  private detection: Detection | null = null;
  private readonly changed = new Emitter<SystemInfo>();
  readonly onDidChange: Event<SystemInfo> = this.changed.event;
  private readonly settingsSubscription: Disposable;
  private readonly physicalCores: number;
  private readonly avx2: boolean | null;

  constructor(private readonly options: SystemServiceOptions) {
    this.physicalCores = options.physicalCoreCount();
    this.avx2 = options.cpuSupportsAvx2();
    this.settingsSubscription = options.settings.onDidChange((settings) => {
      if (settings.compute.backend !== this.detection?.preference) this.detect(settings.compute.backend);
    });
  }

  /** Machine facts as of now; `compute` may still be `detecting`. */
  snapshot(): SystemInfo {
    const cpuList = cpus();
    return {
      platform: process.platform,
      arch: process.arch,
      cpu: {
        model: cpuList[0]?.model.trim() ?? 'unknown CPU',
        logicalCores: Math.max(1, cpuList.length),
        physicalCores: this.physicalCores,
        avx2: this.avx2,
      },
      memory: { totalBytes: totalmem(), freeBytes: freemem() },
      compute: this.detection?.report ?? { status: 'detecting' },
    };
  }

  /** Waits for compute detection (starting it if needed) and reports the machine. */
  async getSystemInfo(): Promise<SystemInfo> {
    const detection = this.detection ?? this.detect(this.options.settings.get().compute.backend);
    await detection.done;
    return this.snapshot();
  }

  /** The loaded llama.cpp runtime, for the chat engine; null when detection failed. */
  async getLlama(): Promise<LoadedLlama | null> {
    const detection = this.detection ?? this.detect(this.options.settings.get().compute.backend);
    return detection.done;
  }

  /** Stops detection and releases llama.cpp; resolves once it is unloaded. */
  async dispose(): Promise<void> {
    this.settingsSubscription.dispose();
    this.changed.dispose();
    const detection = this.detection;
    this.detection = null;
    if (detection !== null) await this.release(detection);
  }

  private detect(preference: ComputePreference): Detection {
    const previous = this.detection;
    if (previous !== null) void this.release(previous);
    const controller = new AbortController();
    const detection: Detection = {
      preference,
      controller,
      report: { status: 'detecting' },
      done: this.options
        .loadLlama({ preference, signal: controller.signal })
        .then(
          (loaded) => {
            detection.report = loaded.report;
            return loaded;
          },
          (error: unknown) => {
            const { name, message } = serializeError(error);
            detection.report = { status: 'failed', errorName: name, message };
            return null;
          },
        )
        .then((loaded) => {
          if (this.detection === detection) this.changed.fire(this.snapshot());
          return loaded;
        }),
    };
    this.detection = detection;
    if (previous !== null) this.changed.fire(this.snapshot());
    return detection;
  }

  private async release(detection: Detection): Promise<void> {
    detection.controller.abort();
    const loaded = await detection.done;
    await loaded?.dispose();
  }
}
