// The tiny generated model against the real node-llama-cpp: parsing, loading, tokenizing and
// streamed ChatML chat on CPU, plus the deliberately broken files for error paths.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChatMLChatWrapper,
  LlamaChatSession,
  LlamaLogLevel,
  LlamaLogLevelGreaterThanOrEqual,
  getLlama,
  readGgufFileInfo,
} from 'node-llama-cpp';
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TokenType } from './buildTinyLlamaVocab';
import { CHATML_TEMPLATE, writeTinyLlamaGguf } from './writeTinyLlamaGguf';
import type { TinyLlamaInfo } from './writeTinyLlamaGguf';
import { writeNonGgufFile } from './writeNonGgufFile';
import { writeTruncatedCopy } from './writeTruncatedCopy';

/**
 * One thread per context: a model this small gains nothing from more, and llama.cpp's threads
 * spin-wait on each other, so when vitest's other workers take a core a 2-thread prompt goes
 * from ~20 ms to seconds (measured on the 2-core CI box).
 */
const TINY_MODEL_THREADS = 1;

let dir: string;
let tiny: TinyLlamaInfo;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'codesage-tiny-llama-'));
  tiny = await writeTinyLlamaGguf(join(dir, 'tiny.gguf'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeTinyLlamaGguf file', () => {
  it('is small and deterministic per seed', async () => {
    expect(tiny.sizeBytes).toBeLessThan(5 * 1024 * 1024);
    expect((await readFile(tiny.path)).length).toBe(tiny.sizeBytes);

    const again = await writeTinyLlamaGguf(join(dir, 'again.gguf'));
    expect(again.sha256).toBe(tiny.sha256);
    expect(Buffer.compare(await readFile(again.path), await readFile(tiny.path))).toBe(0);

    const otherSeed = await writeTinyLlamaGguf(join(dir, 'seed2.gguf'), { seed: 2 });
    expect(otherSeed.sizeBytes).toBe(tiny.sizeBytes);
    expect(otherSeed.sha256).not.toBe(tiny.sha256);
  });

  it('parses with node-llama-cpp as a llama model with the declared metadata', async () => {
    const info = await readGgufFileInfo(tiny.path, { logWarnings: false });
    expect(info.version).toBe(3);
    expect(info.metadata.general.architecture).toBe('llama');
    expect(info.metadata.general.name).toBe('CodeSage Tiny Llama');
    expect(info.architectureMetadata).toMatchObject({
      context_length: 2048,
      embedding_length: 64,
      block_count: 2,
      feed_forward_length: 128,
      attention: { head_count: 4, head_count_kv: 2 },
      rope: { dimension_count: 16 },
    });

    const tokenizer = info.metadata.tokenizer;
    expect(tokenizer.ggml.model).toBe('llama');
    expect(tokenizer.chat_template).toBe(CHATML_TEMPLATE);
    expect(tokenizer.ggml.tokens).toHaveLength(tiny.vocabSize);
    expect(tokenizer.ggml.eos_token_id).toBe(tiny.tokenIds.imEnd);
    // Plain numbers: node-llama-cpp's token type enum is a const enum, unusable with isolatedModules.
    const types: readonly number[] = tokenizer.ggml.token_type;
    expect(types[tiny.tokenIds.imStart]).toBe(TokenType.CONTROL);
    expect(types[tiny.tokenIds.imEnd]).toBe(TokenType.CONTROL);
    expect(tokenizer.ggml.tokens.indexOf('<0x0A>')).toBeGreaterThan(0);
    expect(types.filter((t) => t === TokenType.BYTE)).toHaveLength(256);

    const tensors = new Map((info.tensorInfo ?? []).map((t) => [t.name, t.dimensions]));
    expect(tensors.size).toBe(3 + 2 * 9);
    expect(tensors.get('token_embd.weight')).toEqual([64, tiny.vocabSize]);
    expect(tensors.get('output.weight')).toEqual([64, tiny.vocabSize]);
    expect(tensors.get('blk.1.attn_k.weight')).toEqual([64, 32]);
    expect(tensors.get('blk.1.ffn_down.weight')).toEqual([128, 64]);
  });

  it('honours the shape options', async () => {
    const custom = await writeTinyLlamaGguf(join(dir, 'custom.gguf'), {
      blockCount: 1,
      contextLength: 256,
      headCountKv: 4,
      weightType: 'F16',
    });
    const info = await readGgufFileInfo(custom.path, { logWarnings: false });
    expect(info.architectureMetadata).toMatchObject({ context_length: 256, block_count: 1, attention: { head_count_kv: 4 } });
    expect(info.metadata.general.file_type).toBe(1);
    expect(custom.sizeBytes).toBeLessThan(tiny.sizeBytes / 2);
    await expect(writeTinyLlamaGguf(join(dir, 'bad.gguf'), { embeddingLength: 30, headCount: 4 })).rejects.toThrow(/multiple of headCount/);
  });
});

