// The durable, searchable store of chat conversations. Each conversation is an append-only journal,
// `<directory>/<id>.jsonl` (records in chatJournalRecordSchema.ts), written with appendFileSync:
// once a call returns, the data is the operating system's, so it survives a kill -9 of the app.
// Streamed answer text is buffered and written at most every flushIntervalMs, so a long answer
// costs a few writes a second rather than one per token. Everything is also held in memory
// (hundreds of conversations are a few megabytes), which keeps reads and search synchronous.
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, open, readdir, readFile, rename, rm, stat, truncate } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DEFAULT_GENERATION_PARAMS } from '../../../common/chat/chatSchema';
import type {
  ChatMessage,
  Conversation,
  ConversationSummary,
  GenerationParams,
  MessageStatus,
  SearchHit,
} from '../../../common/chat/chatSchema';
import type { AnswerMetrics } from '../../../common/llm/llmSchema';
import type { IntentLabel } from '../../../common/intent/intentLabels';
import type { RouteDecision } from '../../../common/router/routeSchema';
import { formatZodIssues } from '../../../common/api/formatZodError';
import { CHAT_JOURNAL_FORMAT, chatJournalRecordSchema } from './chatJournalRecordSchema';
import type { ChatJournalChangeRecord, ChatJournalRecord } from './chatJournalRecordSchema';
import { applyChatRecord, conversationStateFromBase } from './ConversationState';
import type { ConversationState } from './ConversationState';
import { replayChatJournal } from './replayChatJournal';
import { searchConversations } from './searchConversations';
import { exportConversation } from './exportConversation';
import type { ChatExport } from './exportConversation';
import { ChatStoreDisposedError } from './ChatStoreDisposedError';
import { ChatStoreWriteError } from './ChatStoreWriteError';
import { ConversationNotFoundError } from './ConversationNotFoundError';
import { MessageNotFoundError } from './MessageNotFoundError';
import { MessageNotStreamingError } from './MessageNotStreamingError';

export const DEFAULT_CONVERSATION_TITLE = 'New chat';

export interface ChatStoreOptions {
  /** The folder of journals; created if missing. */
  readonly directory: string;
  /** Longest time streamed text waits in memory before it is written (default 250 ms). */
  readonly flushIntervalMs?: number;
  /** A journal with more records than this after its base is rewritten as one snapshot when opened (default 500). */
  readonly compactThreshold?: number;
  readonly now?: () => Date;
  /** Ids of new conversations (also file names) and messages; random UUIDs by default. */
  readonly newId?: () => string;
  /** Where load-time notices go (skipped lines, backups); console.warn by default. */
  readonly warn?: (message: string) => void;
}

export interface CreateConversationInit {
  readonly title?: string;
  readonly systemPrompt?: string;
  readonly params?: Partial<GenerationParams>;
}

export interface ConversationChange {
  readonly systemPrompt?: string;
  readonly params?: Partial<GenerationParams>;
}

export interface NewChatMessage {
  readonly role: ChatMessage['role'];
  readonly content: string;
  /** null for the first message; a message that already has children starts a new branch. */
  readonly parentId: string | null;
  readonly status: MessageStatus;
  /** Where the user's message was routed (answers only). */
  readonly route?: RouteDecision | null;
  /** Notices known when the message is added (e.g. why no repository context was used). */
  readonly notices?: readonly string[];
}

export interface MessageOutcome {
  readonly status: Exclude<MessageStatus, 'streaming'>;
  /** Replaces the streamed text when given. Omitted fields keep their current value. */
  readonly content?: string;
  readonly metrics?: AnswerMetrics | null;
  readonly notices?: readonly string[];
  readonly error?: string | null;
}

const JOURNAL_EXTENSION = '.jsonl';
const TEMP_EXTENSION = '.jsonl.tmp';
/** Ids become file names, so only characters that are safe on every file system. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/u;
const TITLE_LENGTH = 60;
/** Enough to show what kind of damage a journal has without flooding the log. */
const MAX_WARNINGS_PER_JOURNAL = 5;

export class ChatStore {
  private readonly pending = new Map<string, Map<string, string>>();
  private timer: NodeJS.Timeout | undefined;
  private flushFailing = false;
  private disposed = false;
  private readonly flushIntervalMs: number;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly warn: (message: string) => void;

