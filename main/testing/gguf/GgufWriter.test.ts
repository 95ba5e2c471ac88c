// The GGUF writer's bytes, checked by hand against the spec and by node-llama-cpp's own parser.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GgufWriter, float32ToFloat16Bits } from './GgufWriter';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codesage-gguf-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Follows a dotted GGUF key through node-llama-cpp's nested metadata object. */
function metadataAt(metadata: unknown, key: string): unknown {
  let node: unknown = metadata;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** node-llama-cpp gives 64-bit integers as number when they fit, bigint otherwise. */
function asBigInt(value: unknown): bigint | undefined {
  return typeof value === 'number' || typeof value === 'bigint' ? BigInt(value) : undefined;
}

describe('GgufWriter', () => {
  it('writes the v3 header, little-endian', () => {
    const bytes = new GgufWriter().addString('general.architecture', 'llama').toBytes();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('GGUF');
    expect(view.getUint32(4, true)).toBe(3);
    expect(view.getBigUint64(8, true)).toBe(0n); // tensors
    expect(view.getBigUint64(16, true)).toBe(2n); // general.alignment + general.architecture
    expect(bytes.length % 32).toBe(0);
  });

  it('round-trips every metadata type and tensor layout through node-llama-cpp', async () => {
    const path = join(dir, 'all-types.gguf');
    const f32 = Float32Array.from({ length: 6 }, (_, i) => i * 0.5 - 1);
    const f16 = Float32Array.from([1, -2, 0.1, 65504, 6e-8]);
    await new GgufWriter({ alignment: 64 })
      .addString('general.architecture', 'llama')
      .addUint8('test.u8', 250)
      .addInt8('test.i8', -100)
      .addUint16('test.u16', 65000)
      .addInt16('test.i16', -32000)
      .addUint32('test.u32', 4_000_000_000)
      .addInt32('test.i32', -2_000_000_000)
      .addUint64('test.u64', 2n ** 53n + 2n)
      .addInt64('test.i64', -5n)
      .addFloat32('test.f32', 0.25)
      .addFloat64('test.f64', Math.PI)
      .addBool('test.yes', true)
      .addBool('test.no', false)
      .addString('test.text', 'héllo ▁ 🙂')
      .addStringArray('test.strings', ['a', '', 'ünï'])
      .addInt32Array('test.ints', [1, -2, 3])
      .addUint32Array('test.uints', [7, 8])
      .addFloat32Array('test.floats', [0.5, -1.5])
      .addTensor('a.weight', [3, 2], f32)
      .addTensor('b.weight', [5], f16, { type: 'F16' })
      .write(path);

    const info = await readGgufFileInfo(path, { logWarnings: false });
    expect(info.version).toBe(3);
    const m = info.metadata;
    expect(metadataAt(m, 'general.alignment')).toBe(64);
    expect(metadataAt(m, 'test.u8')).toBe(250);
    expect(metadataAt(m, 'test.i8')).toBe(-100);
    expect(metadataAt(m, 'test.u16')).toBe(65000);
    expect(metadataAt(m, 'test.i16')).toBe(-32000);
    expect(metadataAt(m, 'test.u32')).toBe(4_000_000_000);
    expect(metadataAt(m, 'test.i32')).toBe(-2_000_000_000);
    expect(asBigInt(metadataAt(m, 'test.u64'))).toBe(2n ** 53n + 2n);
    expect(asBigInt(metadataAt(m, 'test.i64'))).toBe(-5n);
    expect(metadataAt(m, 'test.f32')).toBe(0.25);
    expect(metadataAt(m, 'test.f64')).toBe(Math.PI);
    expect(metadataAt(m, 'test.yes')).toBe(true);
    expect(metadataAt(m, 'test.no')).toBe(false);
    expect(metadataAt(m, 'test.text')).toBe('héllo ▁ 🙂');
    expect(metadataAt(m, 'test.strings')).toEqual(['a', '', 'ünï']);
    expect(metadataAt(m, 'test.ints')).toEqual([1, -2, 3]);
    expect(metadataAt(m, 'test.uints')).toEqual([7, 8]);
    expect(metadataAt(m, 'test.floats')).toEqual([0.5, -1.5]);

    const [a, b] = info.tensorInfo ?? [];
    expect(a).toMatchObject({ name: 'a.weight', dimensions: [3, 2], ggmlType: 0, offset: 0 });
    // 24 bytes of F32 data padded to the 64-byte alignment.
    expect(b).toMatchObject({ name: 'b.weight', dimensions: [5], ggmlType: 1, offset: 64 });

    const file = await readFile(path);
    const aAt = Number(a?.fileOffset);
    const bAt = Number(b?.fileOffset);
    expect(aAt % 64).toBe(0);
    expect(Array.from({ length: 6 }, (_, i) => file.readFloatLE(aAt + i * 4))).toEqual(Array.from(f32));
    expect(Array.from({ length: 5 }, (_, i) => file.readUInt16LE(bAt + i * 2))).toEqual([0x3c00, 0xc000, 0x2e66, 0x7bff, 0x0001]);
    // The last tensor is padded too, as ggml sizes the data section from padded tensor sizes.
    expect(file.length).toBe(bAt + 64);
  });

  it('converts float32 to float16 with round-to-nearest-even', () => {
    expect(float32ToFloat16Bits(0)).toBe(0);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway, ties to even
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, ties to even (up)
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00); // rounds past the largest half
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(float32ToFloat16Bits(2 ** -26)).toBe(0);
    expect(float32ToFloat16Bits(Infinity)).toBe(0x7c00);
    expect(float32ToFloat16Bits(-Infinity)).toBe(0xfc00);
    expect(float32ToFloat16Bits(NaN) & 0x7e00).toBe(0x7e00);
  });

  it('rejects inputs that would make a file llama.cpp cannot read', () => {
    expect(() => new GgufWriter({ alignment: 24 })).toThrow(/power of two/);
    const writer = new GgufWriter();
    expect(() => writer.addTensor('w', [2, 2], new Float32Array(3))).toThrow(/4 values/);
    expect(() => writer.addTensor('w', [1, 1, 1, 1, 1], new Float32Array(1))).toThrow(/dims/);
    expect(() => writer.addTensor('x'.repeat(64), [1], new Float32Array(1))).toThrow(/name/);
    writer.addTensor('w', [1], new Float32Array(1));
    expect(() => writer.addTensor('w', [1], new Float32Array(1))).toThrow(/twice/);
    expect(() => writer.addUint32('k', -1)).toThrow(/uint32/);
    expect(() => writer.addInt32('k', 1.5)).toThrow(/int32/);
    expect(() => writer.addString('clé', 'x')).toThrow(/ASCII/);
    expect(() => writer.addUint32('general.alignment', 64)).toThrow(/GgufWriterOptions/);
  });
});
