// Conversations as stored and shown: a tree of messages (editing a user message or regenerating
// an answer adds a sibling, so old branches are kept) and the path to the active leaf.
import { z } from 'zod';
import { answerMetricsSchema } from '../llm/llmSchema';
import { INTENT_LABELS } from '../intent/intentLabels';
import { routeDecisionSchema } from '../router/routeSchema';

export const generationParamsSchema = z.object({
  temperature: z.number().min(0).max(2),
  topP: z.number().gt(0).max(1),
  maxTokens: z.number().int().min(1).max(32_768),
  /** 'auto' uses what fits in memory up to the model's training context. */
  contextSize: z.union([z.literal('auto'), z.number().int().min(256).max(1_048_576)]),
  /** Fixed seed for reproducible sampling; null draws a new one each time. */
  seed: z.number().int().nonnegative().nullable(),
});
export type GenerationParams = z.infer<typeof generationParamsSchema>;

export const DEFAULT_GENERATION_PARAMS: GenerationParams = {
  temperature: 0.7,
  topP: 0.95,
  maxTokens: 1024,
  contextSize: 'auto',
  seed: null,
};

export const messageStatusSchema = z.enum([
  /** Being generated now. */
  'streaming',
  'complete',
  /** The user pressed stop; the text is what had been generated. */
  'stopped',
  /** The app or machine stopped mid-answer; the text is what had been saved. */
  'incomplete',
  'error',
]);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const chatMessageSchema = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  role: z.enum(['user', 'assistant']),
  content: z.string(),
  createdAt: z.string(),
  status: messageStatusSchema,
  metrics: answerMetricsSchema.nullable(),
  /** Shown with the answer, e.g. that early history was dropped to fit the context. */
  notices: z.array(z.string()),
  error: z.string().nullable(),
  /** Where the user message went and why (assistant messages; null for answers from before routing). */
  route: routeDecisionSchema.nullable().default(null),
  /** The intent the user says the question had, when they corrected the router (assistant messages). */
  intentCorrection: z.enum(INTENT_LABELS).nullable().default(null),
});
export type ChatMessage = z.infer<typeof chatMessageSchema>;

export const conversationSchema = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  systemPrompt: z.string(),
  params: generationParamsSchema,
  /** Every message of every branch. */
  messages: z.array(chatMessageSchema),
  /** Last message of the visible branch; null for an empty conversation. */
  activeLeafId: z.string().nullable(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const conversationSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  updatedAt: z.string(),
  messageCount: z.number().int().nonnegative(),
});
export type ConversationSummary = z.infer<typeof conversationSummarySchema>;

export const searchHitSchema = z.object({
  conversationId: z.string(),
  title: z.string(),
  messageId: z.string().nullable(),
  /** Text around the match. */
  snippet: z.string(),
  updatedAt: z.string(),
});
export type SearchHit = z.infer<typeof searchHitSchema>;

export const systemPromptPresetSchema = z.object({ id: z.string(), name: z.string(), prompt: z.string() });
export type SystemPromptPreset = z.infer<typeof systemPromptPresetSchema>;

export const messageDeltaSchema = z.object({ conversationId: z.string(), messageId: z.string(), text: z.string() });
export type MessageDelta = z.infer<typeof messageDeltaSchema>;

/** The path from the root to the active leaf: what the chat view shows. */
export function activeBranch(conversation: Pick<Conversation, 'messages' | 'activeLeafId'>): ChatMessage[] {
  const byId = new Map(conversation.messages.map((m) => [m.id, m]));
  const path: ChatMessage[] = [];
  let cursor = conversation.activeLeafId === null ? undefined : byId.get(conversation.activeLeafId);
  while (cursor !== undefined) {
    path.push(cursor);
    cursor = cursor.parentId === null ? undefined : byId.get(cursor.parentId);
  }
  return path.reverse();
}
