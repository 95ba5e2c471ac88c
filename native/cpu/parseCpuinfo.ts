// Reads the two facts we need from Linux /proc/cpuinfo text: how many physical cores there are and
// which instruction-set flags the CPU has. Pure, so tests can feed it samples from other machines.

export interface CpuinfoSummary {
  /** Unique (physical id, core id) pairs; null when the file has no core ids (many ARM kernels, some VMs). */
  readonly physicalCores: number | null;
  /** The x86 `flags` of the first processor, e.g. `avx2`; null when there is no flags line (non-x86). */
  readonly flags: ReadonlySet<string> | null;
}

export function parseCpuinfo(text: string): CpuinfoSummary {
  const cores = new Set<string>();
  let flags: Set<string> | null = null;
  let physicalId: string | null = null;
  let coreId: string | null = null;

  const endProcessor = (): void => {
    // Single-socket VMs often omit "physical id"; their core ids are still unique within the one socket.
    if (coreId !== null) cores.add(`${physicalId ?? '0'}:${coreId}`);
    physicalId = null;
    coreId = null;
  };

  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) {
      if (line.trim() === '') endProcessor();
      continue;
    }
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'processor') {
      endProcessor();
    } else if (key === 'physical id') {
      physicalId = value;
    } else if (key === 'core id') {
      coreId = value;
    } else if (key === 'flags' && flags === null) {
      flags = new Set(value.split(/\s+/).filter((flag) => flag !== ''));
    }
  }
  endProcessor();

  return { physicalCores: cores.size > 0 ? cores.size : null, flags };
}
