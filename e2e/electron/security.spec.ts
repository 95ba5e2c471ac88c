// Electron-only: the window's security settings, checked in the real app through Playwright's
// _electron. Skips with a message when the Electron binary is not installed (npm could not
// download it, as on machines without access to Electron's release downloads).
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication } from '@playwright/test';

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const root = new URL('../..', import.meta.url).pathname;
let app: ElectronApplication;
let dataDir: string;

test.skip(
  binary === null,
  'Electron binary is not installed here (npm could not download it); Electron-only tests skipped. Serve-mode e2e tests cover the renderer.',
);

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'codesage-electron-'));
  app = await electron.launch({
    executablePath: binary ?? undefined,
    args: [root, '--no-sandbox'],
    env: { ...process.env, CODESAGE_DATA_DIR: dataDir },
  });
});

test.afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('the window runs sandboxed, isolated and without Node', async () => {
  const page = await app.firstWindow();
  const prefs = await app.evaluate(({ BrowserWindow }) => {
    const [win] = BrowserWindow.getAllWindows();
    // getLastWebPreferences exists at run time but is missing from the type definitions.
    const contents = win?.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null } | undefined;
    const p = contents?.getLastWebPreferences();
    return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration, webviewTag: p?.webviewTag };
  });
  expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
  const globals = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    api: typeof (globalThis as { codesage?: unknown }).codesage,
    ipcRenderer: typeof (globalThis as { codesage?: { ipcRenderer?: unknown } }).codesage?.ipcRenderer,
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', api: 'object', ipcRenderer: 'undefined' });
});

test('a strict CSP is in force and window.open and navigation are blocked', async () => {
  const page = await app.firstWindow();
  const csp = await page.evaluate(() => document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content'));
  expect(csp).toContain("script-src 'self'");
  expect(await page.evaluate(() => window.open('https://example.com') === null)).toBe(true);
  const before = page.url();
  await page.evaluate(() => {
    window.location.href = 'https://example.com';
  });
  await page.waitForTimeout(500);
  expect(page.url()).toBe(before);
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
});

test('permissions are denied by default', async () => {
  const page = await app.firstWindow();
  const state = await page.evaluate(async () => (await navigator.permissions.query({ name: 'geolocation' })).state);
  expect(state).not.toBe('granted');
});

test('an IPC payload that fails validation is rejected with a clear error', async () => {
  const page = await app.firstWindow();
  const envelope = await page.evaluate(() =>
    (globalThis as unknown as { codesage: { settings: { update(input: unknown): Promise<unknown> } } }).codesage.settings.update({
      appearance: { theme: 'neon' },
    }),
  );
  expect(envelope).toMatchObject({ ok: false, error: { name: 'InvalidPayloadError' } });
  expect(JSON.stringify(envelope)).toContain('appearance.theme');
});
