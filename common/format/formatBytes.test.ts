import { describe, expect, it } from 'vitest';
import { formatBytes } from './formatBytes';

describe('formatBytes', () => {
  it('formats memory as GiB with one decimal', () => {
    expect(formatBytes(0)).toBe('0.0 GiB');
    expect(formatBytes(1024 ** 3)).toBe('1.0 GiB');
    expect(formatBytes(16 * 1024 ** 3 - 400 * 1024 ** 2)).toBe('15.6 GiB');
  });

  it('formats sizes below 1 GiB in MiB or KiB', () => {
    expect(formatBytes(512 * 1024 ** 2)).toBe('512.0 MiB');
    expect(formatBytes(901_440)).toBe('880.3 KiB');
  });
});