  private constructor(
    private readonly directory: string,
    private readonly conversations: Map<string, ConversationState>,
    options: ChatStoreOptions,
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.now = options.now ?? (() => new Date());
    this.newId = options.newId ?? randomUUID;
    this.warn = options.warn ?? defaultWarn;
  }

  /** Reads every journal in `directory`, repairing torn ends and compacting long journals. */
  static async open(options: ChatStoreOptions): Promise<ChatStore> {
    const warn = options.warn ?? defaultWarn;
    const now = options.now ?? (() => new Date());
    await mkdir(options.directory, { recursive: true });
    const conversations = new Map<string, ConversationState>();
    // Sequential on purpose: hundreds of small files read quickly, and this holds one descriptor at a time.
    for (const name of (await readdir(options.directory)).sort()) {
      const path = join(options.directory, name);
      if (name.endsWith(TEMP_EXTENSION)) {
        // A compaction that did not reach its rename: the journal beside it is still whole.
        await rm(path, { force: true });
        continue;
      }
      if (!name.endsWith(JOURNAL_EXTENSION)) continue;
      const id = name.slice(0, -JOURNAL_EXTENSION.length);
      const state = await loadJournal(path, id, { warn, now, compactThreshold: options.compactThreshold ?? 500 });
      if (state !== undefined) conversations.set(id, state);
    }
    return new ChatStore(options.directory, conversations, options);
  }

