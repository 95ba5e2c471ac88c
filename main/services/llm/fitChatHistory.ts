// Chooses which earlier turns of a conversation go into the prompt so that the prompt leaves room
// for the answer. Whole messages are dropped from the oldest on, always keeping the system prompt
// and the user's question: node-llama-cpp's own context shift cuts by characters and, on a prompt
// far over the context, was seen dropping the question itself, which a chat must never do.
import type { ChatHistoryItem } from 'node-llama-cpp';

export interface FitChatHistoryInput {
  /** The system message, if any (kept whatever the size). */
  readonly system: readonly ChatHistoryItem[];
  /** Earlier turns, oldest first, without the question. */
  readonly turns: readonly ChatHistoryItem[];
  readonly question: string;
  readonly maxPromptTokens: number;
  /** Tokens of the prompt the model would evaluate for this history and question. */
  readonly countPromptTokens: (history: readonly ChatHistoryItem[], question: string) => number;
}

export interface FittedChatHistory {
  /** System message and the turns kept, without the question. */
  readonly history: ChatHistoryItem[];
  /** Tokens of the prompt for `history` and the question. */
  readonly promptTokens: number;
  readonly droppedMessages: number;
}

export function fitChatHistory(input: FitChatHistoryInput): FittedChatHistory {
  const { system, turns, question, maxPromptTokens, countPromptTokens } = input;
  const keepFrom = (start: number): ChatHistoryItem[] => [...system, ...turns.slice(start)];
  const fullCount = countPromptTokens(keepFrom(0), question);
  if (fullCount <= maxPromptTokens) return { history: keepFrom(0), promptTokens: fullCount, droppedMessages: 0 };

  // Kept history starts at a user message (an answer without its question confuses models), or is empty.
  const starts: number[] = [];
  for (let index = 1; index < turns.length; index++) if (turns[index]?.type === 'user') starts.push(index);
  starts.push(turns.length);

  // Fewer turns never take more tokens, so binary-search the first start that fits; when even the
  // question alone does not fit, send just that and let node-llama-cpp's context shift cut it.
  let low = 0;
  let high = starts.length - 1;
  const counts = new Map<number, number>();
  const countFrom = (start: number): number => {
    let count = counts.get(start);
    if (count === undefined) {
      count = countPromptTokens(keepFrom(start), question);
      counts.set(start, count);
    }
    return count;
  };
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (countFrom(starts[middle] ?? turns.length) <= maxPromptTokens) high = middle;
    else low = middle + 1;
  }
  const start = starts[low] ?? turns.length;
  return { history: keepFrom(start), promptTokens: countFrom(start), droppedMessages: start };
}
