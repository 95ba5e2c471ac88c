// Test support: writes a file of seeded pseudo-random bytes (incompressible, so it looks like model
// weights to a downloader) and returns its sha256. It streams in chunks, so a 1 GiB file costs a
// few MiB of memory; the same seed and size always give the same bytes.
import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { endianness } from 'node:os';
import { dirname } from 'node:path';

export interface WriteRandomFileOptions {
  /** PRNG seed; same seed and size → byte-identical file. Default 1. */
  readonly seed?: number;
  /** Bytes generated and written per step. Default 4 MiB; rounded up to a multiple of 4. */
  readonly chunkBytes?: number;
}

export interface RandomFileInfo {
  readonly path: string;
  readonly sizeBytes: number;
  /** Hex sha256 of the file. */
  readonly sha256: string;
}

export async function writeRandomFile(path: string, sizeBytes: number, options: WriteRandomFileOptions = {}): Promise<RandomFileInfo> {
  const { seed = 1, chunkBytes = 4 * 1024 * 1024 } = options;
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0)
    throw new RangeError(`File size must be a non-negative integer, got ${sizeBytes}.`);
  if (!Number.isInteger(seed)) throw new RangeError(`Seed must be an integer, got ${seed}.`);
  const words = Math.max(1, Math.ceil(chunkBytes / 4));
  const block = new Uint32Array(words);
  const bytes = Buffer.from(block.buffer, block.byteOffset, block.byteLength);
  // Words are generated as numbers; swapping on big-endian hosts keeps the bytes identical everywhere.
  const swap = endianness() === 'BE';
  // Mulberry32 inlined (as in common/base/createSeededRandom.ts): a closure call per word would make
  // a 1 GiB file take several times longer.
  let state = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  state = Math.imul(state ^ (state >>> 13), 0xc2b2ae35) >>> 0;

  await mkdir(dirname(path), { recursive: true });
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    let written = 0;
    while (written < sizeBytes) {
      const length = Math.min(bytes.length, sizeBytes - written);
      const wordCount = Math.ceil(length / 4);
      for (let i = 0; i < wordCount; i++) {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        block[i] = (t ^ (t >>> 14)) >>> 0;
      }
      if (swap) bytes.subarray(0, wordCount * 4).swap32();
      const chunk = bytes.subarray(0, length);
      hash.update(chunk);
      let offset = 0;
      while (offset < length) {
        const { bytesWritten } = await file.write(chunk, offset, length - offset, written + offset);
        offset += bytesWritten;
      }
      written += length;
    }
  } finally {
    await file.close();
  }
  return { path, sizeBytes, sha256: hash.digest('hex') };
}
