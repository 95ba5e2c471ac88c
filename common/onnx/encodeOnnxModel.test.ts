import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from './encodeOnnxModel';
import type { OnnxModel } from './encodeOnnxModel';

// A reader for just enough wire format to check what the encoder wrote, field by field.
interface Field {
  readonly field: number;
  readonly varint?: bigint;
  readonly fixed32?: number;
  readonly bytes?: Uint8Array;
}

function readFields(bytes: Uint8Array): Field[] {
  const fields: Field[] = [];
  let offset = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < bytes.length) {
    const tag = readVarint();
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (wireType === 0) fields.push({ field, varint: readVarint() });
    else if (wireType === 5) {
      fields.push({ field, fixed32: new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getFloat32(0, true) });
      offset += 4;
    } else if (wireType === 2) {
      const length = Number(readVarint());
      fields.push({ field, bytes: bytes.subarray(offset, offset + length) });
      offset += length;
    } else throw new Error(`unexpected wire type ${String(wireType)}`);
  }
  if (offset !== bytes.length) throw new Error('message overruns its bytes');
  return fields;
}

const all = (fields: Field[], field: number): Field[] => fields.filter((f) => f.field === field);
const one = (fields: Field[], field: number): Field => {
  const found = all(fields, field);
  if (found.length !== 1) throw new Error(`expected one field ${String(field)}, found ${String(found.length)}`);
  return found[0] as Field;
};
const text = (field: Field): string => new TextDecoder().decode(field.bytes);
const sub = (field: Field): Field[] => readFields(field.bytes ?? new Uint8Array());

const model: OnnxModel = {
  producerName: 'codesage-test',
  metadata: { labels: '["a","b"]' },
  graph: {
    name: 'linear_softmax',
    inputs: [{ name: 'x', elementType: 'float', shape: ['batch', 3] }],
    outputs: [{ name: 'y', elementType: 'float', shape: ['batch', 2] }],
    initializers: [
      { name: 'W', elementType: 'float', dims: [3, 2], data: [1, 2, 3, 4, 5, 6] },
      { name: 'shape', elementType: 'int64', dims: [2], data: [-1, 2] },
    ],
    nodes: [
      { opType: 'MatMul', inputs: ['x', 'W'], outputs: ['z'], name: 'matmul' },
      { opType: 'Softmax', inputs: ['z'], outputs: ['y'], attributes: { axis: { type: 'int', value: -1 } } },
    ],
  },
};

describe('encodeOnnxModel', () => {
  const top = readFields(encodeOnnxModel(model));

  it('writes IR version 8, opset 17 of the default domain and the producer', () => {
    expect(one(top, 1).varint).toBe(8n);
    const opset = sub(one(top, 8));
    expect(text(one(opset, 1))).toBe('');
    expect(one(opset, 2).varint).toBe(17n);
    expect(text(one(top, 2))).toBe('codesage-test');
  });

  it('honours other IR and opset versions', () => {
    const other = readFields(encodeOnnxModel({ ...model, irVersion: 9, opsetVersion: 19 }));
    expect(one(other, 1).varint).toBe(9n);
    expect(one(sub(one(other, 8)), 2).varint).toBe(19n);
  });

  it('writes metadata as key/value entries', () => {
    const entry = sub(one(top, 14));
    expect(text(one(entry, 1))).toBe('labels');
    expect(text(one(entry, 2))).toBe('["a","b"]');
  });

  it('writes nodes in order with inputs, outputs, op type and typed attributes', () => {
    const graph = sub(one(top, 7));
    expect(text(one(graph, 2))).toBe('linear_softmax');
    const [matmul, softmax] = all(graph, 1).map(sub);
    expect(matmul && all(matmul, 1).map(text)).toEqual(['x', 'W']);
    expect(matmul && text(one(matmul, 3))).toBe('matmul');
    expect(matmul && text(one(matmul, 4))).toBe('MatMul');
    expect(softmax && text(one(softmax, 4))).toBe('Softmax');
    const axis = sub(one(softmax ?? [], 5));
    expect(text(one(axis, 1))).toBe('axis');
    expect(BigInt.asIntN(64, one(axis, 3).varint ?? 0n)).toBe(-1n);
    expect(one(axis, 20).varint).toBe(2n); // AttributeProto.INT
  });

  it('writes initializers with dims, data type and little-endian raw data', () => {
    const graph = sub(one(top, 7));
    const [weights, shape] = all(graph, 5).map(sub);
    expect(weights && text(one(weights, 8))).toBe('W');
    expect(weights && one(weights, 2).varint).toBe(1n); // FLOAT
    expect(weights && Array.from(one(weights, 1).bytes ?? [])).toEqual([3, 2]);
    const raw = weights && one(weights, 9).bytes;
    expect(raw && Array.from(new Float32Array(raw.slice().buffer))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(shape && one(shape, 2).varint).toBe(7n); // INT64
    const rawShape = shape && one(shape, 9).bytes;
    expect(rawShape && Array.from(new BigInt64Array(rawShape.slice().buffer))).toEqual([-1n, 2n]);
  });

  it('writes value infos with element type and symbolic or fixed dimensions', () => {
    const graph = sub(one(top, 7));
    const input = sub(one(graph, 11));
    expect(text(one(input, 1))).toBe('x');
    const tensorType = sub(one(sub(one(input, 2)), 1));
    expect(one(tensorType, 1).varint).toBe(1n);
    const dims = all(sub(one(tensorType, 2)), 1).map(sub);
    expect(dims[0] && text(one(dims[0], 2))).toBe('batch');
    expect(dims[1] && one(dims[1], 1).varint).toBe(3n);
    expect(text(one(sub(one(graph, 12)), 1))).toBe('y');
  });

  it('refuses a tensor whose data does not match its dims', () => {
    const bad: OnnxModel = {
      graph: { ...model.graph, initializers: [{ name: 'W', elementType: 'float', dims: [3, 2], data: [1, 2, 3] }] },
    };
    expect(() => encodeOnnxModel(bad)).toThrow(/W has dims \[3, 2\] \(6 values\) but 3 values/);
  });
});
