// A conversation's settings as the user types them (text fields) and their validation against the
// limits of the contract, with messages that say what is allowed.
import type { GenerationParams } from '../../../../../common/chat/chatSchema';

export interface SettingsDraft {
  readonly systemPrompt: string;
  readonly temperature: string;
  readonly topP: string;
  readonly maxTokens: string;
  /** 'auto' or a whole number. */
  readonly contextSize: string;
  /** Blank draws a new seed for every answer. */
  readonly seed: string;
}

export type SettingsField = keyof SettingsDraft;

export type SettingsDraftResult =
  | { readonly ok: true; readonly systemPrompt: string; readonly params: GenerationParams }
  | { readonly ok: false; readonly errors: Partial<Record<SettingsField, string>> };

export const MAX_SYSTEM_PROMPT_LENGTH = 20_000;

export function toSettingsDraft(systemPrompt: string, params: GenerationParams): SettingsDraft {
  return {
    systemPrompt,
    temperature: String(params.temperature),
    topP: String(params.topP),
    maxTokens: String(params.maxTokens),
    contextSize: String(params.contextSize),
    seed: params.seed === null ? '' : String(params.seed),
  };
}

function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

function parseWhole(text: string, min: number, max: number): number | null {
  const value = parseNumber(text);
  return value !== null && Number.isInteger(value) && value >= min && value <= max ? value : null;
}

export function parseSettingsDraft(draft: SettingsDraft): SettingsDraftResult {
  const errors: Partial<Record<SettingsField, string>> = {};

  if (draft.systemPrompt.length > MAX_SYSTEM_PROMPT_LENGTH) {
    errors.systemPrompt = `The system prompt can be at most ${MAX_SYSTEM_PROMPT_LENGTH.toLocaleString('en-US')} characters.`;
  }
  const temperature = parseNumber(draft.temperature);
  if (temperature === null || temperature < 0 || temperature > 2) errors.temperature = 'Enter a number from 0 to 2.';
  const topP = parseNumber(draft.topP);
  if (topP === null || topP <= 0 || topP > 1) errors.topP = 'Enter a number above 0, up to 1.';
  const maxTokens = parseWhole(draft.maxTokens, 1, 32_768);
  if (maxTokens === null) errors.maxTokens = 'Enter a whole number from 1 to 32768.';
  const auto = draft.contextSize.trim().toLowerCase() === 'auto';
  const contextSize = auto ? 'auto' : parseWhole(draft.contextSize, 256, 1_048_576);
  if (contextSize === null) errors.contextSize = 'Enter auto, or a whole number from 256 to 1048576.';
  const seedBlank = draft.seed.trim() === '';
  const seed = seedBlank ? null : parseWhole(draft.seed, 0, Number.MAX_SAFE_INTEGER);
  if (!seedBlank && seed === null) errors.seed = 'Leave blank for a random seed, or enter a whole number of 0 or more.';

  if (temperature === null || topP === null || maxTokens === null || contextSize === null || Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  return { ok: true, systemPrompt: draft.systemPrompt, params: { temperature, topP, maxTokens, contextSize, seed } };
}
