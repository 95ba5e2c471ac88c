// A minimal protocol-buffers encoder: enough wire format (varints, fixed32 floats, length-delimited
// bytes, strings and nested messages) to write ONNX models without a protobuf dependency.
// Environment-free: the intent-model exporter runs it in main and in the retrain service.

const enum WireType {
  Varint = 0,
  Fixed32 = 5,
  LengthDelimited = 2,
}

const textEncoder = new TextEncoder();

export class ProtobufWriter {
  private chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private length = 0;

  /** An int32/int64/uint64/enum/bool field. Negative values take ten bytes, as protobuf int64 requires. */
  varint(field: number, value: number | bigint | boolean): this {
    this.tag(field, WireType.Varint);
    this.rawVarint(typeof value === 'boolean' ? (value ? 1n : 0n) : toUint64(value));
    return this;
  }

  /** A `float` field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WireType.Fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.rawBytes(bytes);
    return this;
  }

  /** A `string` field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, textEncoder.encode(value));
  }

  /** A `bytes` field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WireType.LengthDelimited);
    this.rawVarint(BigInt(value.length));
    this.rawBytes(value);
    return this;
  }

  /** A nested message field, written by `write` into a fresh writer. */
  message(field: number, write: (writer: ProtobufWriter) => void): this {
    const inner = new ProtobufWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  /** A packed `repeated float` field. */
  packedFloats(field: number, values: ArrayLike<number>): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i] ?? 0, true);
    return this.bytes(field, bytes);
  }

  /** A packed `repeated int64` (or int32) field. */
  packedVarints(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtobufWriter();
    for (const value of values) inner.rawVarint(toUint64(value));
    return this.bytes(field, inner.finish());
  }

  /** The encoded message. The writer can keep being used; later calls append. */
  finish(): Uint8Array {
    this.flushPending();
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    this.chunks = [out];
    return out.slice();
  }

  private tag(field: number, wireType: WireType): void {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff) throw new RangeError(`Invalid protobuf field number ${String(field)}`);
    this.rawVarint(BigInt(field) * 8n + BigInt(wireType));
  }

  private rawVarint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.pending.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.pending.push(Number(rest));
  }

  private rawBytes(bytes: Uint8Array): void {
    this.flushPending();
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.length += this.pending.length;
    this.pending = [];
  }
}

function toUint64(value: number | bigint): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new RangeError(`Protobuf varints need a safe integer, got ${String(value)}`);
  }
  const big = BigInt(value);
  if (big < -(2n ** 63n) || big >= 2n ** 64n) throw new RangeError(`${String(value)} does not fit in 64 bits`);
  // Two's complement: protobuf writes negative int32/int64 as their 64-bit unsigned pattern.
  return BigInt.asUintN(64, big);
}
