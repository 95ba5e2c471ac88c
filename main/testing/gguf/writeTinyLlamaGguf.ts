// Test support: writes a tiny but real llama-architecture GGUF model (random weights, ChatML chat
// template, SentencePiece-style vocabulary with byte fallback) that the real node-llama-cpp /
// llama.cpp can load, tokenize with and chat with, so model-dependent tests run in CI without
// downloaded weights. Its output is gibberish by design; it exercises the plumbing, not quality.
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GgufWriter } from './GgufWriter';
import type { GgufTensorType } from './GgufWriter';
import { TokenType, buildTinyLlamaVocab } from './buildTinyLlamaVocab';
import { createSeededRandom } from '../../../common/base/createSeededRandom';

/** The usual ChatML template (as shipped by OpenHermes/Qwen-style models). */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface TinyLlamaOptions {
  /** PRNG seed for the weights; same options → byte-identical file. Default 1. */
  readonly seed?: number;
  /** Default 2. */
  readonly blockCount?: number;
  /** n_embd. Default 64. Must be a multiple of headCount. */
  readonly embeddingLength?: number;
  /** Default 4. */
  readonly headCount?: number;
  /** Default 2 (grouped-query attention). Must divide headCount. */
  readonly headCountKv?: number;
  /** Default 128. */
  readonly feedForwardLength?: number;
  /** llama.context_length (n_ctx_train). Default 2048. */
  readonly contextLength?: number;
  /** Default 10000. */
  readonly ropeFreqBase?: number;
  /** Default 1e-5. */
  readonly rmsEpsilon?: number;
  /** Encoding of the matrices (norm vectors stay F32, as llama.cpp expects). Default F32. */
  readonly weightType?: GgufTensorType;
  /** general.name. Default "CodeSage Tiny Llama". */
  readonly name?: string;
  /** tokenizer.chat_template; null leaves it out (node-llama-cpp then has to guess). Default ChatML. */
  readonly chatTemplate?: string | null;
  /**
   * Extra logit (approximate) for <|im_end|> at every position, so tests can get replies that end
   * on their own: about 6–8 ends greedy replies after a few words, 50 ends every reply at once.
   * Default 0: <|im_end|> is as unlikely as any token, so replies run to maxTokens.
   */
  readonly endOfTurnLogitBias?: number;
  /**
   * Let the model emit byte-fallback tokens (<0x00>..<0xFF>), whose random sequences are mostly
   * invalid UTF-8 and stream as U+FFFD. Default false: they get a large negative logit bias, so
   * replies are made of word pieces (tokenizing still falls back to bytes either way).
   */
  readonly generateByteTokens?: boolean;
  /** Standard deviation of the logits; larger → more peaked sampling. Default 3. */
  readonly logitScale?: number;
}

export interface TinyLlamaInfo {
  readonly path: string;
  readonly sizeBytes: number;
  /** Hex sha256 of the file. */
  readonly sha256: string;
  readonly seed: number;
  readonly vocabSize: number;
  readonly contextLength: number;
  readonly embeddingLength: number;
  readonly blockCount: number;
  readonly headCount: number;
  readonly headCountKv: number;
  readonly feedForwardLength: number;
  readonly parameterCount: number;
  readonly chatTemplate: string | null;
  readonly tokenIds: {
    readonly unk: number;
    readonly bos: number;
    /** tokenizer.ggml.eos_token_id: <|im_end|>, as in ChatML models. */
    readonly eos: number;
    /** tokenizer.ggml.padding_token_id: </s>, which llama.cpp also treats as end of generation. */
    readonly padding: number;
    readonly imStart: number;
    readonly imEnd: number;
  };
}

const FILE_TYPE_ALL_F32 = 0;
const FILE_TYPE_MOSTLY_F16 = 1;

/**
 * Residual-stream channel reserved as a constant "bias" input: every token embedding holds
 * BIAS_CHANNEL_VALUE there, no block reads it (its norm weights are 0) or writes it (the output
 * projections' rows for it are 0), so after the final norm it is a nonzero, steady input to the
 * output layer. Its weight in a token's output row then acts as a per-token logit bias, which is
 * how endOfTurnLogitBias works without an output-bias tensor (llama has none).
 */
const BIAS_CHANNEL = 0;
const BIAS_CHANNEL_VALUE = 1;
/**
 * After the final RMS norm the bias channel reads BIAS_CHANNEL_VALUE / rms(hidden state), which
 * drifts with the context; with this gain the logit bias llama.cpp actually applies measured
 * 0.75–1.2× the requested one (log-probability of <|im_end|> with and without a bias of 3).
 */
