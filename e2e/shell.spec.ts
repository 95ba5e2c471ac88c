// The shell in a real browser against real serve mode: it loads, every view opens, the status bar
// shows what main detected, and serve mode's gate holds for a browser too.
import { expect, test } from '@playwright/test';
import { ShellPage, VIEWS } from './pages/ShellPage';
import { startServeMode } from '../main/testing/startServeMode';
import type { ServeModeProcess } from '../main/testing/startServeMode';

let serve: ServeModeProcess;

test.beforeAll(async () => {
  serve = await startServeMode();
});

test.afterAll(async () => {
  await serve.stop();
});

test('the shell loads and shows the detected backend and memory', async ({ page }) => {
  const shell = new ShellPage(page);
  await shell.open(serve.openUrl);
  // The token went into a cookie and out of the address bar.
  expect(page.url()).not.toContain('token=');
  await expect(shell.backend).toHaveText(/\bCPU\b/);
  await expect(shell.memory).toHaveText(/\d+(\.\d)? GiB/);
  await expect(shell.shell).toContainText(/serve/i);
});

test('every sidebar view opens by click', async ({ page }) => {
  const shell = new ShellPage(page);
  await shell.open(serve.openUrl);
  for (const view of VIEWS) {
    await shell.nav(view).click();
    await expect(shell.view(view)).toBeVisible();
    await expect(shell.nav(view)).toHaveAttribute('aria-current', 'page');
  }
});

test('views open from the keyboard', async ({ page }) => {
  const shell = new ShellPage(page);
  await shell.open(serve.openUrl);
  for (const [index, view] of VIEWS.entries()) {
    await page.keyboard.press(`ControlOrMeta+${String(index + 1)}`);
    await expect(shell.view(view)).toBeVisible();
  }
  await shell.nav('chat').focus();
  await page.keyboard.press('ArrowDown');
  await expect(shell.nav('repos')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(shell.view('repos')).toBeVisible();
});

test('a browser without the token is refused', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(serve.baseUrl);
  expect(response?.status()).toBe(401);
  await expect(page.locator('body')).toContainText('token');
  await context.close();
});
