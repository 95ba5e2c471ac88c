// The intents a chat message can be routed by. The order is the canonical one (training reports,
// UI lists); a model's own label order is stored in its metadata and may differ.
export const INTENT_LABELS = ['code', 'repo', 'review', 'general', 'unsafe'] as const;

export type IntentLabel = (typeof INTENT_LABELS)[number];

export function isIntentLabel(value: string): value is IntentLabel {
  return (INTENT_LABELS as readonly string[]).includes(value);
}
