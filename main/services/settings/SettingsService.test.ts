import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsReadOnlyError, SettingsService } from './SettingsService';
import { createConfSettingsStore } from './SettingsStore';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'codesage-settings-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function open(): SettingsService {
  const openConf = () =>
    new Conf<Record<string, unknown>>({ cwd: dir, configName: 'settings', projectName: 'codesage', clearInvalidConfig: false });
  return new SettingsService({ store: createConfSettingsStore(openConf, file()), warn: () => undefined });
}

const file = () => join(dir, 'settings.json');

describe('SettingsService', () => {
  it('persists updates across restarts', () => {
    open().update({ appearance: { theme: 'dark' }, compute: { backend: 'cpu' } });
    const reopened = open().get();
    expect(reopened.appearance.theme).toBe('dark');
    expect(reopened.compute.backend).toBe('cpu');
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toMatchObject({ schemaVersion: 2, appearance: { theme: 'dark' } });
  });

  it('announces changes', () => {
    const service = open();
    const seen: string[] = [];
    service.onDidChange((s) => seen.push(s.appearance.theme));
    service.update({ appearance: { theme: 'light' } });
    service.reset();
    expect(seen).toEqual(['light', 'system']);
  });

  it('backs up a corrupt file before starting from defaults', () => {
    writeFileSync(file(), '{ this is not json');
    const service = open();
    expect(service.get().appearance.theme).toBe('system');
    expect(service.loadNotices.join(' ')).toMatch(/could not be read/);
    const backups = readdirSync(dir).filter((name) => name.includes('corrupt'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, backups[0] ?? ''), 'utf8')).toBe('{ this is not json');
  });

  it('repairs an invalid field, keeps the rest and keeps a copy of the original', () => {
    writeFileSync(file(), JSON.stringify({ schemaVersion: 1, appearance: { theme: 'neon' }, compute: { backend: 'vulkan' } }));
    const service = open();
    expect(service.get()).toMatchObject({ appearance: { theme: 'system' }, compute: { backend: 'vulkan' } });
    expect(readdirSync(dir).some((name) => name.includes('repaired'))).toBe(true);
  });

  it('never overwrites a file written by a newer version', () => {
    const newer = JSON.stringify({ schemaVersion: 99, appearance: { theme: 'dark' } });
    writeFileSync(file(), newer);
    const service = open();
    expect(() => service.update({ appearance: { theme: 'light' } })).toThrow(SettingsReadOnlyError);
    expect(readFileSync(file(), 'utf8')).toBe(newer);
  });
});
