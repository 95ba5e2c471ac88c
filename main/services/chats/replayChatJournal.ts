// Rebuilds a conversation from the bytes of its journal. A crash can leave the last line half
// written: it is dropped without fuss. Any other line that cannot be read is skipped with a
// warning, never the whole conversation. Answers still streaming when the app stopped become
// 'incomplete', keeping the text flushed so far.
import { DEFAULT_GENERATION_PARAMS } from '../../../common/chat/chatSchema';
import { formatZodIssues } from '../../../common/api/formatZodError';
import { CHAT_JOURNAL_FORMAT, chatJournalRecordSchema } from './chatJournalRecordSchema';
import type { ChatJournalRecord } from './chatJournalRecordSchema';
import { applyChatRecord, conversationStateFromBase } from './ConversationState';
import type { ConversationState } from './ConversationState';

export interface ReplayChatJournalOptions {
  /** The conversation's id, from the file name; wins over the id inside the file (a copied file is a new conversation). */
  readonly conversationId: string;
  /** Names the journal in warnings, e.g. its path. */
  readonly source: string;
  /** When the first record is unreadable, the recovered conversation's creation time. */
  readonly fallbackCreatedAt: string;
}

export interface ChatJournalReplay {
  /** Undefined when not one record could be read. */
  readonly state: ConversationState | undefined;
  /** One per skipped line or record, saying what was lost. */
  readonly warnings: string[];
  /** Records after the base record: how much compaction would save. */
  readonly changeRecords: number;
  /**
   * Bytes up to the end of the last usable line. Shorter than the journal when its last line was
   * torn; the journal must be cut there before anything is appended, or the next record would
   * be glued to the torn one.
   */
  readonly usableBytes: number;
  /** Whether the usable part ends with a newline (a final record may have been written without one). */
  readonly endsWithNewline: boolean;
}

const NEWLINE = 0x0a;

export function replayChatJournal(bytes: Buffer, options: ReplayChatJournalOptions): ChatJournalReplay {
  const lines = splitLines(bytes);
  const warnings: string[] = [];
  let state: ConversationState | undefined;
  let changeRecords = 0;
  let usableBytes = 0;
  let endsWithNewline = true;

  lines.forEach((line, index) => {
    const isLast = index === lines.length - 1;
    const record = parseRecord(line.text);
    if (typeof record === 'string') {
      // A torn final write, not damage: ignore it quietly (the journal is cut before the next append).
      if (!isLast) warnings.push(`${options.source} line ${String(index + 1)} could not be read and was skipped (${record}).`);
      return;
    }
    usableBytes = line.end + (line.terminated ? 1 : 0);
    endsWithNewline = line.terminated;
    if (record.type === 'created' || record.type === 'snapshot') {
      state = conversationStateFromBase(record);
      state.conversation.id = options.conversationId;
      changeRecords = 0;
      return;
    }
    if (state === undefined) {
      warnings.push(
        `${options.source} does not start with a readable "created" record; the conversation was recovered without its original title and settings.`,
      );
      state = conversationStateFromBase({
        type: 'created',
        format: CHAT_JOURNAL_FORMAT,
        id: options.conversationId,
        title: 'Recovered chat',
        createdAt: 'at' in record ? record.at : options.fallbackCreatedAt,
        systemPrompt: '',
        params: DEFAULT_GENERATION_PARAMS,
      });
    }
    changeRecords++;
    const problem = applyChatRecord(state, record);
    if (problem !== null) warnings.push(`${options.source} line ${String(index + 1)} was skipped: ${problem}.`);
  });

  for (const message of state?.conversation.messages ?? []) {
    if (message.status === 'streaming') message.status = 'incomplete';
  }
  return { state, warnings, changeRecords, usableBytes, endsWithNewline };
}

interface Line {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly terminated: boolean;
}

/** Non-blank lines as byte ranges (so the journal can be cut at an exact offset). */
function splitLines(bytes: Buffer): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(NEWLINE, start);
    const end = newline === -1 ? bytes.length : newline;
    const text = bytes.toString('utf8', start, end);
    if (text.trim() !== '') lines.push({ text, start, end, terminated: newline !== -1 });
    start = end + 1;
  }
  return lines;
}

/** The record, or why the line is not one. */
function parseRecord(text: string): ChatJournalRecord | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const result = chatJournalRecordSchema.safeParse(json);
  return result.success ? result.data : `not a known record: ${formatZodIssues(result.error).slice(0, 3).join('; ')}`;
}
