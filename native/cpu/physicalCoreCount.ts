// How many physical CPU cores this process can use. We pass it to llama.cpp as maxThreads on CPU:
// its default counts hyper-threads too, and oversubscribing a small machine makes generation up to
// 100x slower because threads wait on each other at every layer.
import { nodeSystemProbe } from './nodeSystemProbe';
import { parseCpuinfo } from './parseCpuinfo';
import type { SystemProbe } from './SystemProbe';

/** Never less than 1; the logical core count wherever the platform gives no physical count. */
export function physicalCoreCount(probe: SystemProbe = nodeSystemProbe): number {
  const logical = Math.max(1, Math.floor(probe.logicalCoreCount()));
  const physical = detectPhysicalCores(probe);
  // /proc/cpuinfo lists every core of the host, but a container or an affinity mask can give this
  // process fewer logical CPUs than that: never report more cores than we may run on.
  return physical === null ? logical : Math.max(1, Math.min(physical, logical));
}

function detectPhysicalCores(probe: SystemProbe): number | null {
  try {
    switch (probe.platform) {
      case 'linux':
      case 'android':
        return parseCpuinfo(probe.readTextFile('/proc/cpuinfo')).physicalCores;
      case 'darwin': {
        const count = Number.parseInt(probe.runCommand('sysctl', ['-n', 'hw.physicalcpu']).trim(), 10);
        return Number.isInteger(count) && count > 0 ? count : null;
      }
      default:
        // Windows has no cheap synchronous source (WMI takes seconds), so the logical count stands.
        return null;
    }
  } catch {
    // An unreadable /proc or a missing sysctl is not worth failing over: fall back to logical cores.
    return null;
  }
}
