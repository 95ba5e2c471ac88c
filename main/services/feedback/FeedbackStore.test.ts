import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FeedbackStore } from './FeedbackStore';
import type { NewIntentCorrection } from './FeedbackStore';

let folder: string;

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'codesage-feedback-'));
});

afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

function correction(messageId: string, corrected: NewIntentCorrection['corrected'] = 'repo'): NewIntentCorrection {
  return {
    text: `question ${messageId}`,
    predicted: 'code',
    confidence: 0.8,
    corrected,
    modelVersion: 'intent-test',
    conversationId: 'c1',
    messageId,
  };
}

describe('FeedbackStore', () => {
  it('keeps corrections across a reopen, newest first, and announces each change', async () => {
    let tick = 0;
    const now = () => new Date(Date.UTC(2026, 10, 22, 12, 0, tick++));
    const store = await FeedbackStore.open({ folder, now });
    const seen: number[] = [];
    store.onDidChange((entries) => seen.push(entries.length));
    await store.addIntentCorrection(correction('m1'));
    await store.addIntentCorrection(correction('m2', 'review'));
    expect(seen).toEqual([1, 2]);
    store.dispose();

    const reopened = await FeedbackStore.open({ folder });
    expect(reopened.list().map((e) => [e.messageId, e.corrected])).toEqual([
      ['m2', 'review'],
      ['m1', 'repo'],
    ]);
    reopened.dispose();
  });

  it('replaces a second correction of the same answer, and withdraws or deletes entries', async () => {
    const store = await FeedbackStore.open({ folder });
    await store.addIntentCorrection(correction('m1', 'repo'));
    const replaced = await store.addIntentCorrection(correction('m1', 'general'));
    expect(store.list()).toEqual([replaced]);
    expect(await store.removeForMessage('c1', 'm1')).toBe(true);
    expect(await store.removeForMessage('c1', 'm1')).toBe(false);
    const kept = await store.addIntentCorrection(correction('m2'));
    expect(await store.delete('nope')).toBe(false);
    expect(await store.delete(kept.id)).toBe(true);
    expect(store.list()).toEqual([]);
    store.dispose();
  });

  it('applies concurrent changes one after another, losing none', async () => {
    const store = await FeedbackStore.open({ folder });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => store.addIntentCorrection(correction(id))));
    store.dispose();
    const reopened = await FeedbackStore.open({ folder });
    expect(
      reopened
        .list()
        .map((e) => e.messageId)
        .sort(),
    ).toEqual(['a', 'b', 'c', 'd', 'e']);
    reopened.dispose();
  });

  it('sets an unreadable file aside with a warning instead of overwriting it', async () => {
    writeFileSync(join(folder, 'feedback.json'), '{"version":1,"entries":[{"kind":"mystery"}]}');
    const warnings: string[] = [];
    const store = await FeedbackStore.open({ folder, warn: (message) => warnings.push(message) });
    expect(store.list()).toEqual([]);
    expect(warnings.join(' ')).toMatch(/could not be read; it was kept as .*feedback\.json\.corrupt-/);
    expect(readdirSync(folder).some((name) => name.startsWith('feedback.json.corrupt-'))).toBe(true);
    store.dispose();
  });

  it('does not report a change the disk refused', async () => {
    const store = await FeedbackStore.open({ folder });
    rmSync(folder, { recursive: true, force: true });
    await expect(store.addIntentCorrection(correction('m1'))).rejects.toThrow();
    expect(store.list()).toEqual([]);
    store.dispose();
  });
});
