// Loads LanceDB (the vector store behind repository search) on first use, after making sure the CPU
// can run it: its x64 native code is compiled for AVX2, and on an older CPU the import itself dies
// with an illegal instruction that no try/catch can stop. So the check comes BEFORE the import.
import { cpuSupportsAvx2 } from '../cpu/cpuSupportsAvx2';
import { LanceDbUnavailableError } from '../errors/LanceDbUnavailableError';
import { LanceDbUnsupportedCpuError } from '../errors/LanceDbUnsupportedCpuError';

export type LanceDb = typeof import('@lancedb/lancedb');

export interface LoadLanceDbOptions {
  /**
   * The AVX2 check; replaceable for tests. null (not x64, or unknown, as on Windows) lets the import
   * go ahead: refusing every machine we cannot inspect would take search away from almost everyone.
   */
  readonly cpuSupportsAvx2?: () => boolean | null;
  /** Replaces the import, for tests of the failure path. */
  readonly importLanceDb?: () => Promise<LanceDb>;
}

export async function loadLanceDb(options: LoadLanceDbOptions = {}): Promise<LanceDb> {
  if ((options.cpuSupportsAvx2 ?? cpuSupportsAvx2)() === false) throw new LanceDbUnsupportedCpuError();
  try {
    return await (options.importLanceDb ?? (() => import('@lancedb/lancedb')))();
  } catch (error) {
    throw new LanceDbUnavailableError(error);
  }
}
