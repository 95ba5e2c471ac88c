import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../onnx/encodeOnnxModel';
import { OnnxFormatError, readOnnxMetadata } from './readOnnxMetadata';

const bytes = encodeOnnxModel({
  metadata: { 'codesage.intent': '{"a":1}', other: 'ünïcode ✓', empty: '' },
  graph: {
    name: 'g',
    inputs: [{ name: 'x', elementType: 'float', shape: [1] }],
    outputs: [{ name: 'y', elementType: 'float', shape: [1] }],
    initializers: [{ name: 'w', elementType: 'float', dims: [2], data: [1, 2] }],
    nodes: [{ opType: 'Identity', inputs: ['x'], outputs: ['y'] }],
  },
});

describe('readOnnxMetadata', () => {
  it('reads back the metadata the encoder wrote, skipping the graph', () => {
    expect(readOnnxMetadata(bytes)).toEqual({ 'codesage.intent': '{"a":1}', other: 'ünïcode ✓', empty: '' });
  });

  it('returns nothing for a model without metadata and throws OnnxFormatError on garbage', () => {
    expect(readOnnxMetadata(new Uint8Array())).toEqual({});
    expect(() => readOnnxMetadata(bytes.subarray(0, bytes.length - 3))).toThrow(OnnxFormatError);
    expect(() => readOnnxMetadata(new TextEncoder().encode('not an onnx model at all'))).toThrow(OnnxFormatError);
    expect(() => readOnnxMetadata(Uint8Array.from([0xff, 0xff, 0xff]))).toThrow(OnnxFormatError);
  });
});