  /** Newest first. */
  list(): ConversationSummary[] {
    this.assertOpen();
    return [...this.conversations.values()]
      .map(({ conversation }) => conversation)
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id))
      .map((c) => ({ id: c.id, title: c.title, updatedAt: c.updatedAt, messageCount: c.messages.length }));
  }

  /** A copy, including streamed text not yet written. */
  get(conversationId: string): Conversation | undefined {
    this.assertOpen();
    const state = this.conversations.get(conversationId);
    return state === undefined ? undefined : structuredClone(state.conversation);
  }

  create(init: CreateConversationInit = {}): Conversation {
    this.assertOpen();
    const id = this.newId();
    if (!SAFE_ID.test(id)) throw new Error(`ChatStore: newId() returned "${id}", which cannot be used as a file name.`);
    if (this.conversations.has(id)) throw new Error(`ChatStore: newId() returned "${id}", which is already in use.`);
    const record = validated(id, {
      type: 'created',
      format: CHAT_JOURNAL_FORMAT,
      id,
      title: oneLine(init.title ?? '') || DEFAULT_CONVERSATION_TITLE,
      createdAt: this.now().toISOString(),
      systemPrompt: init.systemPrompt ?? '',
      params: mergeParams(DEFAULT_GENERATION_PARAMS, init.params),
    });
    const path = this.pathOf(id);
    try {
      // 'wx': never write over a journal that exists on disk but was not loaded (e.g. unreadable).
      writeFileSync(path, `${JSON.stringify(record)}\n`, { flag: 'wx' });
    } catch (error) {
      throw new ChatStoreWriteError(path, error);
    }
    const state = conversationStateFromBase(record);
    this.conversations.set(id, state);
    return structuredClone(state.conversation);
  }

  rename(conversationId: string, title: string): void {
    const state = this.require(conversationId);
    const clean = oneLine(title);
    if (clean === '') throw new RangeError('A chat title cannot be empty. Type a name, or keep the current one.');
    this.persist(state, [{ type: 'renamed', at: this.now().toISOString(), title: clean }]);
  }

  configure(conversationId: string, change: ConversationChange): void {
    const state = this.require(conversationId);
    this.persist(state, [
      {
        type: 'configured',
        at: this.now().toISOString(),
        ...(change.systemPrompt === undefined ? {} : { systemPrompt: change.systemPrompt }),
        ...(change.params === undefined ? {} : { params: mergeParams(state.conversation.params, change.params) }),
      },
    ]);
  }

  /** Removes the conversation and its journal; false if there was no such conversation. */
  delete(conversationId: string): boolean {
    this.assertOpen();
    if (!this.conversations.has(conversationId)) return false;
    const path = this.pathOf(conversationId);
    try {
      rmSync(path, { force: true });
    } catch (error) {
      throw new ChatStoreWriteError(path, error);
    }
    this.pending.delete(conversationId);
    this.conversations.delete(conversationId);
    return true;
  }

  /** Adds a message and makes it the active leaf; the first user message names an untitled chat. */
  addMessage(conversationId: string, input: NewChatMessage): ChatMessage {
    const state = this.require(conversationId);
    if (input.parentId !== null && !state.messages.has(input.parentId)) throw new MessageNotFoundError(conversationId, input.parentId);
    const at = this.now().toISOString();
    const message: ChatMessage = {
      id: this.unusedMessageId(state),
      parentId: input.parentId,
      role: input.role,
      content: input.content,
      createdAt: at,
      status: input.status,
      metrics: null,
      notices: [...(input.notices ?? [])],
      error: null,
      route: input.route ?? null,
      intentCorrection: null,
    };
    const records: ChatJournalChangeRecord[] = [];
    const title = input.role === 'user' && state.conversation.title === DEFAULT_CONVERSATION_TITLE ? titleFrom(input.content) : '';
    if (title !== '') records.push({ type: 'renamed', at, title });
    records.push({ type: 'messageAdded', at, message });
    this.persist(state, records);
    return structuredClone(message);
  }

  /** Adds streamed text to a message being written; it reaches the disk within flushIntervalMs. */
  appendText(conversationId: string, messageId: string, text: string): void {
    const state = this.require(conversationId);
    const message = state.messages.get(messageId);
    if (message === undefined) throw new MessageNotFoundError(conversationId, messageId);
    if (message.status !== 'streaming') throw new MessageNotStreamingError(conversationId, messageId, message.status);
    if (text === '') return;
    message.content += text;
    let buffered = this.pending.get(conversationId);
    if (buffered === undefined) {
      buffered = new Map();
      this.pending.set(conversationId, buffered);
    }
    buffered.set(messageId, (buffered.get(messageId) ?? '') + text);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushFromTimer();
    }, this.flushIntervalMs);
    // Deliberately not unref'd: a process about to exit naturally waits the few ms to save the text.
  }

  finishMessage(conversationId: string, messageId: string, outcome: MessageOutcome): void {
    const state = this.require(conversationId);
    const message = state.messages.get(messageId);
    if (message === undefined) throw new MessageNotFoundError(conversationId, messageId);
    // Text replaced by `content` need not be written first.
    if (outcome.content !== undefined) this.pending.get(conversationId)?.delete(messageId);
    this.persist(state, [
      {
        type: 'messageFinished',
        at: this.now().toISOString(),
        messageId,
        status: outcome.status,
        ...(outcome.content === undefined ? {} : { content: outcome.content }),
        metrics: outcome.metrics === undefined ? message.metrics : outcome.metrics,
        notices: [...(outcome.notices ?? message.notices)],
        error: outcome.error === undefined ? message.error : outcome.error,
      },
    ]);
  }

  /** Records the intent the user says an answered message had; null withdraws the correction. */
  correctIntent(conversationId: string, messageId: string, label: IntentLabel | null): void {
    const state = this.require(conversationId);
    if (!state.messages.has(messageId)) throw new MessageNotFoundError(conversationId, messageId);
    this.persist(state, [{ type: 'intentCorrected', at: this.now().toISOString(), messageId, label }]);
  }

  /**
   * Shows the branch through `messageId`: the active leaf becomes its deepest descendant, following
   * the most recently added child at each step (where the user last was on that branch).
   */
  setActiveLeaf(conversationId: string, messageId: string): void {
    const state = this.require(conversationId);
    if (!state.messages.has(messageId)) throw new MessageNotFoundError(conversationId, messageId);
    const latestChild = new Map<string, string>();
    // Messages are kept in the order they were added, so the last child seen is the newest.
    for (const message of state.conversation.messages) if (message.parentId !== null) latestChild.set(message.parentId, message.id);
    let leaf = messageId;
    for (let next = latestChild.get(leaf); next !== undefined; next = latestChild.get(leaf)) leaf = next;
    if (leaf === state.conversation.activeLeafId) return;
    this.persist(state, [{ type: 'activeLeafChanged', messageId: leaf }]);
  }

  /** Every query word must occur in the conversation; see searchConversations for the ranking. */
  search(query: string): SearchHit[] {
    this.assertOpen();
    return searchConversations(
      [...this.conversations.values()].map(({ conversation }) => conversation),
      query,
    );
  }

  /** The visible branch as Markdown. */
  exportMarkdown(conversationId: string): ChatExport {
    return exportConversation(this.require(conversationId).conversation, 'markdown', this.now());
  }

  /** Everything, every branch included, as versioned JSON. */
  exportJson(conversationId: string): ChatExport {
    return exportConversation(this.require(conversationId).conversation, 'json', this.now());
  }

  /** Writes buffered text now. Throws ChatStoreWriteError if some could not be written (it stays buffered). */
  flush(): void {
    this.assertOpen();
    this.flushAll();
  }

  /** Writes buffered text and closes the store; later calls throw ChatStoreDisposedError. */
  dispose(): void {
    if (this.disposed) return;
    try {
      this.flushAll();
    } catch (error) {
      this.warn(`Some streamed chat text could not be saved while closing: ${errorMessage(error)}`);
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.disposed = true;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  private flushAll(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    let failure: Error | undefined;
    for (const conversationId of [...this.pending.keys()]) {
      const state = this.conversations.get(conversationId);
      if (state === undefined) {
        this.pending.delete(conversationId);
        continue;
      }
      try {
        this.persist(state, []);
      } catch (error) {
        failure ??= error instanceof Error ? error : new Error(String(error));
      }
    }
    if (failure !== undefined) throw failure;
  }

  private flushFromTimer(): void {
    try {
      this.flushAll();
      this.flushFailing = false;
    } catch (error) {
      // Say it once, not four times a second, and keep retrying: the disk may get space back.
      if (!this.flushFailing) this.warn(`Streamed chat text could not be saved yet; CodeSage keeps retrying. ${errorMessage(error)}`);
      this.flushFailing = true;
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.flushFromTimer();
      }, this.flushIntervalMs);
    }
  }

  /**
   * Writes the conversation's buffered text and then `records` in one append, and applies the
   * records in memory only once they are written, so memory never runs ahead of the disk.
   */
  private persist(state: ConversationState, records: readonly ChatJournalChangeRecord[]): void {
    const { id } = state.conversation;
    for (const record of records) validated(id, record);
    const buffered = this.pending.get(id);
    const deltas: ChatJournalChangeRecord[] = [...(buffered ?? [])].map(([messageId, text]) => ({ type: 'textAppended', messageId, text }));
    const all = [...deltas, ...records];
    if (all.length === 0) return;
    const path = this.pathOf(id);
    try {
      appendFileSync(path, all.map((record) => `${JSON.stringify(record)}\n`).join(''));
    } catch (error) {
      throw new ChatStoreWriteError(path, error);
    }
    this.pending.delete(id);
    for (const record of records) {
      const problem = applyChatRecord(state, record);
      // Unreachable: every public method checks ids before building its records.
      if (problem !== null) throw new Error(`ChatStore: a record was written but could not be applied (${problem}).`);
    }
  }

  private require(conversationId: string): ConversationState {
    this.assertOpen();
    const state = this.conversations.get(conversationId);
    if (state === undefined) throw new ConversationNotFoundError(conversationId);
    return state;
  }

  private assertOpen(): void {
    if (this.disposed) throw new ChatStoreDisposedError();
  }

  private unusedMessageId(state: ConversationState): string {
    const id = this.newId();
    if (state.messages.has(id)) throw new Error(`ChatStore: newId() returned "${id}", which is already in use.`);
    return id;
  }

  private pathOf(conversationId: string): string {
    return join(this.directory, `${conversationId}${JOURNAL_EXTENSION}`);
  }
}

