// `codesage intent`: classifies messages with the bundled intent model (or --model <file.onnx>).
// - `codesage intent "text"`: label, confidence, every score and whether it is uncertain, for
//   people; with --json one JSON object {text, label, confidence, scores, uncertain, modelVersion}.
// - `codesage intent --jsonl <file|->`: one {"text": …} object a line in, one
//   {"text", "label", "confidence", "scores"} line out, in order, classified in batches. A line that
//   is not such an object gives {"line": n, "error": "…"} in its place (so output line n always
//   answers input line n) and the same message on stderr; the other lines are still classified and
//   the exit code is 2. A trailing newline does not count as a line.
// Exit codes: 0 done; 1 nothing could be classified (no model could run, or the --jsonl file is
// missing: the reason is printed, never a made-up answer); 2 some --jsonl lines were bad.
import { createReadStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { INTENT_LABELS } from '../../common/intent/intentLabels';
import type { IntentResult } from '../../common/router/routeSchema';
import { IntentService } from '../services/intent/IntentService';
import { resolveBundledIntentModelPath } from '../services/intent/resolveBundledIntentModelPath';
import type { CliIo } from './createProgram';

export interface IntentCliOptions {
  /** Path of a JSONL file to classify, or '-' for stdin. */
  readonly jsonl?: string;
  readonly json: boolean;
  /** Another intent model than the bundled one. */
  readonly model?: string;
}

export const EXIT_FAILED = 1;
export const EXIT_BAD_LINES = 2;
const BATCH = 64;

export async function runIntent(
  text: string,
  options: IntentCliOptions,
  io: CliIo,
  signal?: AbortSignal,
  stdin: Readable = process.stdin,
): Promise<number> {
  const modelPath = options.model === undefined ? resolveBundledIntentModelPath() : resolve(options.model);
  await using service = await IntentService.create({ modelPath, ...(signal === undefined ? {} : { signal }) });
  if (service.state.problem !== null) {
    io.err(`codesage intent: ${service.state.problem}\n`);
    return EXIT_FAILED;
  }
  if (options.jsonl !== undefined) {
    if (text !== '') {
      io.err('codesage intent: give either text or --jsonl <file>, not both.\n');
      return EXIT_BAD_LINES;
    }
    const path = resolve(options.jsonl);
    if (options.jsonl !== '-' && !existsSync(path)) {
      io.err(`codesage intent: the file ${path} does not exist. Pass a JSONL file with one {"text": "…"} per line, or - for stdin.\n`);
      return EXIT_FAILED;
    }
    const input = options.jsonl === '-' ? stdin : createReadStream(path, { encoding: 'utf8' });
    return await classifyJsonl(service, input, io, signal);
  }
  const result = await service.classify(text, signal === undefined ? {} : { signal });
  if (options.json) {
    const { label, confidence, scores, uncertain, modelVersion } = result;
    io.out(`${JSON.stringify({ text, label, confidence, scores, uncertain, modelVersion })}\n`);
  } else {
    io.out(formatIntentResult(result, service.state.provider ?? 'cpu'));
  }
  return 0;
}

/** The human-readable form: label and confidence, certainty, every score from high to low, model. */
export function formatIntentResult(result: IntentResult, provider: string): string {
  const percent = (p: number): string => `${(p * 100).toFixed(1)}%`;
  const scores = [...INTENT_LABELS]
    .sort((a, b) => result.scores[b] - result.scores[a])
    .map((label) => `${label} ${percent(result.scores[label])}`)
    .join(' · ');
  return [
    `label:      ${result.label} (${percent(result.confidence)})`,
    `uncertain:  ${result.uncertain ? 'yes, below the model threshold: routed as a general message' : 'no'}`,
    `scores:     ${scores}`,
    `model:      ${result.modelVersion ?? 'none'} on ${provider.toUpperCase()}`,
    '',
  ].join('\n');
}

async function classifyJsonl(service: IntentService, input: Readable, io: CliIo, signal: AbortSignal | undefined): Promise<number> {
  let pending: { line: number; text: string | null; error: string | null }[] = [];
  let bad = 0;
  const flush = async (): Promise<void> => {
    const texts = pending.flatMap((entry) => (entry.text === null ? [] : [entry.text]));
    const results = await service.classifyBatch(texts, signal === undefined ? {} : { signal });
    let next = 0;
    for (const entry of pending) {
      if (entry.text === null) {
        io.out(`${JSON.stringify({ line: entry.line, error: entry.error })}\n`);
        continue;
      }
      const result = results[next++];
      if (result === undefined) throw new Error(`No result for line ${String(entry.line)}`);
      const { label, confidence, scores } = result;
      io.out(`${JSON.stringify({ text: entry.text, label, confidence, scores })}\n`);
    }
    pending = [];
  };

  let line = 0;
  let blankRun = 0;
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const raw of lines) {
    line++;
    // A blank line is reported only once something follows it, so trailing blank lines are ignored.
    if (raw.trim() === '') {
      blankRun++;
      continue;
    }
    for (let i = blankRun; i > 0; i--) {
      const error = 'the line is empty; expected {"text": "…"}';
      io.err(`codesage intent: line ${String(line - i)}: ${error}\n`);
      pending.push({ line: line - i, text: null, error });
      bad++;
    }
    blankRun = 0;
    const text = parseTextLine(raw);
    if (typeof text === 'string') {
      pending.push({ line, text, error: null });
    } else {
      io.err(`codesage intent: line ${String(line)}: ${text.error}\n`);
      pending.push({ line, text: null, error: text.error });
      bad++;
    }
    if (pending.length >= BATCH) await flush();
  }
  await flush();
  if (bad > 0) io.err(`codesage intent: ${String(bad)} of ${String(line - blankRun)} lines could not be classified.\n`);
  return bad > 0 ? EXIT_BAD_LINES : 0;
}

function parseTextLine(raw: string): string | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { error: `not valid JSON (${error instanceof Error ? error.message : String(error)}); expected {"text": "…"}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'expected a JSON object {"text": "…"}' };
  const text = (value as { text?: unknown }).text;
  if (typeof text !== 'string') return { error: '"text" is missing or not a string' };
  return text;
}
