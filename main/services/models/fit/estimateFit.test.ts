// Will-it-fit on real GGUF headers: read from disk and over HTTP range requests (from a loopback
// server, without downloading the model), against made-up machines.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyLlamaGguf } from '../../../testing/gguf/writeTinyLlamaGguf';
import type { TinyLlamaInfo } from '../../../testing/gguf/writeTinyLlamaGguf';
import { startFileServer } from '../../../testing/http/startFileServer';
import { estimateFitFromSize, estimateFitOf, recommendVariant } from './estimateFit';
import type { MachineMemory } from './estimateFit';

const GB = 1e9;
const cpuOnly: MachineMemory = { gpu: false, vramTotalBytes: 0, vramFreeBytes: 0, ramTotalBytes: 16 * GB, ramFreeBytes: 8 * GB };
const bigGpu: MachineMemory = {
  gpu: 'cuda',
  vramTotalBytes: 24 * GB,
  vramFreeBytes: 20 * GB,
  ramTotalBytes: 32 * GB,
  ramFreeBytes: 16 * GB,
};

describe('estimateFit', () => {
  let dir = '';
  let model: TinyLlamaInfo;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codesage-fit-'));
    model = await writeTinyLlamaGguf(join(dir, 'tiny.gguf'), { seed: 3, blockCount: 4 });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('puts every layer on a roomy GPU', async () => {
    const fit = await estimateFitOf(model.path, bigGpu);
    expect(fit).toMatchObject({ verdict: 'gpu', source: 'header', totalLayers: 5, gpuLayers: 5 });
    expect(fit.vramBytes).toBeGreaterThan(0);
    expect(fit.note).toContain('fully on the GPU');
  });

  it('says CPU only where there is no GPU backend', async () => {
    const fit = await estimateFitOf(model.path, cpuOnly);
    expect(fit).toMatchObject({ verdict: 'cpu', gpuLayers: 0, vramBytes: 0 });
    expect(fit.ramBytes).toBeGreaterThan(model.sizeBytes / 2);
  });

  it('says it will not fit when memory is short', async () => {
    const fit = await estimateFitOf(model.path, { ...cpuOnly, ramFreeBytes: 1024 });
    expect(fit.verdict).toBe('no-fit');
    expect(fit.note).toContain('smaller');
  });

  it('reads the header over HTTP range requests without downloading the model', async () => {
    // Big enough (about 9 MB) that reading the header is a small part of the file.
    const wide = await writeTinyLlamaGguf(join(dir, 'wide.gguf'), {
      seed: 4,
      blockCount: 2,
      embeddingLength: 512,
      feedForwardLength: 2048,
      weightType: 'F16',
    });
    await using server = await startFileServer({ files: { '/m.gguf': wide.path } });
    const fit = await estimateFitOf(server.url('/m.gguf'), cpuOnly);
    expect(fit).toMatchObject({ verdict: 'cpu', source: 'header', totalLayers: 3 });
    expect(server.bytesSent('/m.gguf')).toBeLessThan(wide.sizeBytes / 2);
  });

  it('falls back to the file size and says so', () => {
    expect(estimateFitFromSize(4 * GB, bigGpu, 32768)).toMatchObject({ verdict: 'gpu', source: 'catalog', contextSize: 8192 });
    expect(estimateFitFromSize(4 * GB, { ...bigGpu, vramFreeBytes: 2 * GB })).toMatchObject({ verdict: 'partial' });
    expect(estimateFitFromSize(4 * GB, cpuOnly)).toMatchObject({ verdict: 'cpu' });
    const none = estimateFitFromSize(40 * GB, cpuOnly);
    expect(none.verdict).toBe('no-fit');
    expect(none.note).toContain('header could not be read');
  });

  it('recommends the largest variant with the best verdict', () => {
    const variants = [
      { quant: 'Q4', sizeBytes: 4 * GB, fit: estimateFitFromSize(4 * GB, { ...bigGpu, vramFreeBytes: 6 * GB }) },
      { quant: 'Q5', sizeBytes: 5 * GB, fit: estimateFitFromSize(5 * GB, { ...bigGpu, vramFreeBytes: 6 * GB }) },
      { quant: 'Q8', sizeBytes: 8 * GB, fit: estimateFitFromSize(8 * GB, { ...bigGpu, vramFreeBytes: 6 * GB }) },
    ];
    expect(recommendVariant(variants)?.quant).toBe('Q5');
    expect(recommendVariant([{ quant: 'X', sizeBytes: 99 * GB, fit: estimateFitFromSize(99 * GB, cpuOnly) }])).toBeNull();
  });
});