interface LoadJournalOptions {
  readonly warn: (message: string) => void;
  readonly now: () => Date;
  readonly compactThreshold: number;
}

/** One conversation from its journal, with the journal repaired or compacted as needed; undefined if nothing is readable. */
async function loadJournal(path: string, id: string, options: LoadJournalOptions): Promise<ConversationState | undefined> {
  const { warn } = options;
  let bytes: Buffer;
  let modifiedAt: Date;
  try {
    bytes = await readFile(path);
    modifiedAt = (await stat(path)).mtime;
  } catch (error) {
    warn(`The chat ${path} could not be read (${errorMessage(error)}) and is not shown; the file was left as it is.`);
    return undefined;
  }
  const replay = replayChatJournal(bytes, { conversationId: id, source: path, fallbackCreatedAt: modifiedAt.toISOString() });
  if (replay.state === undefined) {
    if (bytes.toString('utf8').trim() !== '')
      warn(`The chat ${path} holds nothing CodeSage can read and is not shown; the file was left as it is.`);
    return undefined;
  }
  for (const warning of replay.warnings.slice(0, MAX_WARNINGS_PER_JOURNAL)) warn(warning);
  if (replay.warnings.length > MAX_WARNINGS_PER_JOURNAL) {
    warn(`${path}: ${String(replay.warnings.length - MAX_WARNINGS_PER_JOURNAL)} more problems like these.`);
  }
  try {
    if (replay.warnings.length > 0) {
      // Rewrite it so the same warnings do not come back every start, but keep the damaged original.
      const backup = `${path.slice(0, -JOURNAL_EXTENSION.length)}.damaged-${fileStamp(options.now())}.bak`;
      await copyFile(path, backup);
      await compact(path, replay.state.conversation);
      warn(`The rest of the chat "${replay.state.conversation.title}" was restored; the damaged file was kept as ${backup}.`);
    } else if (replay.changeRecords > options.compactThreshold) {
      await compact(path, replay.state.conversation);
    } else if (replay.usableBytes < bytes.length || !replay.endsWithNewline) {
      // Cut a torn last line, and end with a newline, so the next record starts on a line of its own.
      await truncate(path, replay.usableBytes);
      if (!replay.endsWithNewline) appendFileSync(path, '\n');
    }
  } catch (error) {
    warn(`The chat ${path} could not be tidied up (${errorMessage(error)}); it is shown as read, and new messages may not be saved.`);
  }
  return replay.state;
}