describe('writeTinyLlamaGguf with the real engine', () => {
  let llama: Llama;
  let model: LlamaModel;
  let context: LlamaContext;

  let capturedLogs: string[] | null = null;

  /**
   * Runs `action` with llama.cpp's log collected instead of printed, for expected failures, and
   * waits for a line matching `until`: the native log arrives through a thread-safe callback, so
   * it can land after the promise that failed has already settled.
   */
  async function captureLlamaLogs(until: RegExp, action: () => Promise<void>): Promise<string[]> {
    const logs: string[] = [];
    capturedLogs = logs;
    try {
      await action();
      await vi.waitFor(() => {
        expect(logs.join('\n')).toMatch(until);
      });
    } finally {
      capturedLogs = null;
    }
    return logs;
  }

  beforeAll(async () => {
    llama = await getLlama({
      gpu: false,
      build: 'never',
      // Physical cores: the default oversubscribes small CI machines and runs far slower.
      maxThreads: 2,
      logger: (level, message) => {
        if (capturedLogs) capturedLogs.push(message);
        else if (LlamaLogLevelGreaterThanOrEqual(level, LlamaLogLevel.warn)) console.warn(`[llama.cpp ${level}] ${message}`);
      },
    });
    model = await llama.loadModel({ modelPath: tiny.path });
    context = await model.createContext({ contextSize: 512, threads: TINY_MODEL_THREADS });
  });
  afterAll(async () => {
    // Cleanup is not what these tests check, and once in many runs node-llama-cpp's dispose here
    // never settled (after the broken-file loads); give it a bounded time and say so if it hangs.
    const cleanup = (async () => {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    })();
    const timedOut = await Promise.race([
      cleanup.then(() => false),
      new Promise<boolean>((resolve) =>
        setTimeout(() => {
          resolve(true);
        }, 15_000).unref(),
      ),
    ]);
    if (timedOut) console.warn('node-llama-cpp did not finish disposing within 15 s; continuing.');
  });

  it('loads with the declared shape and special tokens', () => {
    expect(model.trainContextSize).toBe(2048);
    expect(model.tokens.bos).toBe(tiny.tokenIds.bos);
    expect(model.tokens.eos).toBe(tiny.tokenIds.imEnd);
    expect(model.tokens.eosString).toBe('<|im_end|>');
    expect(model.tokens.nl).toBe(model.fileInfo.metadata.tokenizer.ggml.tokens.indexOf('<0x0A>'));
  });

  it('tokenizes words to pieces and round-trips ASCII and non-ASCII text', () => {
    expect(model.tokenize('Hello world').map((t) => model.detokenize([t]))).toEqual(['Hello', 'world']);
    expect(model.tokenize('I’m')).toHaveLength(1); // a piece with a multi-byte character
    for (const text of ['const x = console.log(value);\n\treturn', 'héllo wörld, 日本語 🙂', 'I’m here']) {
      expect(model.detokenize(model.tokenize(text))).toBe(text);
    }
    // Characters without a piece fall back to their UTF-8 bytes: 日 is E6 97 A5.
    const { tokens, token_type } = model.fileInfo.metadata.tokenizer.ggml;
    const types: readonly number[] = token_type;
    const byteTokens = model.tokenize('日').filter((t) => types[t] === TokenType.BYTE);
    expect(byteTokens.map((t) => tokens[t])).toEqual(['<0xE6>', '<0x97>', '<0xA5>']);
    // Special tokens are only recognised when asked for.
    expect(model.tokenize('<|im_end|>', true)).toEqual([tiny.tokenIds.imEnd]);
    expect(model.tokenize('<|im_end|>')).not.toContain(tiny.tokenIds.imEnd);
  });

  it('chats through the ChatML wrapper with streamed text', async () => {
    const session = new LlamaChatSession({ contextSequence: context.getSequence() });
    try {
      expect(session.chatWrapper).toBeInstanceOf(ChatMLChatWrapper);
      const chunks: string[] = [];
      const reply = await session.prompt('Hello', { maxTokens: 16, onTextChunk: (chunk) => chunks.push(chunk) });
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join('')).toBe(reply);
      expect(reply.trim()).not.toBe('');
      expect(new Set(chunks).size).toBeGreaterThan(4); // varied, not one token repeated
      expect(reply).not.toContain('\uFFFD');
      // Greedy decoding of random weights is still a function of the input.
      session.resetChatHistory();
      expect(await session.prompt('Hello', { maxTokens: 16 })).toBe(reply);
    } finally {
      session.dispose({ disposeSequence: true });
    }
  });

  it('ends replies on <|im_end|> when the end-of-turn bias asks for it', async () => {
    const ending = await writeTinyLlamaGguf(join(dir, 'ending.gguf'), { endOfTurnLogitBias: 50 });
    const endingModel = await llama.loadModel({ modelPath: ending.path });
    try {
      const endingContext = await endingModel.createContext({ contextSize: 256, threads: TINY_MODEL_THREADS });
      const session = new LlamaChatSession({ contextSequence: endingContext.getSequence() });
      const { response, stopReason } = await session.promptWithMeta('Hello', { maxTokens: 16 });
      expect(stopReason).toBe('eogToken');
      expect(response).toEqual([]);
    } finally {
      await endingModel.dispose();
    }
  });

  it('rejects broken files', async () => {
    // loadModel only says "Failed to load model"; llama.cpp's log has the reason.
    const logs = await captureLlamaLogs(/failed to load model/, async () => {
      const truncated = join(dir, 'truncated.gguf');
      await writeTruncatedCopy(tiny.path, truncated, tiny.sizeBytes - 1);
      await expect(llama.loadModel({ modelPath: truncated })).rejects.toThrow(/Failed to load model/);
    });
    expect(logs.join('\n')).toMatch(/not within the file bounds/);

    // node-llama-cpp 3.22's readGgufFileInfo reads past the end of a file as if it were zeros, so
    // it "parses" even a cut-off header; only loading (or a size/sha256 check) catches truncation.
    const headerOnly = join(dir, 'header-only.gguf');
    await writeTruncatedCopy(tiny.path, headerOnly, 100);
    const headerInfo = await readGgufFileInfo(headerOnly, { logWarnings: false });
    expect(headerInfo.metadata.general.architecture).not.toBe('llama');
    await captureLlamaLogs(/failed to load model/, async () => {
      await expect(llama.loadModel({ modelPath: headerOnly })).rejects.toThrow(/Failed to load model/);
    });

    // A wrong magic is caught up front, by node-llama-cpp's own parser (InvalidGgufMagicError, not exported).
    const notGguf = join(dir, 'not-a-model.gguf');
    await writeNonGgufFile(notGguf);
    await expect(readGgufFileInfo(notGguf, { logWarnings: false })).rejects.toThrow(/Invalid GGUF magic/);
    await expect(llama.loadModel({ modelPath: notGguf })).rejects.toThrow(/Invalid GGUF magic/);
  });
});
