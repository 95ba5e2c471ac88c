// The records of a conversation's journal (`<id>.jsonl`, one JSON object per line). A journal
// starts with a base record (`created`, or `snapshot` after compaction) followed by the changes
// made since; replaying them in order gives the conversation. Records state facts (the resolved
// leaf, the merged parameters), never rules, so replay does not depend on today's rules.
import { z } from 'zod';
import { chatMessageSchema, conversationSchema, generationParamsSchema, messageStatusSchema } from '../../../common/chat/chatSchema';
import { answerMetricsSchema } from '../../../common/llm/llmSchema';
import { INTENT_LABELS } from '../../../common/intent/intentLabels';

/** Bumped when a record changes incompatibly; an older app then skips (and reports) what it cannot read. */
export const CHAT_JOURNAL_FORMAT = 1;

const format = z.literal(CHAT_JOURNAL_FORMAT);

export const chatJournalRecordSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('created'),
    format,
    id: z.string(),
    title: z.string(),
    createdAt: z.string(),
    systemPrompt: z.string(),
    params: generationParamsSchema,
  }),
  /** The whole conversation, written when a journal is compacted. */
  z.object({ type: z.literal('snapshot'), format, conversation: conversationSchema }),
  z.object({ type: z.literal('renamed'), at: z.string(), title: z.string() }),
  z.object({
    type: z.literal('configured'),
    at: z.string(),
    systemPrompt: z.string().optional(),
    params: generationParamsSchema.optional(),
  }),
  /** The message becomes the active leaf. */
  z.object({ type: z.literal('messageAdded'), at: z.string(), message: chatMessageSchema }),
  /** Streamed text, written in batches every flush interval rather than per token. */
  z.object({ type: z.literal('textAppended'), messageId: z.string(), text: z.string() }),
  z.object({
    type: z.literal('messageFinished'),
    at: z.string(),
    messageId: z.string(),
    status: messageStatusSchema,
    /** Replaces the streamed text when present. */
    content: z.string().optional(),
    metrics: answerMetricsSchema.nullable(),
    notices: z.array(z.string()),
    error: z.string().nullable(),
  }),
  z.object({ type: z.literal('activeLeafChanged'), messageId: z.string().nullable() }),
  /** The user corrected the intent the router saw for an answer (null: correction withdrawn). */
  z.object({ type: z.literal('intentCorrected'), at: z.string(), messageId: z.string(), label: z.enum(INTENT_LABELS).nullable() }),
]);

export type ChatJournalRecord = z.infer<typeof chatJournalRecordSchema>;
export type ChatJournalBaseRecord = Extract<ChatJournalRecord, { type: 'created' | 'snapshot' }>;
export type ChatJournalChangeRecord = Exclude<ChatJournalRecord, ChatJournalBaseRecord>;
