// Test support: a small SentencePiece-style ("llama" tokenizer model) vocabulary with byte
// fallback, for the tiny test models. Any UTF-8 text tokenizes: pieces cover common English and
// code words, and everything else (newlines, tabs, non-ASCII) falls back to <0xXX> byte tokens.
//
// llama.cpp's SPM tokenizer starts from single characters and repeatedly merges the adjacent
// pair with the best score whose concatenation is itself a piece. A word piece is therefore only
// reachable if a chain of its shorter parts also exists, so every piece comes with its prefixes.

/** tokenizer.ggml.token_type values (llama.cpp's llama_token_type). */
export const TokenType = {
  NORMAL: 1,
  UNKNOWN: 2,
  CONTROL: 3,
  USER_DEFINED: 4,
  UNUSED: 5,
  BYTE: 6,
} as const;

/** SentencePiece's visible space; the tokenizer replaces ' ' with it before matching pieces. */
export const SPM_SPACE = '\u2581';

export interface TinyLlamaVocab {
  readonly tokens: readonly string[];
  readonly scores: readonly number[];
  readonly tokenTypes: readonly number[];
  readonly ids: {
    readonly unk: number;
    readonly bos: number;
    /** </s>; the tiny model's EOS is <|im_end|>, as in ChatML models. */
    readonly endOfText: number;
    readonly imStart: number;
    readonly imEnd: number;
  };
}

const SPECIALS = [
  { text: '<unk>', type: TokenType.UNKNOWN },
  { text: '<s>', type: TokenType.CONTROL },
  { text: '</s>', type: TokenType.CONTROL },
  { text: '<|im_start|>', type: TokenType.CONTROL },
  { text: '<|im_end|>', type: TokenType.CONTROL },
] as const;

// Ordered roughly by frequency: earlier words get better scores, as in a trained SPM model.
const ENGLISH_WORDS =
  'the be to of and a in that have I it for not on with he as you do at this but his by from they we say her she or an will my one all ' +
  'would there their what so up out if about who get which go me when make can like time no just him know take people into year your ' +
  'good some could them see other than then now look only come its over think also back after use two how our work first well way even ' +
  'new want because any these give day most us is are was were has had been here hello Hello hi Hi thanks Thanks please yes Yes world ' +
  // "I’m" has a typographic apostrophe: one piece with a multi-byte character, which must not fall back to bytes.
  'code file test help sure Sure The This It What How I’m model answer question';

const CODE_WORDS =
  'function return const let var if else for while class import export from default async await new this true false null undefined ' +
  'string number boolean type interface extends implements public private static void def self print None True False int str list ' +
  'dict fn pub use mut impl struct enum match package main err nil func error value result data name id console log expect describe';

const SUFFIXES = 'ing ed er es s ly tion ment ness able al';

const CODE_SYMBOLS = ['()', '();', '{}', '=>', '===', '!==', '//', '/*', '*/', '::', '->', '...', '++', '&&', '||'];
const SPACED_SYMBOLS = ['=', '==', '===', '=>', '{', '}', '(', '+', '-', '*', '/', '<', '>', '//', '&&', '||', '?', ':'];

const ASCII_PRINTABLE = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i));

export function buildTinyLlamaVocab(): TinyLlamaVocab {
  const tokens: string[] = [];
  const scores: number[] = [];
  const tokenTypes: number[] = [];
  const seen = new Set<string>();

  const add = (text: string, score: number, type: number): void => {
    if (seen.has(text)) return;
    seen.add(text);
    tokens.push(text);
    scores.push(score);
    tokenTypes.push(type);
  };

  for (const special of SPECIALS) add(special.text, 0, special.type);
  for (let byte = 0; byte < 256; byte++) add(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`, 0, TokenType.BYTE);

  const words = [...ENGLISH_WORDS.split(' '), ...CODE_WORDS.split(' ')];
  const pieces = [
    ...words.map((w) => SPM_SPACE + w),
    ...CODE_WORDS.split(' '),
    ...SUFFIXES.split(' '),
    ...SPACED_SYMBOLS.map((s) => SPM_SPACE + s),
    ...CODE_SYMBOLS,
    // Indentation runs, common in code.
    SPM_SPACE.repeat(2),
    SPM_SPACE.repeat(4),
    SPM_SPACE.repeat(8),
  ];
  // Whole pieces first (best scores), then the prefixes that make them reachable, then the single
  // characters every merge chain starts from.
  const ordered: string[] = [...pieces];
  for (const piece of pieces) {
    const chars = Array.from(piece);
    for (let n = 2; n < chars.length; n++) ordered.push(chars.slice(0, n).join(''));
  }
  ordered.push(SPM_SPACE, ...ASCII_PRINTABLE);

  let rank = 0;
  for (const piece of ordered) {
    if (seen.has(piece)) continue;
    add(piece, -rank, TokenType.NORMAL);
    rank++;
  }

  const idOf = (text: string): number => {
    const id = tokens.indexOf(text);
    if (id < 0) throw new Error(`Tiny vocabulary lost its ${text} token.`);
    return id;
  };
  return {
    tokens,
    scores,
    tokenTypes,
    ids: { unk: idOf('<unk>'), bos: idOf('<s>'), endOfText: idOf('</s>'), imStart: idOf('<|im_start|>'), imEnd: idOf('<|im_end|>') },
  };
}
