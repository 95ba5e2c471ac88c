// Whether the CPU has AVX2. LanceDB's x64 native code is built for AVX2 and dies with an illegal
// instruction without it, so we check before importing it.
import { nodeSystemProbe } from './nodeSystemProbe';
import { parseCpuinfo } from './parseCpuinfo';
import { parseSysctlFeatures } from './parseSysctlFeatures';
import type { SystemProbe } from './SystemProbe';

/**
 * true or false on x64 Linux and Intel macOS; null when the question does not apply (AVX2 is an x86
 * extension, so arm64 and others always give null) or cannot be answered (Windows, a failed probe).
 * Callers treat null as "go ahead".
 */
export function cpuSupportsAvx2(probe: SystemProbe = nodeSystemProbe): boolean | null {
  if (probe.arch !== 'x64') return null;
  try {
    switch (probe.platform) {
      case 'linux':
      case 'android': {
        const flags = parseCpuinfo(probe.readTextFile('/proc/cpuinfo')).flags;
        return flags === null ? null : flags.has('avx2');
      }
      case 'darwin':
        // AVX2 is reported in CPUID leaf 7, not in machdep.cpu.features.
        return parseSysctlFeatures(probe.runCommand('sysctl', ['-n', 'machdep.cpu.leaf7_features'])).has('AVX2');
      default:
        return null;
    }
  } catch {
    return null;
  }
}
