import { describe, expect, it } from 'vitest';
import { formatBytes } from './formatBytes';

describe('formatBytes', () => {
  it('formats bytes as GiB with one decimal', () => {
    expect(formatBytes(0)).toBe('0.0 GiB');
    expect(formatBytes(1024 ** 3)).toBe('1.0 GiB');
    expect(formatBytes(16 * 1024 ** 3 - 400 * 1024 ** 2)).toBe('15.6 GiB');
    expect(formatBytes(512 * 1024 ** 2)).toBe('0.5 GiB');
  });
});
