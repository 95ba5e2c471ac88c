import { describe, expect, it } from 'vitest';
import { FNV1A32_OFFSET_BASIS, fmix32, fnv1a32, fnv1a32AddCodePoint } from './fnv1a32';

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of non-ASCII text, as TextEncoder encodes them', () => {
    for (const text of ['é', '€', '日本語', '😀 emoji', '\uD800 lone']) {
      const bytes = new TextEncoder().encode(text);
      let expected = FNV1A32_OFFSET_BASIS;
      for (const byte of bytes) expected = Math.imul(expected ^ byte, 0x01000193) >>> 0;
      expect(fnv1a32(text)).toBe(expected);
    }
  });

  it('can be fed one code point at a time', () => {
    let hash = FNV1A32_OFFSET_BASIS;
    for (const char of 'naïve 😀') hash = fnv1a32AddCodePoint(hash, char.codePointAt(0) ?? 0);
    expect(hash).toBe(fnv1a32('naïve 😀'));
    expect(fnv1a32('ve 😀', fnv1a32('naï'))).toBe(fnv1a32('naïve 😀'));
  });

  it('finalizes with murmur3 fmix32', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
    expect(fmix32(0xffffffff)).toBe(0x81f16f39);
  });
});
