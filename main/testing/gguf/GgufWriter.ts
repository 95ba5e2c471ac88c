// Test support: a minimal little-endian GGUF v3 writer, so tests can build real model files for
// node-llama-cpp/llama.cpp without downloading weights. It holds the whole file in memory, which
// is fine for the tiny models tests need; it is not meant for real-sized models.
//
// Layout written (ggml docs/gguf.md): header (magic, version, tensor count, kv count), metadata
// key/values, tensor infos, zero padding to the alignment, then each tensor's data padded to
// the alignment (the last one too: ggml sizes the data blob as the sum of padded tensor sizes).
import { writeFile } from 'node:fs/promises';

export const GGUF_MAGIC = 'GGUF';
export const GGUF_VERSION = 3;
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** ggml's limit on tensor names is 64 bytes including the terminating NUL. */
const MAX_TENSOR_NAME_BYTES = 63;
const MAX_TENSOR_DIMS = 4;

/** gguf_metadata_value_type. */
export const GgufValueType = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

/** The ggml tensor types this writer can encode (ggml_type numbering). */
export const GgmlType = { F32: 0, F16: 1 } as const;
export type GgufTensorType = keyof typeof GgmlType;

export interface GgufWriterOptions {
  /** Power of two; written as general.alignment. Default 32, ggml's default. */
  readonly alignment?: number;
}

export interface GgufTensorOptions {
  /** Encoding of the stored data; the values are always given as float32. Default F32. */
  readonly type?: GgufTensorType;
}

type ScalarKind =
  'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'bool' | 'string' | 'uint64' | 'int64' | 'float64';
type ArrayItemKind = 'string' | 'int32' | 'uint32' | 'float32';

type MetadataValue =
  | { readonly kind: Exclude<ScalarKind, 'bool' | 'string' | 'uint64' | 'int64'>; readonly value: number }
  | { readonly kind: 'uint64' | 'int64'; readonly value: bigint }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'array'; readonly itemKind: 'string'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly itemKind: Exclude<ArrayItemKind, 'string'>; readonly values: ArrayLike<number> };

interface TensorEntry {
  readonly name: string;
  readonly dims: readonly number[];
  readonly type: GgufTensorType;
  readonly data: Float32Array;
}

const valueTypeOf: Record<ScalarKind | 'array', number> = {
  uint8: GgufValueType.UINT8,
  int8: GgufValueType.INT8,
  uint16: GgufValueType.UINT16,
  int16: GgufValueType.INT16,
  uint32: GgufValueType.UINT32,
  int32: GgufValueType.INT32,
  float32: GgufValueType.FLOAT32,
  bool: GgufValueType.BOOL,
  string: GgufValueType.STRING,
  array: GgufValueType.ARRAY,
  uint64: GgufValueType.UINT64,
  int64: GgufValueType.INT64,
  float64: GgufValueType.FLOAT64,
};

const integerRanges: Partial<Record<ScalarKind | ArrayItemKind, readonly [number, number]>> = {
  uint8: [0, 0xff],
  int8: [-0x80, 0x7f],
  uint16: [0, 0xffff],
  int16: [-0x8000, 0x7fff],
  uint32: [0, 0xffffffff],
  int32: [-0x80000000, 0x7fffffff],
};

export class GgufWriter {
  readonly alignment: number;
  readonly #metadata = new Map<string, MetadataValue>();
  readonly #tensors = new Map<string, TensorEntry>();

  constructor(options: GgufWriterOptions = {}) {
    const alignment = options.alignment ?? GGUF_DEFAULT_ALIGNMENT;
    if (!Number.isInteger(alignment) || alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
      throw new RangeError(`GGUF alignment must be a positive power of two, got ${alignment}.`);
    }
    this.alignment = alignment;
    this.#setMetadata('general.alignment', { kind: 'uint32', value: alignment });
  }

  addUint8(key: string, value: number): this {
    return this.#setNumber(key, 'uint8', value);
  }

  addInt8(key: string, value: number): this {
    return this.#setNumber(key, 'int8', value);
  }

  addUint16(key: string, value: number): this {
    return this.#setNumber(key, 'uint16', value);
  }

  addInt16(key: string, value: number): this {
    return this.#setNumber(key, 'int16', value);
  }

  addUint32(key: string, value: number): this {
    return this.#setNumber(key, 'uint32', value);
  }

  addInt32(key: string, value: number): this {
    return this.#setNumber(key, 'int32', value);
  }

  addFloat32(key: string, value: number): this {
    return this.#setNumber(key, 'float32', value);
  }

  addFloat64(key: string, value: number): this {
    return this.#setNumber(key, 'float64', value);
  }

  addUint64(key: string, value: bigint): this {
    if (value < 0n || value > 0xffffffffffffffffn) throw new RangeError(`GGUF key ${key}: ${value} does not fit uint64.`);
    return this.#setMetadata(key, { kind: 'uint64', value });
  }

