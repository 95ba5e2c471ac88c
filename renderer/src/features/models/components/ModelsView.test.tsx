import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CatalogEntryView } from '../../../../../common/models/catalogSchema';
import { createFakeBackend } from '../../../test/createFakeBackend';
import { renderApp } from '../../../test/renderApp';

const entry: CatalogEntryView = {
  id: 'tiny-coder',
  name: 'Tiny Coder',
  family: 'tiny',
  role: 'chat',
  description: 'A small code model.',
  license: 'MIT',
  contextLength: 4096,
  parameters: '0.1B',
  variants: [
    {
      quant: 'Q4_K_M',
      uri: 'hf:acme/tiny/tiny-q4.gguf',
      sizeBytes: 100_000_000,
      sha256: null,
      installed: false,
      recommended: true,
      fit: {
        verdict: 'gpu',
        gpuLayers: 13,
        totalLayers: 13,
        vramBytes: 150_000_000,
        ramBytes: 20_000_000,
        contextSize: 4096,
        source: 'catalog',
        note: 'Runs fully on the GPU.',
      },
    },
    {
      quant: 'F16',
      uri: 'hf:acme/tiny/tiny-f16.gguf',
      sizeBytes: 400_000_000,
      sha256: null,
      installed: true,
      recommended: false,
      fit: {
        verdict: 'no-fit',
        gpuLayers: 0,
        totalLayers: null,
        vramBytes: 0,
        ramBytes: 480_000_000,
        contextSize: 4096,
        source: 'catalog',
        note: 'Will not fit.',
      },
    },
  ],
};

describe('ModelsView', () => {
  it('shows fit badges, downloads a catalog variant, and pauses, resumes and cancels it with progress', async () => {
    const backend = createFakeBackend({ catalog: [entry] });
    const { user } = renderApp({ backend, view: 'models' });
    const badge = await screen.findByTestId('fit-badge-tiny-coder-Q4_K_M');
    expect(badge.textContent).toContain('Fits on GPU');
    expect(badge.getAttribute('title')).toBe('Runs fully on the GPU.');
    expect(screen.getByTestId('fit-badge-tiny-coder-F16').textContent).toContain('Will not fit');
    expect(screen.getByTestId('recommended-tiny-coder-Q4_K_M')).toBeTruthy();
    // An installed variant offers no download.
    expect(screen.queryByTestId('catalog-download-tiny-coder-F16')).toBeNull();

    await user.click(screen.getByTestId('catalog-download-tiny-coder-Q4_K_M'));
    expect(backend.inputsOf('downloads.start')).toEqual([{ uri: 'hf:acme/tiny/tiny-q4.gguf', catalogId: 'tiny-coder' }]);
    const row = await screen.findByTestId('download-row');
    const [job] = [...backend.downloads.values()];
    if (job === undefined) throw new Error('no job');
    act(() => {
      backend.updateDownload(job.id, { receivedBytes: 250_000, bytesPerSecond: 1_000_000, etaSeconds: 1 });
    });
    expect(within(row).getByTestId('download-numbers').textContent).toBe('244.1 KiB of 976.6 KiB · 976.6 KiB/s · 1 s left');

    await user.click(within(row).getByTestId('download-pause'));
    await waitFor(() => {
      expect(row.getAttribute('data-state')).toBe('paused');
    });
    await user.click(within(row).getByTestId('download-resume'));
    await waitFor(() => {
      expect(row.getAttribute('data-state')).toBe('downloading');
    });
    await user.click(within(row).getByTestId('download-cancel'));
    expect(backend.inputsOf('downloads.cancel')).toEqual([{ id: job.id }]);
  });

  it('shows why a download failed, and a start refused by main', async () => {
    const backend = createFakeBackend({ catalog: [entry] });
    const { user } = renderApp({ backend, view: 'models' });
    await user.click(await screen.findByTestId('catalog-download-tiny-coder-Q4_K_M'));
    const [job] = [...backend.downloads.values()];
    if (job === undefined) throw new Error('no job');
    act(() => {
      backend.updateDownload(job.id, {
        state: 'failed',
        error: { name: 'ChecksumMismatchError', message: 'tiny-q4.gguf does not match its published checksum.' },
      });
    });
    expect((await screen.findByTestId('download-error')).textContent).toContain('ChecksumMismatchError');

    backend.failNext('downloads.start', { name: 'InsufficientDiskSpaceError', message: 'Not enough disk space.' });
    await user.type(screen.getByTestId('add-model-uri'), 'https://example.com/big.gguf');
    await user.click(screen.getByTestId('add-model-download'));
    expect((await screen.findByTestId('models-error')).textContent).toContain('Not enough disk space.');
  });

  it('imports a file by path, sets the chat default, and deletes after confirming', async () => {
    const backend = createFakeBackend({ catalog: [] });
    const { user } = renderApp({ backend, view: 'models' });
    await user.type(await screen.findByTestId('import-model-path'), '/tmp/mine.gguf');
    await user.click(screen.getByTestId('import-model'));
    const installed = await screen.findByTestId('installed-model-mine.gguf');
    await user.click(within(installed).getByTestId('installed-default-chat'));
    expect(backend.inputsOf('settings.update')).toEqual([{ models: { defaultChatModelId: 'mine.gguf' } }]);
    await user.click(within(installed).getByTestId('installed-delete'));
    expect(backend.inputsOf('models.delete')).toEqual([]);
    await user.click(within(installed).getByTestId('installed-delete-confirm'));
    expect(backend.inputsOf('models.delete')).toEqual([{ modelId: 'mine.gguf' }]);
    await waitFor(() => {
      expect(screen.queryByTestId('installed-model-mine.gguf')).toBeNull();
    });
  });
});
