import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATION_PARAMS } from '../../../../../common/chat/chatSchema';
import { parseSettingsDraft, toSettingsDraft } from './parseSettingsDraft';

const draft = toSettingsDraft('Be brief.', DEFAULT_GENERATION_PARAMS);

describe('parseSettingsDraft', () => {
  it('round-trips the settings of a conversation', () => {
    expect(parseSettingsDraft(draft)).toEqual({ ok: true, systemPrompt: 'Be brief.', params: DEFAULT_GENERATION_PARAMS });
    expect(parseSettingsDraft({ ...draft, contextSize: ' 8192 ', seed: '7' })).toEqual({
      ok: true,
      systemPrompt: 'Be brief.',
      params: { ...DEFAULT_GENERATION_PARAMS, contextSize: 8192, seed: 7 },
    });
    expect(parseSettingsDraft({ ...draft, contextSize: 'AUTO', seed: '  ' })).toMatchObject({
      ok: true,
      params: { contextSize: 'auto', seed: null },
    });
  });

  it('names every field outside the limits of the contract', () => {
    const result = parseSettingsDraft({
      systemPrompt: 'x'.repeat(20_001),
      temperature: '2.5',
      topP: '0',
      maxTokens: '1.5',
      contextSize: '128',
      seed: 'abc',
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : Object.keys(result.errors).sort()).toEqual([
      'contextSize',
      'maxTokens',
      'seed',
      'systemPrompt',
      'temperature',
      'topP',
    ]);
    expect(parseSettingsDraft({ ...draft, temperature: '' }).ok).toBe(false);
    expect(parseSettingsDraft({ ...draft, maxTokens: '32769' }).ok).toBe(false);
    expect(parseSettingsDraft({ ...draft, topP: '1', temperature: '0', maxTokens: '32768', contextSize: '1048576', seed: '0' }).ok).toBe(
      true,
    );
  });
});
