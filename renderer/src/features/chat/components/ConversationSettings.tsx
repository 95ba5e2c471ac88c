// The open conversation's settings: system prompt (a preset or free text) and sampling parameters,
// validated as the user types and saved together through chats.configure. With no conversation open,
// saving starts a new one with these settings. A popover over the thread; Escape or Close closes it.
import { useId, useState } from 'react';
import type { SubmitEvent } from 'react';
import { DEFAULT_GENERATION_PARAMS } from '../../../../../common/chat/chatSchema';
import type { Conversation } from '../../../../../common/chat/chatSchema';
import { useAppStore } from '../../../app/store/useAppStore';
import type { ChatActions } from '../hooks/useChatActions';
import { parseSettingsDraft, toSettingsDraft } from '../utils/parseSettingsDraft';
import type { SettingsDraft, SettingsField } from '../utils/parseSettingsDraft';

export interface ConversationSettingsProps {
  readonly id: string;
  readonly conversation: Conversation | undefined;
  readonly actions: ChatActions;
  readonly onClose: () => void;
}

const CUSTOM = 'custom';

interface NumberFieldSpec {
  readonly field: Exclude<SettingsField, 'systemPrompt'>;
  readonly label: string;
  readonly hint: string;
  readonly inputMode: 'decimal' | 'numeric' | 'text';
}

const NUMBER_FIELDS: readonly NumberFieldSpec[] = [
  { field: 'temperature', label: 'Temperature', hint: '0 to 2. Lower is more focused, higher more varied.', inputMode: 'decimal' },
  { field: 'topP', label: 'Top-p', hint: 'Above 0, up to 1. Samples only from the most likely tokens.', inputMode: 'decimal' },
  { field: 'maxTokens', label: 'Max tokens', hint: 'Longest answer, 1 to 32768 tokens.', inputMode: 'numeric' },
  {
    field: 'contextSize',
    label: 'Context size',
    hint: 'auto, or 256 to 1048576 tokens. Used the next time a model is loaded.',
    inputMode: 'text',
  },
  {
    field: 'seed',
    label: 'Seed',
    hint: 'Blank draws a new seed for every answer; a number makes answers repeatable.',
    inputMode: 'numeric',
  },
];

export function ConversationSettings({ id, conversation, actions, onClose }: ConversationSettingsProps) {
  const presets = useAppStore((state) => state.chatPresets);
  const fieldId = useId();
  const presetList = presets.status === 'ready' ? presets.value : [];
  const initial = toSettingsDraft(
    conversation?.systemPrompt ?? presetList[0]?.prompt ?? '',
    conversation?.params ?? DEFAULT_GENERATION_PARAMS,
  );
  const [draft, setDraft] = useState<SettingsDraft>(initial);
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const result = parseSettingsDraft(draft);
  const errors = result.ok ? {} : result.errors;
  const changed = (Object.keys(draft) as SettingsField[]).some((key) => draft[key] !== initial[key]);
  const presetId = presetList.find((preset) => preset.prompt === draft.systemPrompt)?.id ?? CUSTOM;

  const edit = (change: Partial<SettingsDraft>): void => {
    setDraft((current) => ({ ...current, ...change }));
    setNotice(null);
  };

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!result.ok || saving) return;
    setSaving(true);
    void actions.configure({ systemPrompt: result.systemPrompt, params: result.params }).then((saved) => {
      setSaving(false);
      if (saved) setNotice('Settings saved.');
    });
  };

  return (
    <form
      id={id}
      className="chat-settings"
      aria-labelledby={`${fieldId}-title`}
      onSubmit={handleSubmit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onClose();
        }
      }}
      data-testid="chat-settings"
    >
      <div className="chat-settings-header">
        <h2 id={`${fieldId}-title`} className="card-title">
          Chat settings
        </h2>
        <button type="button" className="button button-quiet button-small" onClick={onClose}>
          Close
        </button>
      </div>
      {conversation === undefined ? <p className="field-hint">Saving starts a new chat with these settings.</p> : null}

      <div className="chat-settings-prompt">
        <label htmlFor={`${fieldId}-preset`} className="field-label">
          System prompt preset
        </label>
        <select
          id={`${fieldId}-preset`}
          className="select"
          data-testid="chat-settings-preset"
          value={presetId}
          autoFocus
          onChange={(event) => {
            const preset = presetList.find((p) => p.id === event.target.value);
            if (preset !== undefined) edit({ systemPrompt: preset.prompt });
          }}
        >
          {presetList.map((preset) => (
            <option key={preset.id} value={preset.id}>
              {preset.name}
            </option>
          ))}
          <option value={CUSTOM}>Custom</option>
        </select>
        <label htmlFor={`${fieldId}-systemPrompt`} className="field-label">
          System prompt
        </label>
        <textarea
          id={`${fieldId}-systemPrompt`}
          className="chat-settings-textarea"
          data-testid="chat-settings-systemPrompt"
          rows={4}
          value={draft.systemPrompt}
          aria-invalid={errors.systemPrompt !== undefined}
          aria-describedby={errors.systemPrompt === undefined ? undefined : `${fieldId}-systemPrompt-error`}
          onChange={(event) => {
            edit({ systemPrompt: event.target.value });
          }}
        />
        {errors.systemPrompt === undefined ? null : (
          <p id={`${fieldId}-systemPrompt-error`} className="field-error">
            {errors.systemPrompt}
          </p>
        )}
      </div>

      <div className="chat-settings-grid">
        {NUMBER_FIELDS.map(({ field, label, hint, inputMode }) => {
          const inputId = `${fieldId}-${field}`;
          const error = errors[field];
          return (
            <div key={field} className="chat-settings-field">
              <label htmlFor={inputId} className="field-label">
                {label}
              </label>
              <input
                id={inputId}
                className="input"
                data-testid={`chat-settings-${field}`}
                type="text"
                inputMode={inputMode}
                autoComplete="off"
                spellCheck={false}
                placeholder={field === 'seed' ? 'random' : undefined}
                value={draft[field]}
                aria-invalid={error !== undefined}
                aria-describedby={error === undefined ? `${inputId}-hint` : `${inputId}-error`}
                onChange={(event) => {
                  edit({ [field]: event.target.value });
                }}
              />
              {error === undefined ? (
                <p id={`${inputId}-hint`} className="field-hint">
                  {hint}
                </p>
              ) : (
                <p id={`${inputId}-error`} className="field-error">
                  {error}
                </p>
              )}
            </div>
          );
        })}
      </div>

      <div className="form-actions">
        <button
          type="submit"
          className="button button-primary"
          data-testid="chat-settings-save"
          disabled={!result.ok || !changed || saving}
        >
          {saving ? 'Saving…' : 'Save settings'}
        </button>
        {changed ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(initial);
            }}
          >
            Discard changes
          </button>
        ) : null}
        <p className="form-notice" role="status">
          {notice}
        </p>
      </div>
    </form>
  );
}
