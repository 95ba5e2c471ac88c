// Download journey in a real browser against real serve mode: a catalog (CODESAGE_CATALOG) whose
// model is served by a throttled loopback server; the user sees the fit badge, starts the
// download, pauses, resumes, and the verified model is installed and selectable in Chat.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeTinyLlamaGguf } from '../main/testing/gguf/writeTinyLlamaGguf';
import type { TinyLlamaInfo } from '../main/testing/gguf/writeTinyLlamaGguf';
import { serveTinyModel } from '../main/testing/http/serveTinyModel';
import type { ServedTinyModel } from '../main/testing/http/serveTinyModel';
import type { FileServer } from '../main/testing/http/startFileServer';
import { startServeMode } from '../main/testing/startServeMode';
import type { ServeModeProcess } from '../main/testing/startServeMode';
import { ChatPage } from './pages/ChatPage';
import { ModelsPage } from './pages/ModelsPage';
import { ShellPage } from './pages/ShellPage';

const PATH = '/acme/tiny-coder-GGUF/resolve/main/tiny-coder-q8_0.gguf';
let serve: ServeModeProcess;
let served: ServedTinyModel;
let files: FileServer;
let model: TinyLlamaInfo;
let dir: string;

test.beforeAll(async () => {
  // About 25 MB, sent at 4 MB/s: long enough to pause and resume on screen.
  served = await serveTinyModel({
    dirPrefix: 'codesage-e2e-models-',
    urlPath: PATH,
    gguf: { seed: 5, blockCount: 3, embeddingLength: 512, feedForwardLength: 2048, weightType: 'F16' },
    bytesPerSecond: 4_000_000,
    etag: 'sha256',
  });
  ({ dir, model, server: files } = served);
  const catalogPath = join(dir, 'catalog.json');
  writeFileSync(
    catalogPath,
    JSON.stringify({
      version: 1,
      entries: [
        {
          id: 'tiny-coder',
          name: 'Tiny Coder',
          family: 'tiny-coder',
          role: 'chat',
          description: 'A generated test model served from this machine.',
          license: 'MIT',
          contextLength: 2048,
          parameters: '10M',
          variants: [{ quant: 'Q8_0', uri: 'hf:acme/tiny-coder-GGUF/tiny-coder-q8_0.gguf', sizeBytes: model.sizeBytes, sha256: null }],
        },
      ],
    }),
  );
  serve = await startServeMode({
    dataDir: join(dir, 'data'),
    env: { CODESAGE_CATALOG: catalogPath, CODESAGE_HF_ENDPOINT: files.url('/').replace(/\/$/, '') },
  });
});

test.afterAll(async () => {
  await serve.stop();
  await served.close();
});

test('see the fit badge, download, pause, resume, then pick the model in Chat', async ({ page }) => {
  const shell = new ShellPage(page);
  const models = new ModelsPage(page);
  const chat = new ChatPage(page);
  await shell.open(serve.openUrl);
  await shell.nav('models').click();

  await expect(models.fitBadge('tiny-coder', 'Q8_0')).toHaveAttribute('data-verdict', /gpu|partial|cpu/);
  await expect(models.fitBadge('tiny-coder', 'Q8_0')).toContainText(/Fits on GPU|CPU only|Partial/);

  await models.downloadButton('tiny-coder', 'Q8_0').click();
  const row = models.download('tiny-coder-q8_0.gguf');
  await expect(row).toHaveAttribute('data-state', 'downloading');
  await expect(row.getByTestId('download-numbers')).toContainText(/MiB of/);

  await row.getByTestId('download-pause').click();
  await expect(row).toHaveAttribute('data-state', 'paused');
  const pausedAt = files.bytesSent(PATH);
  await page.waitForTimeout(1000);
  // Paused means nothing more arrives.
  expect(files.bytesSent(PATH) - pausedAt).toBeLessThan(1_000_000);

  await row.getByTestId('download-resume').click();
  await expect(models.installed('tiny-coder-q8_0.gguf')).toBeVisible({ timeout: 60_000 });
  // Installed variants no longer offer a download.
  await expect(models.downloadButton('tiny-coder', 'Q8_0')).toHaveCount(0);

  await shell.nav('chat').click();
  await expect(chat.modelPicker.locator('option', { hasText: /tiny/i })).toHaveCount(1);
  await chat.loadModel('tiny-coder-q8_0.gguf');
  await expect(chat.modelState).toContainText(/context/);
});

test('import a GGUF file picked in the browser: it is uploaded to serve mode, checked and installed', async ({ page }) => {
  const shell = new ShellPage(page);
  const models = new ModelsPage(page);
  const picked = join(dir, 'picked-model.gguf');
  await writeTinyLlamaGguf(picked, { seed: 8 });
  const junk = join(dir, 'junk.gguf');
  writeFileSync(junk, 'not a model');
  await shell.open(serve.openUrl);
  await shell.nav('models').click();

  await page.getByTestId('import-file-input').setInputFiles(junk);
  await expect(page.getByTestId('models-error')).toContainText('InvalidModelImportError');
  await expect(models.installed('junk.gguf')).toHaveCount(0);

  await page.getByTestId('import-file-input').setInputFiles(picked);
  await expect(models.installed('picked-model.gguf')).toBeVisible();
});