const BIAS_CHANNEL_GAIN = Math.SQRT2;
const SUPPRESSED_LOGIT_BIAS = -30;

export async function writeTinyLlamaGguf(path: string, options: TinyLlamaOptions = {}): Promise<TinyLlamaInfo> {
  const seed = options.seed ?? 1;
  const nLayer = positiveInt('blockCount', options.blockCount ?? 2);
  const nEmbd = positiveInt('embeddingLength', options.embeddingLength ?? 64);
  const nHead = positiveInt('headCount', options.headCount ?? 4);
  const nHeadKv = positiveInt('headCountKv', options.headCountKv ?? 2);
  const nFf = positiveInt('feedForwardLength', options.feedForwardLength ?? 128);
  const nCtx = positiveInt('contextLength', options.contextLength ?? 2048);
  if (nEmbd % nHead !== 0) throw new RangeError(`embeddingLength (${nEmbd}) must be a multiple of headCount (${nHead}).`);
  if (nHead % nHeadKv !== 0) throw new RangeError(`headCountKv (${nHeadKv}) must divide headCount (${nHead}).`);
  const headDim = nEmbd / nHead;
  // RoPE rotates pairs of dimensions.
  if (headDim % 2 !== 0) throw new RangeError(`Head size (${headDim}) must be even for RoPE.`);
  const nEmbdKv = headDim * nHeadKv;
  const weightType = options.weightType ?? 'F32';
  const chatTemplate = options.chatTemplate === undefined ? CHATML_TEMPLATE : options.chatTemplate;
  const logitScale = options.logitScale ?? 3;
  const endOfTurnLogitBias = options.endOfTurnLogitBias ?? 0;

  const vocab = buildTinyLlamaVocab();
  const nVocab = vocab.tokens.length;
  const eos = vocab.ids.imEnd;
  const padding = vocab.ids.endOfText;
  const random = createSeededRandom(seed);

  const gguf = new GgufWriter();
  gguf
    .addString('general.architecture', 'llama')
    .addString('general.type', 'model')
    .addString('general.name', options.name ?? 'CodeSage Tiny Llama')
    .addUint32('general.file_type', weightType === 'F32' ? FILE_TYPE_ALL_F32 : FILE_TYPE_MOSTLY_F16)
    .addUint32('llama.vocab_size', nVocab)
    .addUint32('llama.context_length', nCtx)
    .addUint32('llama.embedding_length', nEmbd)
    .addUint32('llama.block_count', nLayer)
    .addUint32('llama.feed_forward_length', nFf)
    .addUint32('llama.attention.head_count', nHead)
    .addUint32('llama.attention.head_count_kv', nHeadKv)
    .addFloat32('llama.attention.layer_norm_rms_epsilon', options.rmsEpsilon ?? 1e-5)
    .addUint32('llama.rope.dimension_count', headDim)
    .addFloat32('llama.rope.freq_base', options.ropeFreqBase ?? 10000)
    .addString('tokenizer.ggml.model', 'llama')
    .addStringArray('tokenizer.ggml.tokens', vocab.tokens)
    .addFloat32Array('tokenizer.ggml.scores', vocab.scores)
    .addInt32Array('tokenizer.ggml.token_type', vocab.tokenTypes)
    .addUint32('tokenizer.ggml.bos_token_id', vocab.ids.bos)
    // ChatML models end a turn with <|im_end|>; making it EOS means every consumer (llama.cpp's
    // end-of-generation check and node-llama-cpp's stop logic) ends replies on it.
    .addUint32('tokenizer.ggml.eos_token_id', eos)
    .addUint32('tokenizer.ggml.unknown_token_id', vocab.ids.unk)
    .addUint32('tokenizer.ggml.padding_token_id', padding)
    .addBool('tokenizer.ggml.add_bos_token', true)
    .addBool('tokenizer.ggml.add_eos_token', false)
    .addBool('tokenizer.ggml.add_space_prefix', true);
  if (chatTemplate !== null) gguf.addString('tokenizer.chat_template', chatTemplate);

  // Scales keep every activation around unit size (the usual 1/sqrt(fan_in) init), so nothing
  // overflows or collapses to NaN, while random projections still make the next token depend on
  // the context, so generation is varied rather than one repeated token.
  let parameterCount = 0;
  const tensor = (name: string, dims: readonly number[], data: Float32Array, type: GgufTensorType = weightType): void => {
    gguf.addTensor(name, dims, data, { type });
    parameterCount += data.length;
  };
  const matrix = (nIn: number, nOut: number, scale: number): Float32Array => uniform(random, nIn * nOut, scale / Math.sqrt(nIn));
  const norm = (): Float32Array => {
    const weights = new Float32Array(nEmbd).fill(1);
    weights[BIAS_CHANNEL] = 0;
    return weights;
  };

  const tokenEmbd = uniform(random, nEmbd * nVocab, 1);
  for (let token = 0; token < nVocab; token++) tokenEmbd[token * nEmbd + BIAS_CHANNEL] = BIAS_CHANNEL_VALUE;
  tensor('token_embd.weight', [nEmbd, nVocab], tokenEmbd);

  for (let layer = 0; layer < nLayer; layer++) {
    const blk = `blk.${layer}`;
    tensor(`${blk}.attn_norm.weight`, [nEmbd], norm(), 'F32');
    // Query/key scale > 1 sharpens attention so earlier tokens visibly matter.
    tensor(`${blk}.attn_q.weight`, [nEmbd, nEmbd], matrix(nEmbd, nEmbd, 2));
    tensor(`${blk}.attn_k.weight`, [nEmbd, nEmbdKv], matrix(nEmbd, nEmbdKv, 2));
    tensor(`${blk}.attn_v.weight`, [nEmbd, nEmbdKv], matrix(nEmbd, nEmbdKv, 1));
    tensor(`${blk}.attn_output.weight`, [nEmbd, nEmbd], zeroRow(matrix(nEmbd, nEmbd, 1), nEmbd, BIAS_CHANNEL));
    tensor(`${blk}.ffn_norm.weight`, [nEmbd], norm(), 'F32');
    tensor(`${blk}.ffn_gate.weight`, [nEmbd, nFf], matrix(nEmbd, nFf, 1));
    tensor(`${blk}.ffn_up.weight`, [nEmbd, nFf], matrix(nEmbd, nFf, 1));
    tensor(`${blk}.ffn_down.weight`, [nFf, nEmbd], zeroRow(matrix(nFf, nEmbd, 1), nFf, BIAS_CHANNEL));
  }

  const outputNorm = new Float32Array(nEmbd).fill(1);
  tensor('output_norm.weight', [nEmbd], outputNorm, 'F32');
  const output = matrix(nEmbd, nVocab, logitScale);
  for (let token = 0; token < nVocab; token++) output[token * nEmbd + BIAS_CHANNEL] = 0;
  output[eos * nEmbd + BIAS_CHANNEL] = endOfTurnLogitBias * BIAS_CHANNEL_GAIN;
  // Control tokens other than the end of turn (and bytes, unless asked for) would only add noise
  // to replies: <s> or <|im_start|> mid-reply is not something a test wants to reason about.
  vocab.tokenTypes.forEach((type, token) => {
    const suppress = (type === TokenType.CONTROL || type === TokenType.UNKNOWN) && token !== eos;
    if (suppress || (type === TokenType.BYTE && options.generateByteTokens !== true)) {
      output[token * nEmbd + BIAS_CHANNEL] = SUPPRESSED_LOGIT_BIAS * BIAS_CHANNEL_GAIN;
    }
  });
  tensor('output.weight', [nEmbd, nVocab], output);

  const bytes = gguf.toBytes();
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return {
    path,
    sizeBytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    seed,
    vocabSize: nVocab,
    contextLength: nCtx,
    embeddingLength: nEmbd,
    blockCount: nLayer,
    headCount: nHead,
    headCountKv: nHeadKv,
    feedForwardLength: nFf,
    parameterCount,
    chatTemplate,
    tokenIds: { unk: vocab.ids.unk, bos: vocab.ids.bos, eos, padding, imStart: vocab.ids.imStart, imEnd: vocab.ids.imEnd },
  };
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}.`);
  return value;
}

/** Uniform values with standard deviation `std` (uniform rather than Gaussian keeps the PRNG libm-free). */
function uniform(random: () => number, length: number, std: number): Float32Array {
  const halfWidth = std * Math.sqrt(3);
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = (random() * 2 - 1) * halfWidth;
  return values;
}

/** Zeroes output row `row` of a [nIn, nOut] matrix (rows are contiguous, nIn long). */
function zeroRow(weights: Float32Array, nIn: number, row: number): Float32Array {
  weights.fill(0, row * nIn, (row + 1) * nIn);
  return weights;
}
