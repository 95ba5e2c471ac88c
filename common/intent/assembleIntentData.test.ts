import { describe, expect, it } from 'vitest';
import {
  addTypos,
  assembleIntentData,
  formatIntentJsonl,
  IntentDataError,
  intentDataKey,
  intentSplitBucket,
  parseIntentJsonl,
} from './assembleIntentData';
import type { IntentSourceFile } from './assembleIntentData';
import { INTENT_LABELS } from './intentLabels';
import { syntheticIntentSentences } from './testing/syntheticIntentSentences';

const line = (text: string, label: string): string => JSON.stringify({ text, label });
const file = (name: string, ...lines: string[]): IntentSourceFile => ({ name, content: lines.join('\n') + '\n' });
const sentences = syntheticIntentSentences(60, 4);
const corpus = [file('hand/all.jsonl', ...sentences.map(({ text, label }) => line(text, label)))];

describe('assembleIntentData', () => {
  it('normalizes text, drops exact duplicates and keeps the first', () => {
    const data = assembleIntentData(
      [file('hand/a.jsonl', line('  Fix the\r\nbug  ', 'code'), '', line('fix THE bug', 'code'), line('ｆｉｘ the bug', 'code'))],
      { validationPerMille: 0 },
    );
    expect(data.train).toEqual([{ text: 'Fix the\nbug', label: 'code', source: 'hand/a.jsonl:1' }]);
    expect(data.duplicates).toEqual(['hand/a.jsonl:1 ← hand/a.jsonl:3', 'hand/a.jsonl:1 ← hand/a.jsonl:4']);
  });

  it('refuses the same text with two labels, naming both lines, and every bad line at once', () => {
    const files = [
      file('hand/code.jsonl', line('Where is main defined?', 'code'), '{"text": "oops"', line('ok', 'nonsense')),
      file('hand/repo.jsonl', line('where is main   defined?', 'repo'), line('   ', 'general'), '[1]', '{"label": "code"}'),
    ];
    const error = (() => {
      try {
        assembleIntentData(files);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(IntentDataError);
    const problems = (error as IntentDataError).problems;
    expect(problems).toContain('hand/repo.jsonl:1: the same text is labelled "repo" here but "code" at hand/code.jsonl:1');
    expect(problems.some((p) => p.startsWith('hand/code.jsonl:2: not valid JSON'))).toBe(true);
    expect(problems).toContain(`hand/code.jsonl:3: "label" must be one of ${INTENT_LABELS.join(', ')}, not "nonsense"`);
    expect(problems).toContain('hand/repo.jsonl:2: the text is empty once normalized');
    expect(problems).toContain('hand/repo.jsonl:3: expected an object {"text": …, "label": …}');
    expect(problems).toContain('hand/repo.jsonl:4: "text" must be a string');
    expect((error as Error).message).toMatch(/^The intent data has 6 problem\(s\):/);
  });

  it('splits about 20% into validation inside every label, by a hash of the text', () => {
    const { train, validation } = assembleIntentData(corpus);
    expect(train.length + validation.length).toBe(new Set(sentences.map((s) => intentDataKey(s.text))).size);
    for (const example of validation) expect(intentSplitBucket(intentDataKey(example.text))).toBeLessThan(200);
    for (const example of train) expect(intentSplitBucket(intentDataKey(example.text))).toBeGreaterThanOrEqual(200);
    for (const label of INTENT_LABELS) {
      const share = validation.filter((e) => e.label === label).length / [...train, ...validation].filter((e) => e.label === label).length;
      expect(share).toBeGreaterThan(0.05);
      expect(share).toBeLessThan(0.4);
    }
    // Grouped by label in canonical order.
    expect([...new Set(train.map((e) => e.label))]).toEqual([...INTENT_LABELS]);
  });

  it('never moves an existing example to the other split when examples are added', () => {
    const before = assembleIntentData([file('hand/a.jsonl', ...sentences.slice(0, 100).map(({ text, label }) => line(text, label)))]);
    const after = assembleIntentData([
      file('hand/a.jsonl', ...sentences.slice(0, 100).map(({ text, label }) => line(text, label))),
      file('hand/b.jsonl', ...sentences.slice(100).map(({ text, label }) => line(text, label))),
    ]);
    const texts = (examples: readonly { text: string }[]) => new Set(examples.map((e) => e.text));
    for (const text of texts(before.validation)) expect(texts(after.validation).has(text)).toBe(true);
    for (const text of texts(before.train)) expect(texts(after.train).has(text)).toBe(true);
  });

  it('adds one seeded typo copy per train example only, never clashing with existing text', () => {
    const plain = assembleIntentData(corpus);
    const augmented = assembleIntentData(corpus, { augment: true });
    expect(augmented.validation).toEqual(plain.validation);
    const copies = augmented.train.filter((e) => e.source.startsWith('typo:'));
    expect(copies.length).toBe(augmented.augmented);
    expect(copies.length).toBeGreaterThan(plain.train.length * 0.8);
    expect(augmented.train.filter((e) => !e.source.startsWith('typo:'))).toEqual(plain.train);
    const keys = augmented.train.map((e) => intentDataKey(e.text)).concat(augmented.validation.map((e) => intentDataKey(e.text)));
    expect(new Set(keys).size).toBe(keys.length);
    for (const copy of copies) {
      const original = augmented.train.find((e) => e.source === copy.source.slice('typo:'.length));
      expect(original?.label).toBe(copy.label);
      expect(copy.text).not.toBe(original?.text);
    }
    expect(assembleIntentData(corpus, { augment: true })).toEqual(augmented);
  });
});

describe('addTypos', () => {
  it('changes one or two words of four letters or more, never their first letter, deterministically', () => {
    const text = 'please refactor the parser module quickly';
    const variants = Array.from({ length: 50 }, (_, seed) => addTypos(text, seed));
    expect(new Set(variants).size).toBeGreaterThan(20);
    for (const variant of variants) {
      const before = text.split(' ');
      const after = variant.split(' ');
      expect(after).toHaveLength(before.length);
      const changed = after.filter((word, i) => word !== before[i]);
      expect(changed.length).toBeGreaterThanOrEqual(1);
      expect(changed.length).toBeLessThanOrEqual(2);
      after.forEach((word, i) => {
        expect(word[0]).toBe(before[i]?.[0]);
        if (word !== before[i]) expect(before[i]?.length).toBeGreaterThanOrEqual(4);
      });
    }
    expect(addTypos(text, 3)).toBe(addTypos(text, 3));
    expect(addTypos('a is ok', 1)).toBe('a is ok');
  });
});

describe('formatIntentJsonl / parseIntentJsonl', () => {
  it('round-trips examples and names a bad line', () => {
    const examples = [
      { text: 'a "quoted"\nline', label: 'code' as const, source: 'hand/a.jsonl:1' },
      { text: 'b', label: 'general' as const, source: 'typo:hand/a.jsonl:2' },
    ];
    const text = formatIntentJsonl(examples);
    expect(text.split('\n')).toHaveLength(3);
    expect(parseIntentJsonl(text, 'train.jsonl')).toEqual(examples);
    expect(() => parseIntentJsonl(`${text}{"text": 1}\n`, 'train.jsonl')).toThrow(/train\.jsonl:3: "text" must be a string/);
  });
});
