import { describe, expect, it } from 'vitest';
import { armBoard, dualSocket, intelHyperThreaded, vmWithoutPhysicalId } from './cpuinfoSamples';
import { parseCpuinfo } from './parseCpuinfo';

describe('parseCpuinfo', () => {
  it('counts hyper-threaded siblings once', () => {
    expect(parseCpuinfo(intelHyperThreaded).physicalCores).toBe(4);
  });

  it('counts the same core id on two sockets as two cores', () => {
    expect(parseCpuinfo(dualSocket).physicalCores).toBe(4);
  });

  it('treats a missing physical id as a single socket', () => {
    expect(parseCpuinfo(vmWithoutPhysicalId).physicalCores).toBe(2);
  });

  it('gives null cores and null flags where the kernel reports neither', () => {
    expect(parseCpuinfo(armBoard)).toEqual({ physicalCores: null, flags: null });
  });

  it('reads the flags of the first processor', () => {
    expect(parseCpuinfo(intelHyperThreaded).flags?.has('avx2')).toBe(true);
    expect(parseCpuinfo(dualSocket).flags?.has('avx2')).toBe(false);
    expect(parseCpuinfo(dualSocket).flags?.has('sse4_2')).toBe(true);
  });

  it('does not need blank lines between processors', () => {
    const text = 'processor : 0\ncore id : 0\nprocessor : 1\ncore id : 1\nprocessor : 2\ncore id : 1\n';
    expect(parseCpuinfo(text).physicalCores).toBe(2);
  });

  it('handles empty input', () => {
    expect(parseCpuinfo('')).toEqual({ physicalCores: null, flags: null });
  });
});
