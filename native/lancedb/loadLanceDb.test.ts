import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LanceDbUnavailableError } from '../errors/LanceDbUnavailableError';
import { LanceDbUnsupportedCpuError } from '../errors/LanceDbUnsupportedCpuError';
import { loadLanceDb } from './loadLanceDb';

describe('loadLanceDb', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'codesage-lancedb-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads LanceDB that can store vectors and find the nearest ones', async () => {
    const lancedb = await loadLanceDb();
    const db = await lancedb.connect(dir);
    try {
      const table = await db.createTable('chunks', [
        { path: 'src/a.ts', vector: [1, 0, 0, 0] },
        { path: 'src/b.ts', vector: [0, 1, 0, 0] },
        { path: 'src/c.ts', vector: [0, 0, 1, 0] },
        { path: 'src/d.ts', vector: [0.8, 0.2, 0, 0] },
      ]);
      try {
        expect(await table.countRows()).toBe(4);
        const rows = (await table.vectorSearch([0.85, 0.15, 0, 0]).limit(2).toArray()) as { path: string; _distance: number }[];
        expect(rows.map((row) => row.path)).toEqual(['src/d.ts', 'src/a.ts']);
        // The default metric is squared L2: d is 2·0.05² = 0.005 away, a is 2·0.15² = 0.045.
        expect(rows[0]?._distance).toBeCloseTo(0.005, 5);
        expect(rows[1]?._distance).toBeCloseTo(0.045, 5);
        const far = (await table.vectorSearch([0, 0, 1, 0]).limit(1).toArray()) as { path: string }[];
        expect(far[0]?.path).toBe('src/c.ts');
      } finally {
        table.close();
      }
      expect(await db.tableNames()).toEqual(['chunks']);
    } finally {
      db.close();
    }
  });

  it('refuses, without importing, on an x64 CPU without AVX2', async () => {
    const importLanceDb = vi.fn(() => import('@lancedb/lancedb'));
    const error = await loadLanceDb({ cpuSupportsAvx2: () => false, importLanceDb }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LanceDbUnsupportedCpuError);
    expect((error as Error).name).toBe('LanceDbUnsupportedCpuError');
    expect((error as Error).message).toMatch(
      /^LanceDB needs a CPU with AVX2 .* repository search is unavailable on this machine; chat and review still work\.$/,
    );
    expect(importLanceDb).not.toHaveBeenCalled();
  });

  it('loads when AVX2 support is unknown', async () => {
    const lancedb = await loadLanceDb({ cpuSupportsAvx2: () => null });
    expect(typeof lancedb.connect).toBe('function');
  });

  it('wraps an import failure in LanceDbUnavailableError', async () => {
    const cause = new Error('libc.musl-x86_64.so.1: cannot open shared object file');
    const error = await loadLanceDb({ cpuSupportsAvx2: () => true, importLanceDb: () => Promise.reject(cause) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LanceDbUnavailableError);
    expect((error as Error).cause).toBe(cause);
    expect((error as Error).message).toContain('libc.musl-x86_64.so.1');
    expect((error as Error).message).toMatch(/chat and review still work/);
  });
});
