// Checks that a file is a complete GGUF model before anything tries to load it, and says in words
// what is wrong when it is not. llama.cpp only answers "Failed to load model" for a cut-off file,
// and node-llama-cpp's header reader treats bytes past the end as zeros, so truncation is found
// here by comparing the file's size with where its last tensor's data ends.
import { open, stat } from 'node:fs/promises';
import type { GgufFileInfo } from 'node-llama-cpp';
import { ggmlTensorByteSize } from './ggmlTensorByteSize';

export type InvalidModelFileReason = 'notGguf' | 'truncated' | 'unreadable' | 'damaged';

export type GgufInspection =
  | { readonly status: 'ok'; readonly sizeBytes: number; readonly info: GgufFileInfo }
  | { readonly status: 'missing' }
  | {
      readonly status: 'invalid';
      readonly reason: InvalidModelFileReason;
      readonly sizeBytes: number;
      /** What is wrong and what to do, for the user; does not name the file. */
      readonly problem: string;
    };

export interface InspectGgufFileOptions {
  readonly signal?: AbortSignal;
}

const GGUF_MAGIC = 'GGUF';
/** Vocabulary arrays hold most of a header (150k+ strings); nothing here needs them. */
const IGNORED_KEYS = ['tokenizer.ggml.tokens', 'tokenizer.ggml.scores', 'tokenizer.ggml.token_type', 'tokenizer.ggml.merges'];
const downloadAgain = 'download it again';

export async function inspectGgufFile(path: string, options: InspectGgufFileOptions = {}): Promise<GgufInspection> {
  let sizeBytes: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) return invalid('unreadable', 0, 'This is a folder, not a model file: pick a .gguf file.');
    sizeBytes = stats.size;
  } catch (error) {
    if (isMissingFileError(error)) return { status: 'missing' };
    return invalid(
      'unreadable',
      0,
      `The file could not be read (${describe(error)}): check that CodeSage may read it, or ${downloadAgain}.`,
    );
  }
  if (sizeBytes === 0) return invalid('truncated', 0, `The file is empty: the download did not finish; ${downloadAgain}.`);

  let magic: string;
  try {
    magic = await readMagic(path);
  } catch (error) {
    if (isMissingFileError(error)) return { status: 'missing' };
    return invalid(
      'unreadable',
      sizeBytes,
      `The file could not be read (${describe(error)}): check that CodeSage may read it, or ${downloadAgain}.`,
    );
  }
  if (magic !== GGUF_MAGIC) {
    if (sizeBytes < GGUF_MAGIC.length && GGUF_MAGIC.startsWith(magic)) {
      return invalid('truncated', sizeBytes, `The file is truncated (${sizeBytes} bytes): the download did not finish; ${downloadAgain}.`);
    }
    return invalid(
      'notGguf',
      sizeBytes,
      'This is not a GGUF model file (it does not start with the GGUF signature): download the .gguf version of the model.',
    );
  }

  let info: GgufFileInfo;
  try {
    // Imported here: node-llama-cpp takes about 0.6 s to import, which app start should not wait for.
    const { readGgufFileInfo } = await import('node-llama-cpp');
    info = await readGgufFileInfo(path, {
      sourceType: 'filesystem',
      logWarnings: false,
      spliceSplitFiles: false,
      ignoreKeys: IGNORED_KEYS,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    if (isMissingFileError(error)) return { status: 'missing' };
    return invalid('damaged', sizeBytes, `The model header could not be read (${describe(error)}): the file is damaged; ${downloadAgain}.`);
  }

  const expected = expectedFileSize(info);
  if (expected === null) {
    return invalid('damaged', sizeBytes, `The model header is incomplete (no tensor list): the file is damaged; ${downloadAgain}.`);
  }
  if (sizeBytes < expected.bytes) {
    const of = expected.exact ? `${sizeBytes} of ${expected.bytes}` : `${sizeBytes} of at least ${expected.bytes}`;
    return invalid('truncated', sizeBytes, `The file is truncated (${of} bytes): the download did not finish; ${downloadAgain}.`);
  }
  if ((info.tensorInfo ?? []).length === 0) {
    return invalid('damaged', sizeBytes, 'The file holds no model weights (it may be a vocabulary-only GGUF): pick a model file instead.');
  }
  return { status: 'ok', sizeBytes, info };
}

/** Where the file must end at least: after its header and after the last byte of tensor data. */
function expectedFileSize(info: GgufFileInfo): { bytes: number; exact: boolean } | null {
  if (info.infoEndOffset === undefined || info.tensorInfo === undefined) return null;
  let bytes = info.infoEndOffset;
  let exact = true;
  for (const tensor of info.tensorInfo) {
    const size = ggmlTensorByteSize(tensor.ggmlType, tensor.dimensions);
    // An unknown type still has to start inside the file.
    if (size === null) exact = false;
    bytes = Math.max(bytes, Number(tensor.fileOffset) + (size ?? 1));
  }
  return { bytes, exact };
}

async function readMagic(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(GGUF_MAGIC.length);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await file.close();
  }
}

function invalid(reason: InvalidModelFileReason, sizeBytes: number, problem: string): GgufInspection {
  return { status: 'invalid', reason, sizeBytes, problem };
}

function isMissingFileError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
