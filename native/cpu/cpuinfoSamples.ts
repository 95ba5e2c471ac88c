// /proc/cpuinfo excerpts from real machine shapes, trimmed to the lines the parser reads, for tests.

function processor(index: number, fields: Record<string, string>): string {
  const lines = [`processor\t: ${String(index)}`, 'vendor_id\t: GenuineIntel', 'model name\t: Test CPU @ 3.00GHz'];
  for (const [key, value] of Object.entries(fields)) lines.push(`${key}\t\t: ${value}`);
  return lines.join('\n') + '\n\n';
}

const avx2Flags = 'fpu vme de pse tsc msr pae mce cx8 apic sse sse2 ht syscall nx lm pni ssse3 fma sse4_1 sse4_2 avx f16c avx2 bmi1 bmi2';
const noAvx2Flags = 'fpu vme de pse tsc msr pae mce cx8 apic sse sse2 ht syscall nx lm pni ssse3 sse4_1 sse4_2 avx';

/** One socket, 4 cores with hyper-threading: 8 processors, core ids 0-3 twice. */
export const intelHyperThreaded = Array.from({ length: 8 }, (_, i) =>
  processor(i, { 'physical id': '0', 'core id': String(i % 4), flags: avx2Flags }),
).join('');

/** Two sockets of 2 cores each: core ids repeat per socket, so only (physical id, core id) is unique. */
export const dualSocket = Array.from({ length: 4 }, (_, i) =>
  processor(i, { 'physical id': String(Math.floor(i / 2)), 'core id': String(i % 2), flags: noAvx2Flags }),
).join('');

/** A small VM whose kernel reports core ids but no physical id, and an older CPU without AVX2. */
export const vmWithoutPhysicalId = Array.from({ length: 2 }, (_, i) => processor(i, { 'core id': String(i), flags: noAvx2Flags })).join('');

/** An ARM board: no core ids and `Features` instead of `flags`. */
export const armBoard = Array.from(
  { length: 4 },
  (_, i) => `processor\t: ${String(i)}\nBogoMIPS\t: 108.00\nFeatures\t: fp asimd evtstrm crc32 cpuid\nCPU implementer\t: 0x41\n\n`,
).join('');
