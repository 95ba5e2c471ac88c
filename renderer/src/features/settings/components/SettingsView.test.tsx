import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeBackend } from '../../../test/createFakeBackend';
import { setPrefersDark } from '../../../test/fakeMatchMedia';
import { appInfoFixture, settingsFixture, systemInfoFixture } from '../../../test/fixtures';
import { renderApp } from '../../../test/renderApp';

function radio(name: string): HTMLInputElement {
  const element = screen.getByRole('radio', { name });
  if (!(element instanceof HTMLInputElement)) throw new Error(`${name} is not an input`);
  return element;
}

function button(name: string): HTMLButtonElement {
  const element = screen.getByRole('button', { name });
  if (!(element instanceof HTMLButtonElement)) throw new Error(`${name} is not a button`);
  return element;
}

async function openSettings(options: Parameters<typeof renderApp>[0] = {}) {
  const rendered = renderApp({ view: 'settings', ...options });
  await screen.findByRole('radio', { name: 'System' });
  return rendered;
}

describe('SettingsView', () => {
  it('saves a theme change as a theme-only patch and applies it to the document', async () => {
    const { user, backend } = await openSettings();
    expect(radio('System').checked).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(button('Save').disabled).toBe(true);

    await user.click(radio('Dark'));
    expect(radio('Dark').checked).toBe(true);
    // A draft: nothing is sent or applied before Save.
    expect(backend.inputsOf('settings.update')).toEqual([]);
    expect(document.documentElement.dataset.theme).toBe('light');

    await user.click(button('Save'));
    await screen.findByText('Settings saved.');
    expect(backend.inputsOf('settings.update')).toEqual([{ appearance: { theme: 'dark' } }]);
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(button('Save').disabled).toBe(true);

    await user.click(radio('Light'));
    await user.click(button('Save'));
    await waitFor(() => {
      expect(document.documentElement.dataset.theme).toBe('light');
    });
    expect(backend.inputsOf('settings.update')).toEqual([{ appearance: { theme: 'dark' } }, { appearance: { theme: 'light' } }]);
  });

  it('saves the routing policy and the model storage location, and an empty folder means the default', async () => {
    const { user, backend } = await openSettings();
    expect(radio('Local first').checked).toBe(true);
    await user.click(radio('Offline'));
    await user.type(screen.getByTestId('settings-models-folder'), '/data/models');
    await user.click(button('Save'));
    await screen.findByText('Settings saved.');
    expect(backend.inputsOf('settings.update')).toEqual([{ models: { folder: '/data/models' }, routing: { policy: 'offline' } }]);
    expect(backend.settings.routing.policy).toBe('offline');

    await user.clear(screen.getByTestId('settings-models-folder'));
    await user.click(button('Save'));
    await waitFor(() => {
      expect(backend.settings.models.folder).toBeNull();
    });
  });

  it('saves the compute backend preference', async () => {
    const { user, backend } = await openSettings();
    expect(radio('Auto').checked).toBe(true);
    await user.click(radio('CPU'));
    await user.click(button('Save'));
    await screen.findByText('Settings saved.');
    expect(backend.inputsOf('settings.update')).toEqual([{ compute: { backend: 'cpu' } }]);
    expect(backend.settings.compute.backend).toBe('cpu');
    expect(radio('CPU').checked).toBe(true);
  });

  it('sends nothing when the choice is changed back before saving', async () => {
    const { user } = await openSettings();
    await user.click(radio('Vulkan'));
    expect(button('Save').disabled).toBe(false);
    await user.click(radio('Auto'));
    expect(button('Save').disabled).toBe(true);
  });

  it('discards unsaved changes on request', async () => {
    const { user, backend } = await openSettings();
    await user.click(radio('Metal'));
    await user.click(button('Discard changes'));
    expect(radio('Auto').checked).toBe(true);
    expect(screen.queryByRole('button', { name: 'Discard changes' })).toBeNull();
    expect(backend.inputsOf('settings.update')).toEqual([]);
  });

  it('shows an API error and keeps the form, then saves on retry', async () => {
    const backend = createFakeBackend();
    backend.failNext('settings.update', { name: 'SettingsWriteError', message: 'Could not write settings.json: the disk is full.' });
    const { user } = await openSettings({ backend });

    await user.click(radio('Dark'));
    await user.click(button('Save'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not write settings.json: the disk is full.');
    expect(alert.textContent).toContain('SettingsWriteError');
    expect(radio('Dark').checked).toBe(true);
    expect(button('Save').disabled).toBe(false);
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(screen.queryByText('Settings saved.')).toBeNull();

    await user.click(button('Save'));
    await screen.findByText('Settings saved.');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(backend.inputsOf('settings.update')).toEqual([{ appearance: { theme: 'dark' } }, { appearance: { theme: 'dark' } }]);
  });

  it('follows onChanged events, keeping fields the user is still editing', async () => {
    const { user, backend } = await openSettings();
    act(() => {
      backend.emit('settings.onChanged', settingsFixture({ theme: 'dark', backend: 'vulkan' }));
    });
    expect(radio('Dark').checked).toBe(true);
    expect(radio('Vulkan').checked).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('dark');

    await user.click(radio('CPU'));
    act(() => {
      backend.emit('settings.onChanged', settingsFixture({ theme: 'light', backend: 'cuda' }));
    });
    expect(radio('Light').checked).toBe(true);
    expect(radio('CPU').checked).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('resets to defaults through the API', async () => {
    const { user, backend } = await openSettings({
      backend: createFakeBackend({ settings: settingsFixture({ theme: 'dark', backend: 'cpu' }) }),
    });
    expect(radio('Dark').checked).toBe(true);
    await user.click(button('Reset to defaults'));
    await screen.findByText('Settings reset to defaults.');
    expect(backend.inputsOf('settings.reset')).toEqual([undefined]);
    expect(radio('System').checked).toBe(true);
    expect(radio('Auto').checked).toBe(true);
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('shows a failed reset without changing anything', async () => {
    const backend = createFakeBackend({ settings: settingsFixture({ theme: 'dark' }) });
    backend.failNext('settings.reset', { name: 'SettingsWriteError', message: 'The settings file is read-only.' });
    const { user } = await openSettings({ backend });
    await user.click(button('Reset to defaults'));
    expect((await screen.findByRole('alert')).textContent).toContain('The settings file is read-only.');
    expect(radio('Dark').checked).toBe(true);
  });

  it('follows the OS theme while the setting is System, and stops when it is not', async () => {
    const { backend } = await openSettings();
    expect(document.documentElement.dataset.theme).toBe('light');
    act(() => {
      setPrefersDark(true);
    });
    expect(document.documentElement.dataset.theme).toBe('dark');
    act(() => {
      setPrefersDark(false);
    });
    expect(document.documentElement.dataset.theme).toBe('light');

    act(() => {
      backend.emit('settings.onChanged', settingsFixture({ theme: 'light' }));
    });
    act(() => {
      setPrefersDark(true);
    });
    expect(document.documentElement.dataset.theme).toBe('light');
  });

  it('shows the compute report and facts about the installation', async () => {
    await openSettings();
    const report = screen.getByTestId('settings-compute-report');
    await waitFor(() => {
      expect(within(report).getByTestId('settings-compute-reason').textContent).toBe(
        'Asked for auto; CUDA found an NVIDIA GeForce RTX 4070 with 12 GiB of VRAM.',
      );
    });
    expect(report.textContent).toContain('CUDA');
    expect(report.textContent).toContain('Threads8');
    expect(report.textContent).toContain('AMD Ryzen 7 7700X');

    const about = await screen.findByTestId('settings-app-info');
    expect(about.textContent).toContain('CodeSage 0.1.0');
    expect(about.textContent).toContain(appInfoFixture.dataDir);
    expect(about.textContent).toContain('Node22.20.0');
    expect(about.textContent).toContain('Electron41.10.0');
  });

  it('shows a compute failure in full', async () => {
    await openSettings({
      backend: createFakeBackend({
        systemInfo: systemInfoFixture({
          status: 'failed',
          errorName: 'NoLlamaBinaryError',
          message: 'No llama.cpp binary matches this CPU.',
        }),
      }),
    });
    await waitFor(() => {
      expect(screen.getByTestId('settings-compute-reason').textContent).toBe('No llama.cpp binary matches this CPU. (NoLlamaBinaryError)');
    });
    expect(screen.getByTestId('settings-compute-report').textContent).toContain('Compute unavailable');
  });

  it('offers a working retry when the settings cannot be loaded', async () => {
    const backend = createFakeBackend();
    backend.failNext('settings.get', { name: 'SettingsReadError', message: 'settings.json is not valid JSON.' });
    const { user } = renderApp({ view: 'settings', backend });
    expect((await screen.findByRole('alert')).textContent).toContain('settings.json is not valid JSON.');
    expect(screen.queryByRole('radio', { name: 'System' })).toBeNull();
    await user.click(button('Try again'));
    expect(radio('System').checked).toBe(true);
    expect(backend.inputsOf('settings.get')).toHaveLength(2);
  });
});
