import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { dualSocket, intelHyperThreaded, armBoard } from './cpuinfoSamples';
import { fakeSystemProbe } from './fakeSystemProbe';
import { physicalCoreCount } from './physicalCoreCount';

describe('physicalCoreCount', () => {
  it('counts physical cores from /proc/cpuinfo on Linux', () => {
    const probe = fakeSystemProbe({ platform: 'linux', logicalCores: 8, files: { '/proc/cpuinfo': intelHyperThreaded } });
    expect(physicalCoreCount(probe)).toBe(4);
  });

  it('never exceeds the logical CPUs this process may use (containers, affinity masks)', () => {
    const probe = fakeSystemProbe({ platform: 'linux', logicalCores: 2, files: { '/proc/cpuinfo': dualSocket } });
    expect(physicalCoreCount(probe)).toBe(2);
  });

  it('falls back to the logical count when cpuinfo has no core ids or cannot be read', () => {
    expect(physicalCoreCount(fakeSystemProbe({ platform: 'linux', logicalCores: 4, files: { '/proc/cpuinfo': armBoard } }))).toBe(4);
    expect(physicalCoreCount(fakeSystemProbe({ platform: 'linux', logicalCores: 3 }))).toBe(3);
  });

  it('asks sysctl on macOS', () => {
    const probe = fakeSystemProbe({ platform: 'darwin', logicalCores: 12, commandOutput: { 'sysctl -n hw.physicalcpu': '6\n' } });
    expect(physicalCoreCount(probe)).toBe(6);
    expect(probe.commands).toEqual(['sysctl -n hw.physicalcpu']);
  });

  it('falls back to the logical count when sysctl fails or prints nonsense', () => {
    expect(physicalCoreCount(fakeSystemProbe({ platform: 'darwin', logicalCores: 10 }))).toBe(10);
    const garbage = fakeSystemProbe({ platform: 'darwin', logicalCores: 10, commandOutput: { 'sysctl -n hw.physicalcpu': 'unknown oid' } });
    expect(physicalCoreCount(garbage)).toBe(10);
  });

  it('uses the logical count on Windows without running anything', () => {
    const probe = fakeSystemProbe({ platform: 'win32', logicalCores: 16 });
    expect(physicalCoreCount(probe)).toBe(16);
    expect(probe.commands).toEqual([]);
  });

  it('is never less than 1', () => {
    expect(physicalCoreCount(fakeSystemProbe({ platform: 'win32', logicalCores: 0 }))).toBe(1);
  });

  it('gives a usable count on this machine', () => {
    const count = physicalCoreCount();
    expect(Number.isInteger(count)).toBe(true);
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(availableParallelism());
  });
});
