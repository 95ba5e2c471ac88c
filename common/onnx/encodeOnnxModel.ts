// Writes an ONNX ModelProto from a plain description: float/int64 tensors, value infos with shapes,
// initializers, nodes with attributes and metadata. Enough for small hand-built models (the intent
// classifier's exporter, test fixtures) without Python or a protobuf library. Field numbers follow
// onnx/onnx.proto3 (IR version 8).
import { ProtobufWriter } from './ProtobufWriter';

/** ONNX tensor element types we write; the numbers are TensorProto.DataType values. */
export type OnnxElementType = 'float' | 'int64' | 'int32';

/** A dimension: a fixed size, or a symbolic name such as "batch" for sizes known only at run time. */
export type OnnxDimension = number | string;

export interface OnnxValueInfo {
  readonly name: string;
  readonly elementType: OnnxElementType;
  readonly shape: readonly OnnxDimension[];
}

export type OnnxTensor =
  | { readonly name: string; readonly elementType: 'float'; readonly dims: readonly number[]; readonly data: ArrayLike<number> }
  | { readonly name: string; readonly elementType: 'int64'; readonly dims: readonly number[]; readonly data: readonly (number | bigint)[] };

export type OnnxAttribute =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number | bigint }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'tensor'; readonly value: OnnxTensor }
  | { readonly type: 'floats'; readonly value: readonly number[] }
  | { readonly type: 'ints'; readonly value: readonly (number | bigint)[] }
  | { readonly type: 'strings'; readonly value: readonly string[] };

export interface OnnxNode {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly name?: string;
  /** Operator domain; '' (the default ONNX domain) when absent. */
  readonly domain?: string;
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>;
}

export interface OnnxGraph {
  readonly name: string;
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  readonly initializers?: readonly OnnxTensor[];
  /** In topological order, as ONNX requires. */
  readonly nodes: readonly OnnxNode[];
}

export interface OnnxModel {
  readonly graph: OnnxGraph;
  /** Defaults to 8, which every onnxruntime since 1.10 reads. */
  readonly irVersion?: number;
  /** Default-domain opset; defaults to 17. */
  readonly opsetVersion?: number;
  readonly producerName?: string;
  readonly producerVersion?: string;
  readonly docString?: string;
  /** Free-form key/value pairs, readable from an onnxruntime session's metadata. */
  readonly metadata?: Readonly<Record<string, string>>;
}

// onnx.proto3 field numbers.
const Model = { irVersion: 1, producerName: 2, producerVersion: 3, docString: 6, graph: 7, opsetImport: 8, metadataProps: 14 } as const;
const OperatorSetId = { domain: 1, version: 2 } as const;
const StringStringEntry = { key: 1, value: 2 } as const;
const Graph = { node: 1, name: 2, initializer: 5, input: 11, output: 12 } as const;
const Node = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
const Attribute = { name: 1, f: 2, i: 3, s: 4, t: 5, floats: 7, ints: 8, strings: 9, type: 20 } as const;
const AttributeType = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;
const Tensor = { dims: 1, dataType: 2, name: 8, rawData: 9 } as const;
const DataType = { float: 1, int32: 6, int64: 7 } as const;
const ValueInfo = { name: 1, type: 2 } as const;
const Type = { tensorType: 1 } as const;
const TensorType = { elemType: 1, shape: 2 } as const;
const Shape = { dim: 1 } as const;
const Dimension = { dimValue: 1, dimParam: 2 } as const;

export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const writer = new ProtobufWriter();
  writer.varint(Model.irVersion, model.irVersion ?? 8);
  if (model.producerName !== undefined) writer.string(Model.producerName, model.producerName);
  if (model.producerVersion !== undefined) writer.string(Model.producerVersion, model.producerVersion);
  if (model.docString !== undefined) writer.string(Model.docString, model.docString);
  writer.message(Model.graph, (w) => {
    writeGraph(w, model.graph);
  });
  writer.message(Model.opsetImport, (w) => {
    w.string(OperatorSetId.domain, '').varint(OperatorSetId.version, model.opsetVersion ?? 17);
  });
  for (const [key, value] of Object.entries(model.metadata ?? {})) {
    writer.message(Model.metadataProps, (w) => {
      w.string(StringStringEntry.key, key).string(StringStringEntry.value, value);
    });
  }
  return writer.finish();
}

