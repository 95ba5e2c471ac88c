// The feedback kept on this machine (`<data>/feedback/feedback.json`, replaced atomically on every
// change). Today: intent corrections from chat. An unreadable file is set aside (renamed
// `.corrupt-<time>`) with a warning, never silently overwritten. Nothing here is uploaded: feedback
// sync will read these entries only after the user consents.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { Emitter } from '../../../common/base/Emitter';
import type { Event } from '../../../common/base/Emitter';
import { feedbackEntrySchema } from '../../../common/feedback/feedbackSchema';
import type { FeedbackEntry, IntentCorrection } from '../../../common/feedback/feedbackSchema';
import { writeFileAtomic } from '../fs/writeFileAtomic';

const FILE_NAME = 'feedback.json';
const fileSchema = z.object({ version: z.literal(1), entries: z.array(feedbackEntrySchema) });

export interface FeedbackStoreOptions {
  readonly folder: string;
  readonly now?: () => Date;
  readonly warn?: (message: string) => void;
}

export type NewIntentCorrection = Omit<IntentCorrection, 'id' | 'kind' | 'createdAt'>;

export class FeedbackStore {
  #entries: FeedbackEntry[];
  #saving: Promise<void> = Promise.resolve();
  readonly #changed = new Emitter<FeedbackEntry[]>();
  /** The whole list (newest first) after every change. */
  readonly onDidChange: Event<FeedbackEntry[]> = this.#changed.event;

  private constructor(
    private readonly options: FeedbackStoreOptions,
    entries: FeedbackEntry[],
  ) {
    this.#entries = entries;
  }

  static async open(options: FeedbackStoreOptions): Promise<FeedbackStore> {
    await mkdir(options.folder, { recursive: true });
    const path = join(options.folder, FILE_NAME);
    let entries: FeedbackEntry[] = [];
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch {
      // No feedback yet.
    }
    if (text !== undefined) {
      const parsed = fileSchema.safeParse(parseJson(text));
      if (parsed.success) {
        entries = parsed.data.entries;
      } else {
        const aside = `${path}.corrupt-${String(Date.now())}`;
        await rename(path, aside).catch(() => undefined);
        (options.warn ?? console.warn)(`The feedback file could not be read; it was kept as ${aside} and a new one was started.`);
      }
    }
    return new FeedbackStore(options, entries);
  }

  /** Newest first. */
  list(): FeedbackEntry[] {
    return [...this.#entries].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Keeps a correction; an earlier correction of the same answer is replaced. */
  async addIntentCorrection(input: NewIntentCorrection): Promise<IntentCorrection> {
    const entry: IntentCorrection = {
      id: randomUUID(),
      kind: 'intentCorrection',
      createdAt: (this.options.now?.() ?? new Date()).toISOString(),
      ...input,
    };
    await this.#update((entries) => [...entries.filter((e) => !sameAnswer(e, input)), entry]);
    return entry;
  }

  /** Forgets the correction of one answer (the user picked the predicted intent again); false if there was none. */
  removeForMessage(conversationId: string, messageId: string): Promise<boolean> {
    return this.#update((entries) => entries.filter((e) => !sameAnswer(e, { conversationId, messageId })));
  }

  delete(id: string): Promise<boolean> {
    return this.#update((entries) => entries.filter((e) => e.id !== id));
  }

  dispose(): void {
    this.#changed.dispose();
  }

  /**
   * Applies changes one at a time (each sees the result of the one before) and writes before it
   * shows: a change the disk refused is not reported as kept. Resolves false when nothing changed.
   */
  #update(change: (entries: readonly FeedbackEntry[]) => FeedbackEntry[]): Promise<boolean> {
    const path = join(this.options.folder, FILE_NAME);
    const run = this.#saving.then(async () => {
      const next = change(this.#entries);
      if (next.length === this.#entries.length && next.every((e, i) => e === this.#entries[i])) return false;
      await writeFileAtomic(path, `${JSON.stringify({ version: 1, entries: next }, null, 1)}\n`);
      this.#entries = next;
      this.#changed.fire(this.list());
      return true;
    });
    this.#saving = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}

function sameAnswer(entry: FeedbackEntry, ref: { conversationId: string; messageId: string }): boolean {
  return entry.conversationId === ref.conversationId && entry.messageId === ref.messageId;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
