// FNV-1a, 32-bit, over the UTF-8 bytes of a string, plus a murmur3 finalizer. The intent featurizer
// hashes n-grams with it, so its output is part of every trained model's contract: changing it
// silently scrambles the features of every model already shipped. It is written out here (no
// node:crypto, no TextEncoder per n-gram) so training and inference, Node or browser, agree bit
// for bit, and so n-grams can be hashed incrementally one code point at a time.

export const FNV1A32_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of `text`'s UTF-8 bytes, as an unsigned 32-bit integer. Lone surrogates hash as U+FFFD. */
export function fnv1a32(text: string, hash: number = FNV1A32_OFFSET_BASIS): number {
  let h = hash;
  for (const char of text) h = fnv1a32AddCodePoint(h, char.codePointAt(0) ?? 0xfffd);
  return h;
}

/** Feeds one code point's UTF-8 bytes into a running FNV-1a hash. */
export function fnv1a32AddCodePoint(hash: number, codePoint: number): number {
  // Lone surrogates are not encodable in UTF-8; TextEncoder writes U+FFFD for them, and so do we.
  const cp = codePoint >= 0xd800 && codePoint <= 0xdfff ? 0xfffd : codePoint;
  let h = hash;
  if (cp < 0x80) {
    h = addByte(h, cp);
  } else if (cp < 0x800) {
    h = addByte(h, 0xc0 | (cp >> 6));
    h = addByte(h, 0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    h = addByte(h, 0xe0 | (cp >> 12));
    h = addByte(h, 0x80 | ((cp >> 6) & 0x3f));
    h = addByte(h, 0x80 | (cp & 0x3f));
  } else {
    h = addByte(h, 0xf0 | (cp >> 18));
    h = addByte(h, 0x80 | ((cp >> 12) & 0x3f));
    h = addByte(h, 0x80 | ((cp >> 6) & 0x3f));
    h = addByte(h, 0x80 | (cp & 0x3f));
  }
  return h;
}

/**
 * murmur3's fmix32. FNV-1a's low bits mix poorly, and the featurizer keeps only the low bits (the
 * bucket) and the top bit (the sign), so every bit is mixed before it is used.
 */
export function fmix32(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function addByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
}
