import { afterEach, describe, expect, it } from 'vitest';
import type { SystemInfo } from '../../../common/system/systemInfoSchema';
import { createTestServices } from '../../testing/createTestServices';
import type { TestServices } from '../../testing/createTestServices';

let ctx: TestServices | undefined;
afterEach(async () => {
  await ctx?.cleanup();
  ctx = undefined;
});

describe('SystemService (real llama.cpp detection)', () => {
  it('reports the machine and the CPU backend with physical-core threads on this GPU-less machine', async () => {
    ctx = await createTestServices();
    expect(ctx.services.system.snapshot().compute.status).toBe('detecting');
    const info = await ctx.services.system.getSystemInfo();
    expect(info.memory.totalBytes).toBeGreaterThan(info.memory.freeBytes);
    expect(info.cpu.physicalCores).toBeGreaterThanOrEqual(1);
    expect(info.compute).toMatchObject({ status: 'ready', backend: 'cpu', vram: null, threads: info.cpu.physicalCores });
    expect(info.compute.status === 'ready' ? info.compute.reason : '').toMatch(/CPU/);
  });

  it('re-detects when the compute preference changes and explains a forced backend that cannot load', async () => {
    ctx = await createTestServices();
    await ctx.services.system.getSystemInfo();
    const changed = new Promise<SystemInfo>((resolve) => {
      ctx?.services.system.onDidChange((info) => {
        if (info.compute.status !== 'detecting') resolve(info);
      });
    });
    ctx.services.settings.update({ compute: { backend: 'cuda' } });
    const info = await changed;
    expect(info.compute.status).toBe('ready');
    if (info.compute.status !== 'ready') return;
    expect(info.compute.backend).toBe('cpu');
    expect(info.compute.reason).toMatch(/CUDA/);
  });
});