  addInt64(key: string, value: bigint): this {
    if (value < -0x8000000000000000n || value > 0x7fffffffffffffffn) throw new RangeError(`GGUF key ${key}: ${value} does not fit int64.`);
    return this.#setMetadata(key, { kind: 'int64', value });
  }

  addBool(key: string, value: boolean): this {
    return this.#setMetadata(key, { kind: 'bool', value });
  }

  addString(key: string, value: string): this {
    return this.#setMetadata(key, { kind: 'string', value });
  }

  addStringArray(key: string, values: readonly string[]): this {
    return this.#setMetadata(key, { kind: 'array', itemKind: 'string', values: [...values] });
  }

  addInt32Array(key: string, values: ArrayLike<number>): this {
    return this.#setNumberArray(key, 'int32', values);
  }

  addUint32Array(key: string, values: ArrayLike<number>): this {
    return this.#setNumberArray(key, 'uint32', values);
  }

  addFloat32Array(key: string, values: ArrayLike<number>): this {
    return this.#setNumberArray(key, 'float32', values);
  }

  /**
   * Adds a tensor. `dims` are in ggml order: dims[0] (ne[0]) is the fastest-varying, so a
   * matrix applied to n_in-vectors producing n_out-vectors is [n_in, n_out], stored row by row.
   */
  addTensor(name: string, dims: readonly number[], data: Float32Array, options: GgufTensorOptions = {}): this {
    const nameBytes = Buffer.byteLength(name, 'utf8');
    if (nameBytes === 0 || nameBytes > MAX_TENSOR_NAME_BYTES) {
      throw new RangeError(`GGUF tensor name "${name}" must be 1..${MAX_TENSOR_NAME_BYTES} bytes.`);
    }
    if (this.#tensors.has(name)) throw new Error(`GGUF tensor "${name}" was added twice.`);
    if (dims.length === 0 || dims.length > MAX_TENSOR_DIMS || dims.some((d) => !Number.isInteger(d) || d <= 0)) {
      throw new RangeError(`GGUF tensor "${name}" needs 1..${MAX_TENSOR_DIMS} positive integer dims, got [${dims.join(', ')}].`);
    }
    const elements = dims.reduce((a, b) => a * b, 1);
    if (elements !== data.length) {
      throw new RangeError(
        `GGUF tensor "${name}" has dims [${dims.join(', ')}] (${elements} values) but ${data.length} values were given.`,
      );
    }
    this.#tensors.set(name, { name, dims: [...dims], type: options.type ?? 'F32', data });
    return this;
  }

  /** Serializes the whole file. Deterministic: the same calls in the same order give the same bytes. */
  toBytes(): Uint8Array {
    const out = new ByteBuilder();
    out.ascii(GGUF_MAGIC);
    out.u32(GGUF_VERSION);
    out.u64(BigInt(this.#tensors.size));
    out.u64(BigInt(this.#metadata.size));

    for (const [key, value] of this.#metadata) {
      out.string(key);
      writeValue(out, value);
    }

    let offset = 0;
    for (const tensor of this.#tensors.values()) {
      out.string(tensor.name);
      out.u32(tensor.dims.length);
      for (const dim of tensor.dims) out.u64(BigInt(dim));
      out.u32(GgmlType[tensor.type]);
      out.u64(BigInt(offset));
      offset += padTo(tensorByteLength(tensor), this.alignment);
    }

    out.padTo(this.alignment);
    for (const tensor of this.#tensors.values()) {
      if (tensor.type === 'F32') out.f32Array(tensor.data);
      else out.f16Array(tensor.data);
      out.padTo(this.alignment);
    }
    return out.finish();
  }

  async write(path: string): Promise<void> {
    await writeFile(path, this.toBytes());
  }

  #setNumber(key: string, kind: Exclude<ScalarKind, 'bool' | 'string' | 'uint64' | 'int64'>, value: number): this {
    checkNumber(key, kind, value);
    return this.#setMetadata(key, { kind, value });
  }

  #setNumberArray(key: string, itemKind: Exclude<ArrayItemKind, 'string'>, values: ArrayLike<number>): this {
    const copy = Array.from(values);
    for (const value of copy) checkNumber(key, itemKind, value);
    return this.#setMetadata(key, { kind: 'array', itemKind, values: copy });
  }

  #setMetadata(key: string, value: MetadataValue): this {
    // The spec requires ASCII keys; llama.cpp looks keys up by exact string, so a typo'd
    // non-ASCII character would silently hide a value.
    if (key.length === 0 || key.length > 0xffff || !/^[\x20-\x7e]+$/.test(key)) {
      throw new RangeError(`GGUF metadata key "${key}" must be 1..65535 printable ASCII characters.`);
    }
    // general.alignment is owned by the constructor so the header and the padding cannot disagree.
    if (key === 'general.alignment' && this.#metadata.has(key)) {
      throw new Error('Set general.alignment through GgufWriterOptions.alignment.');
    }
    this.#metadata.set(key, value);
    return this;
  }
}

function checkNumber(key: string, kind: ScalarKind | ArrayItemKind, value: number): void {
  const range = integerRanges[kind];
  if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
    throw new RangeError(`GGUF key ${key}: ${value} does not fit ${kind}.`);
  }
}

function writeValue(out: ByteBuilder, value: MetadataValue): void {
  out.u32(valueTypeOf[value.kind]);
  switch (value.kind) {
    case 'array':
      out.u32(valueTypeOf[value.itemKind]);
      out.u64(BigInt(value.values.length));
      if (value.itemKind === 'string') {
        for (const item of value.values) out.string(item);
      } else {
        for (let i = 0; i < value.values.length; i++) writeNumber(out, value.itemKind, value.values[i] ?? 0);
      }
      return;
    case 'string':
      out.string(value.value);
      return;
    case 'bool':
      out.u8(value.value ? 1 : 0);
      return;
    case 'uint64':
      out.u64(value.value);
      return;
    case 'int64':
      out.i64(value.value);
      return;
    default:
      writeNumber(out, value.kind, value.value);
  }
}

function writeNumber(out: ByteBuilder, kind: Exclude<ScalarKind, 'bool' | 'string' | 'uint64' | 'int64'>, value: number): void {
  switch (kind) {
    case 'uint8':
      out.u8(value);
      return;
    case 'int8':
      out.i8(value);
      return;
    case 'uint16':
      out.u16(value);
      return;
    case 'int16':
      out.i16(value);
      return;
    case 'uint32':
      out.u32(value);
      return;
    case 'int32':
      out.i32(value);
      return;
    case 'float32':
      out.f32(value);
      return;
    case 'float64':
      out.f64(value);
      return;
  }
}

function tensorByteLength(tensor: TensorEntry): number {
  return tensor.data.length * (tensor.type === 'F32' ? 4 : 2);
}

function padTo(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

/** A growable little-endian byte buffer; new bytes start zeroed, which gives the padding for free. */
class ByteBuilder {
  #bytes = new Uint8Array(1 << 16);
  #view = new DataView(this.#bytes.buffer);
  #length = 0;

  u8(v: number): void {
    this.#view.setUint8(this.#reserve(1), v);
  }
  i8(v: number): void {
    this.#view.setInt8(this.#reserve(1), v);
  }
  u16(v: number): void {
    this.#view.setUint16(this.#reserve(2), v, true);
  }
  i16(v: number): void {
    this.#view.setInt16(this.#reserve(2), v, true);
  }
  u32(v: number): void {
    this.#view.setUint32(this.#reserve(4), v, true);
  }
  i32(v: number): void {
    this.#view.setInt32(this.#reserve(4), v, true);
  }
  u64(v: bigint): void {
    this.#view.setBigUint64(this.#reserve(8), v, true);
  }
  i64(v: bigint): void {
    this.#view.setBigInt64(this.#reserve(8), v, true);
  }
  f32(v: number): void {
    this.#view.setFloat32(this.#reserve(4), v, true);
  }
  f64(v: number): void {
    this.#view.setFloat64(this.#reserve(8), v, true);
  }

  f32Array(values: Float32Array): void {
    const at = this.#reserve(values.length * 4);
    for (let i = 0; i < values.length; i++) this.#view.setFloat32(at + i * 4, values[i] ?? 0, true);
  }

  f16Array(values: Float32Array): void {
    const at = this.#reserve(values.length * 2);
    for (let i = 0; i < values.length; i++) this.#view.setUint16(at + i * 2, float32ToFloat16Bits(values[i] ?? 0), true);
  }

  ascii(text: string): void {
    for (let i = 0; i < text.length; i++) this.u8(text.charCodeAt(i));
  }

  /** gguf_string_t: uint64 byte length, then UTF-8 without a terminator. */
  string(text: string): void {
    const encoded = Buffer.from(text, 'utf8');
    this.u64(BigInt(encoded.length));
    this.#bytes.set(encoded, this.#reserve(encoded.length));
  }

  padTo(alignment: number): void {
    this.#reserve(padTo(this.#length, alignment) - this.#length);
  }

  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  #reserve(n: number): number {
    const at = this.#length;
    if (at + n > this.#bytes.length) {
      let capacity = this.#bytes.length * 2;
      while (capacity < at + n) capacity *= 2;
      const grown = new Uint8Array(capacity);
      grown.set(this.#bytes.subarray(0, at));
      this.#bytes = grown;
      this.#view = new DataView(grown.buffer);
    }
    this.#length = at + n;
    return at;
  }
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE 754 binary32 → binary16 bits, round to nearest even (Node 20 has no Float16Array). */
export function float32ToFloat16Bits(value: number): number {
  f32Scratch[0] = value;
  const bits = u32Scratch[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;

  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;

  if (halfExponent <= 0) {
    // Subnormal half: value = m * 2^-24, with m taken from the mantissa with its implicit 1.
    const shift = 126 - exponent;
    if (shift > 24) return sign;
    const full = mantissa | 0x800000;
    let m = full >>> shift;
    const rest = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (m & 1) === 1)) m++;
    return sign | m;
  }

  let half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}
