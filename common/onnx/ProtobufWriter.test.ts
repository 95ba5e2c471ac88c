import { describe, expect, it } from 'vitest';
import { ProtobufWriter } from './ProtobufWriter';

const bytes = (writer: ProtobufWriter): number[] => Array.from(writer.finish());

describe('ProtobufWriter', () => {
  it('writes varints as in the protobuf encoding guide', () => {
    expect(bytes(new ProtobufWriter().varint(1, 150))).toEqual([0x08, 0x96, 0x01]);
    expect(bytes(new ProtobufWriter().varint(2, 300))).toEqual([0x10, 0xac, 0x02]);
    expect(bytes(new ProtobufWriter().varint(1, 0))).toEqual([0x08, 0x00]);
    expect(bytes(new ProtobufWriter().varint(1, true))).toEqual([0x08, 0x01]);
  });

  it('writes negative integers as ten-byte two’s complement', () => {
    expect(bytes(new ProtobufWriter().varint(3, -1))).toEqual([0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('writes 64-bit values beyond 2^53 given as bigint', () => {
    expect(bytes(new ProtobufWriter().varint(1, 2n ** 63n))).toEqual([0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]);
  });

  it('rejects values that cannot be encoded exactly', () => {
    expect(() => new ProtobufWriter().varint(1, 2 ** 60)).toThrow(RangeError);
    expect(() => new ProtobufWriter().varint(1, 1.5)).toThrow(RangeError);
    expect(() => new ProtobufWriter().varint(1, 2n ** 64n)).toThrow(RangeError);
    expect(() => new ProtobufWriter().varint(0, 1)).toThrow(RangeError);
  });

  it('uses multi-byte tags for large field numbers', () => {
    expect(bytes(new ProtobufWriter().varint(20, 2))).toEqual([0xa0, 0x01, 0x02]);
  });

  it('writes floats as little-endian fixed32', () => {
    expect(bytes(new ProtobufWriter().float(2, 1))).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
    expect(bytes(new ProtobufWriter().float(1, -2.5))).toEqual([0x0d, 0x00, 0x00, 0x20, 0xc0]);
  });

  it('writes strings as UTF-8 with a length prefix', () => {
    expect(bytes(new ProtobufWriter().string(2, 'testing'))).toEqual([0x12, 0x07, ...new TextEncoder().encode('testing')]);
    expect(bytes(new ProtobufWriter().string(1, 'é'))).toEqual([0x0a, 0x02, 0xc3, 0xa9]);
  });

  it('writes nested messages length-delimited', () => {
    const writer = new ProtobufWriter().message(3, (inner) => {
      inner.varint(1, 150);
    });
    expect(bytes(writer)).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });

  it('writes packed repeated fields', () => {
    expect(bytes(new ProtobufWriter().packedVarints(4, [3, 270, 86942]))).toEqual([0x22, 0x06, 0x03, 0x8e, 0x02, 0x9e, 0xa7, 0x05]);
    expect(bytes(new ProtobufWriter().packedFloats(1, [1, 2]))).toEqual([0x0a, 0x08, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
  });

  it('keeps fields in the order they were written, across finish() calls', () => {
    const writer = new ProtobufWriter().varint(1, 1).string(2, 'a');
    expect(Array.from(writer.finish())).toEqual([0x08, 0x01, 0x12, 0x01, 0x61]);
    writer.varint(3, 5);
    expect(Array.from(writer.finish())).toEqual([0x08, 0x01, 0x12, 0x01, 0x61, 0x18, 0x05]);
  });
});
