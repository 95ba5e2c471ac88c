import { describe, expect, it } from 'vitest';
import { parseSysctlFeatures } from './parseSysctlFeatures';

describe('parseSysctlFeatures', () => {
  it('splits sysctl output into upper-case feature names', () => {
    const features = parseSysctlFeatures('RDWRFSGS TSC_THREAD_OFFSET SGX BMI1 HLE avx2 SMEP BMI2 ERMS INVPCID\n');
    expect(features.has('AVX2')).toBe(true);
    expect(features.has('BMI2')).toBe(true);
    expect(features.size).toBe(10);
  });

  it('does not match a feature name inside a longer one', () => {
    expect(parseSysctlFeatures('AVX512F AVX512CD').has('AVX2')).toBe(false);
  });

  it('gives an empty set for empty output', () => {
    expect(parseSysctlFeatures(' \n').size).toBe(0);
  });
});
