import { describe, expect, it } from 'vitest';
import { armBoard, dualSocket, intelHyperThreaded } from './cpuinfoSamples';
import { cpuSupportsAvx2 } from './cpuSupportsAvx2';
import { fakeSystemProbe } from './fakeSystemProbe';

describe('cpuSupportsAvx2', () => {
  it('reads the flags line on x64 Linux', () => {
    expect(cpuSupportsAvx2(fakeSystemProbe({ platform: 'linux', files: { '/proc/cpuinfo': intelHyperThreaded } }))).toBe(true);
    expect(cpuSupportsAvx2(fakeSystemProbe({ platform: 'linux', files: { '/proc/cpuinfo': dualSocket } }))).toBe(false);
  });

  it('gives null when Linux cannot tell', () => {
    expect(cpuSupportsAvx2(fakeSystemProbe({ platform: 'linux', files: { '/proc/cpuinfo': armBoard } }))).toBeNull();
    expect(cpuSupportsAvx2(fakeSystemProbe({ platform: 'linux' }))).toBeNull();
  });

  it('reads CPUID leaf 7 features on Intel macOS', () => {
    const withAvx2 = fakeSystemProbe({
      platform: 'darwin',
      commandOutput: { 'sysctl -n machdep.cpu.leaf7_features': 'RDWRFSGS TSC_THREAD_OFFSET BMI1 AVX2 SMEP BMI2\n' },
    });
    expect(cpuSupportsAvx2(withAvx2)).toBe(true);
    expect(withAvx2.commands).toEqual(['sysctl -n machdep.cpu.leaf7_features']);
    const withoutAvx2 = fakeSystemProbe({
      platform: 'darwin',
      commandOutput: { 'sysctl -n machdep.cpu.leaf7_features': 'RDWRFSGS TSC_THREAD_OFFSET SMEP\n' },
    });
    expect(cpuSupportsAvx2(withoutAvx2)).toBe(false);
    expect(cpuSupportsAvx2(fakeSystemProbe({ platform: 'darwin' }))).toBeNull();
  });

  it('gives null, without probing, where AVX2 does not apply', () => {
    const probe = fakeSystemProbe({ platform: 'linux', arch: 'arm64', files: { '/proc/cpuinfo': intelHyperThreaded } });
    expect(cpuSupportsAvx2(probe)).toBeNull();
    const mac = fakeSystemProbe({ platform: 'darwin', arch: 'arm64', commandOutput: { 'sysctl -n machdep.cpu.leaf7_features': 'AVX2' } });
    expect(cpuSupportsAvx2(mac)).toBeNull();
    expect(mac.commands).toEqual([]);
  });

  it('gives null on x64 Windows, where there is no cheap way to ask', () => {
    expect(cpuSupportsAvx2(fakeSystemProbe({ platform: 'win32' }))).toBeNull();
  });
});
