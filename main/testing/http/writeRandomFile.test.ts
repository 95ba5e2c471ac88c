import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeRandomFile } from './writeRandomFile';

describe('writeRandomFile', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codesage-random-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes exactly the asked size and reports the sha256 of what is on disk', async () => {
    const info = await writeRandomFile(join(dir, 'nested', 'a.bin'), 1_000_003, { seed: 7 });
    const bytes = await readFile(info.path);
    expect(bytes.length).toBe(1_000_003);
    expect(info.sizeBytes).toBe(1_000_003);
    expect(info.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('gives the same bytes for the same seed whatever the chunk size, and other bytes for another seed', async () => {
    const a = await writeRandomFile(join(dir, 'b1.bin'), 100_001, { seed: 3 });
    const b = await writeRandomFile(join(dir, 'b2.bin'), 100_001, { seed: 3, chunkBytes: 4096 });
    const c = await writeRandomFile(join(dir, 'b3.bin'), 100_001, { seed: 4 });
    expect(b.sha256).toBe(a.sha256);
    expect(c.sha256).not.toBe(a.sha256);
  });

  it('looks random: no long runs of one byte value and every value appears', async () => {
    const info = await writeRandomFile(join(dir, 'c.bin'), 65_536);
    const bytes = await readFile(info.path);
    expect(new Set(bytes).size).toBe(256);
    let longestRun = 0;
    for (let i = 0, run = 0; i < bytes.length; i++) {
      run = i > 0 && bytes[i] === bytes[i - 1] ? run + 1 : 1;
      longestRun = Math.max(longestRun, run);
    }
    expect(longestRun).toBeLessThan(6);
  });

  it('writes an empty file and rejects a bad size', async () => {
    const info = await writeRandomFile(join(dir, 'empty.bin'), 0);
    expect((await readFile(info.path)).length).toBe(0);
    expect(info.sha256).toBe(createHash('sha256').digest('hex'));
    await expect(writeRandomFile(join(dir, 'bad.bin'), -1)).rejects.toThrow(RangeError);
  });
});