function writeGraph(writer: ProtobufWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) {
    writer.message(Graph.node, (w) => {
      writeNode(w, node);
    });
  }
  writer.string(Graph.name, graph.name);
  for (const tensor of graph.initializers ?? []) {
    writer.message(Graph.initializer, (w) => {
      writeTensor(w, tensor);
    });
  }
  for (const input of graph.inputs) {
    writer.message(Graph.input, (w) => {
      writeValueInfo(w, input);
    });
  }
  for (const output of graph.outputs) {
    writer.message(Graph.output, (w) => {
      writeValueInfo(w, output);
    });
  }
}

function writeNode(writer: ProtobufWriter, node: OnnxNode): void {
  for (const input of node.inputs) writer.string(Node.input, input);
  for (const output of node.outputs) writer.string(Node.output, output);
  if (node.name !== undefined) writer.string(Node.name, node.name);
  writer.string(Node.opType, node.opType);
  for (const [name, attribute] of Object.entries(node.attributes ?? {})) {
    writer.message(Node.attribute, (w) => {
      writeAttribute(w, name, attribute);
    });
  }
  if (node.domain !== undefined && node.domain !== '') writer.string(Node.domain, node.domain);
}

function writeAttribute(writer: ProtobufWriter, name: string, attribute: OnnxAttribute): void {
  writer.string(Attribute.name, name);
  switch (attribute.type) {
    case 'float':
      writer.float(Attribute.f, attribute.value);
      break;
    case 'int':
      writer.varint(Attribute.i, attribute.value);
      break;
    case 'string':
      writer.string(Attribute.s, attribute.value);
      break;
    case 'tensor':
      writer.message(Attribute.t, (w) => {
        writeTensor(w, attribute.value);
      });
      break;
    case 'floats':
      // Repeated scalars in an attribute are written unpacked, as onnx's own helper does.
      for (const value of attribute.value) writer.float(Attribute.floats, value);
      break;
    case 'ints':
      for (const value of attribute.value) writer.varint(Attribute.ints, value);
      break;
    case 'strings':
      for (const value of attribute.value) writer.string(Attribute.strings, value);
      break;
  }
  writer.varint(Attribute.type, AttributeType[attribute.type]);
}

function writeTensor(writer: ProtobufWriter, tensor: OnnxTensor): void {
  const expected = tensor.dims.reduce((product, dim) => product * dim, 1);
  if (tensor.data.length !== expected) {
    throw new RangeError(
      `Tensor ${tensor.name} has dims [${tensor.dims.join(', ')}] (${String(expected)} values) but ${String(tensor.data.length)} values were given`,
    );
  }
  writer.packedVarints(Tensor.dims, tensor.dims);
  writer.varint(Tensor.dataType, DataType[tensor.elementType]);
  writer.string(Tensor.name, tensor.name);
  writer.bytes(Tensor.rawData, tensorRawData(tensor));
}

// raw_data is little-endian whatever the host, per the ONNX spec.
function tensorRawData(tensor: OnnxTensor): Uint8Array {
  if (tensor.elementType === 'float') {
    const bytes = new Uint8Array(tensor.data.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < tensor.data.length; i++) view.setFloat32(i * 4, tensor.data[i] ?? 0, true);
    return bytes;
  }
  const bytes = new Uint8Array(tensor.data.length * 8);
  const view = new DataView(bytes.buffer);
  tensor.data.forEach((value, i) => {
    view.setBigInt64(i * 8, BigInt(value), true);
  });
  return bytes;
}

function writeValueInfo(writer: ProtobufWriter, info: OnnxValueInfo): void {
  writer.string(ValueInfo.name, info.name);
  writer.message(ValueInfo.type, (type) => {
    type.message(Type.tensorType, (tensorType) => {
      tensorType.varint(TensorType.elemType, DataType[info.elementType]);
      tensorType.message(TensorType.shape, (shape) => {
        for (const dim of info.shape) {
          shape.message(Shape.dim, (d) => {
            if (typeof dim === 'number') d.varint(Dimension.dimValue, dim);
            else d.string(Dimension.dimParam, dim);
          });
        }
      });
    });
  });
}
