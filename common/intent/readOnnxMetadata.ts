// Reads the metadata_props of an ONNX ModelProto. onnxruntime-node does not expose custom metadata,
// so the intent model reads its own: this walks only the top-level fields of the protobuf and skips
// the graph without decoding it. It would belong in common/onnx next to the encoder.

/** Thrown when the bytes are not a well-formed protobuf message. */
export class OnnxFormatError extends Error {
  override readonly name = 'OnnxFormatError';
}

const METADATA_PROPS = 14;
const KEY = 1;
const VALUE = 2;

export function readOnnxMetadata(bytes: Uint8Array): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const field of readFields(bytes)) {
    if (field.number !== METADATA_PROPS || field.bytes === undefined) continue;
    let key: string | undefined;
    let value = '';
    for (const entry of readFields(field.bytes)) {
      if (entry.bytes === undefined) continue;
      if (entry.number === KEY) key = decodeUtf8(entry.bytes);
      else if (entry.number === VALUE) value = decodeUtf8(entry.bytes);
    }
    if (key !== undefined) metadata[key] = value;
  }
  return metadata;
}

interface Field {
  readonly number: number;
  readonly bytes?: Uint8Array;
}

function* readFields(bytes: Uint8Array): Generator<Field> {
  let offset = 0;
  // Varints here are at most 64 bits; Number loses precision past 2^53 but only lengths (small)
  // and field numbers (smaller) are ever used.
  const readVarint = (): number => {
    let result = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new OnnxFormatError('The ONNX data ends inside a number');
      result += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return result;
      multiplier *= 128;
    }
    throw new OnnxFormatError('The ONNX data holds a malformed number');
  };
  while (offset < bytes.length) {
    const tag = readVarint();
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (number === 0) throw new OnnxFormatError('The ONNX data holds field number 0');
    if (wireType === 0) {
      readVarint();
      yield { number };
    } else if (wireType === 1 || wireType === 5) {
      offset += wireType === 1 ? 8 : 4;
      yield { number };
    } else if (wireType === 2) {
      const length = readVarint();
      if (offset + length > bytes.length) throw new OnnxFormatError('A field of the ONNX data runs past its end');
      yield { number, bytes: bytes.subarray(offset, offset + length) };
      offset += length;
    } else {
      throw new OnnxFormatError(`The ONNX data holds unknown wire type ${String(wireType)}`);
    }
  }
  if (offset > bytes.length) throw new OnnxFormatError('The ONNX data ends inside a field');
}

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new OnnxFormatError('The ONNX metadata holds text that is not UTF-8', { cause: error });
  }
}
