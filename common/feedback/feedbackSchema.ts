// Feedback the user gave, kept on this machine. Today it is one kind: a correction of the intent the
// router saw in a chat message. Feedback sync (opt-in upload to the retrain service) reads the same
// entries; until the user consents, nothing here leaves the device.
import { z } from 'zod';
import { INTENT_LABELS } from '../intent/intentLabels';

export const intentCorrectionSchema = z.object({
  id: z.string(),
  kind: z.literal('intentCorrection'),
  createdAt: z.string(),
  /** The user's message, as they sent it. */
  text: z.string(),
  /** What the intent model said, with its calibrated confidence. */
  predicted: z.enum(INTENT_LABELS),
  confidence: z.number(),
  /** What the user says it is. */
  corrected: z.enum(INTENT_LABELS),
  /** The model that made the prediction; null when no model could run. */
  modelVersion: z.string().nullable(),
  conversationId: z.string(),
  /** The answer the correction was made on. */
  messageId: z.string(),
});
export type IntentCorrection = z.infer<typeof intentCorrectionSchema>;

export const feedbackEntrySchema = z.discriminatedUnion('kind', [intentCorrectionSchema]);
export type FeedbackEntry = z.infer<typeof feedbackEntrySchema>;