/** Replaces the journal with one snapshot record, atomically: a crash leaves either the old or the new file. */
async function compact(path: string, conversation: Conversation): Promise<void> {
  const snapshot: ChatJournalRecord = { type: 'snapshot', format: CHAT_JOURNAL_FORMAT, conversation };
  const temp = `${path.slice(0, -JOURNAL_EXTENSION.length)}${TEMP_EXTENSION}`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(`${JSON.stringify(snapshot)}\n`);
    // Without this a power cut soon after the rename can leave an empty file on some file systems.
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/** The record if it is one replay will accept; anything else would be lost at the next start. */
function validated<T extends ChatJournalRecord>(conversationId: string, record: T): T {
  const result = chatJournalRecordSchema.safeParse(record);
  if (!result.success) {
    throw new RangeError(
      `The change to conversation ${conversationId} was not saved because it is invalid: ${formatZodIssues(result.error).join('; ')}`,
    );
  }
  return record;
}

/** `base` with the fields `patch` sets (an explicit undefined does not erase a value; a null seed does). */
function mergeParams(base: GenerationParams, patch: Partial<GenerationParams> = {}): GenerationParams {
  return {
    temperature: patch.temperature ?? base.temperature,
    topP: patch.topP ?? base.topP,
    maxTokens: patch.maxTokens ?? base.maxTokens,
    contextSize: patch.contextSize ?? base.contextSize,
    seed: patch.seed === undefined ? base.seed : patch.seed,
  };
}

/**
 * The first line of prose (a message that is only code gives its first line of code), shortened at
 * a word to about TITLE_LENGTH characters.
 */
function titleFrom(content: string): string {
  let inCode = false;
  let firstCode: string | undefined;
  let line: string | undefined;
  for (const raw of content.split('\n')) {
    const text = oneLine(raw);
    if (/^(`{3,}|~{3,})/u.test(text)) inCode = !inCode;
    else if (text !== '' && inCode) firstCode ??= text;
    else if (text !== '') {
      line = text;
      break;
    }
  }
  line ??= firstCode;
  if (line === undefined) return '';
  const characters = graphemes(line);
  if (characters.length <= TITLE_LENGTH) return line;
  const cut = characters.slice(0, TITLE_LENGTH).join('');
  // Back up to the last whole word, unless the cut already falls between words.
  const space = characters[TITLE_LENGTH] === ' ' ? cut.length : cut.lastIndexOf(' ');
  return `${(space > TITLE_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** User-perceived characters, so a cut never splits an emoji or an accented letter. */
function graphemes(text: string): string[] {
  return Array.from(new Intl.Segmenter().segment(text), (part) => part.segment);
}

function oneLine(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function fileStamp(date: Date): string {
  return date.toISOString().replace(/[:.]/gu, '-');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function defaultWarn(message: string): void {
  console.warn(message);
}
