// Test support only: tiny, trivially separable sentences per intent, generated from word lists, so
// trainer and export tests have something a classifier can learn. Not training data.
import { INTENT_LABELS } from '../intentLabels';
import type { IntentLabel } from '../intentLabels';

export interface SyntheticIntentSentence {
  readonly text: string;
  readonly label: IntentLabel;
}

const WORDS: Record<IntentLabel, readonly string[]> = {
  code: ['function', 'python', 'implement', 'compile', 'typescript', 'regex', 'sort', 'array', 'loop', 'class', 'refactor', 'algorithm'],
  repo: ['repository', 'folder', 'where', 'project', 'module', 'defined', 'codebase', 'directory', 'imported', 'located', 'tree', 'owner'],
  review: ['review', 'diff', 'pull', 'feedback', 'commit', 'approve', 'critique', 'patch', 'readability', 'nitpick', 'reviewer', 'changes'],
  general: ['weather', 'recipe', 'history', 'poem', 'travel', 'movie', 'music', 'capital', 'friend', 'holiday', 'garden', 'football'],
  unsafe: [
    'malware',
    'steal',
    'passwords',
    'exploit',
    'keylogger',
    'ransomware',
    'phishing',
    'bypass',
    'hack',
    'credentials',
    'botnet',
    'ddos',
  ],
};
const FILLER = ['please', 'can', 'you', 'the', 'a', 'my', 'now', 'help', 'me', 'with', 'about', 'this', 'quickly', 'thanks'];

/** `countPerLabel` sentences per intent, label-interleaved; the same seed gives the same sentences. */
export function syntheticIntentSentences(countPerLabel: number, seed: number): SyntheticIntentSentence[] {
  let state = seed >>> 0 || 1;
  // xorshift32: deterministic and good enough to pick words.
  const pick = (words: readonly string[]): string => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return words[state % words.length] ?? '';
  };
  const sentences: SyntheticIntentSentence[] = [];
  for (let i = 0; i < countPerLabel; i++) {
    for (const label of INTENT_LABELS) {
      const words = [pick(FILLER), pick(WORDS[label]), pick(FILLER), pick(WORDS[label]), pick(FILLER), pick(WORDS[label])];
      sentences.push({ text: words.join(' '), label });
    }
  }
  return sentences;
}
