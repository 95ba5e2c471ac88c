import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeBackend } from '../test/createFakeBackend';
import { appInfoFixture, systemInfoFixture } from '../test/fixtures';
import { renderApp } from '../test/renderApp';
import { VIEW_IDS } from './store/navigationSlice';
import type { ViewId } from './store/navigationSlice';

const LABELS: Record<ViewId, string> = {
  chat: 'Chat',
  repos: 'Repos',
  review: 'Review',
  models: 'Models',
  feedback: 'Feedback',
  settings: 'Settings',
};

function expectOnlyView(view: ViewId): void {
  for (const id of VIEW_IDS) {
    if (id === view) expect(screen.getByTestId(`view-${id}`)).toBeTruthy();
    else expect(screen.queryByTestId(`view-${id}`)).toBeNull();
    expect(screen.getByTestId(`nav-${id}`).getAttribute('aria-current')).toBe(id === view ? 'page' : null);
  }
  const heading = within(screen.getByTestId(`view-${view}`)).getByRole('heading', { level: 1 });
  expect(heading.textContent).toBe(LABELS[view]);
}

function navItem(view: ViewId): HTMLElement {
  return screen.getByTestId(`nav-${view}`);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('App navigation', () => {
  it('starts on Chat and lists the six views in order', () => {
    renderApp();
    const nav = screen.getByRole('navigation', { name: 'Views' });
    const names = within(nav)
      .getAllByRole('button')
      .map((button) => button.getAttribute('data-testid'));
    expect(names).toEqual(VIEW_IDS.map((id) => `nav-${id}`));
    expectOnlyView('chat');
  });

  it('opens every view from the sidebar and focuses its heading', async () => {
    const { user } = renderApp();
    for (const view of [...VIEW_IDS.slice(1), 'chat'] as const) {
      await user.click(navItem(view));
      expectOnlyView(view);
      expect(document.activeElement).toBe(within(screen.getByTestId(`view-${view}`)).getByRole('heading', { level: 1 }));
    }
  });

  it('opens every view with Ctrl+1..6', async () => {
    const { user } = renderApp();
    for (const index of [6, 5, 4, 3, 2, 1]) {
      const view = VIEW_IDS[index - 1];
      if (view === undefined) throw new Error(`no view ${String(index)}`);
      await user.keyboard(`{Control>}${String(index)}{/Control}`);
      expectOnlyView(view);
      expect(document.activeElement?.textContent).toBe(LABELS[view]);
    }
  });

  it('ignores digits without the modifier, other modifiers and digits past the views', async () => {
    const { user } = renderApp();
    await user.keyboard('3');
    await user.keyboard('{Control>}{Shift>}3{/Shift}{/Control}');
    await user.keyboard('{Control>}{Alt>}3{/Alt}{/Control}');
    await user.keyboard('{Control>}7{/Control}');
    expectOnlyView('chat');
  });

  it('uses Cmd instead of Ctrl on macOS and shows it in the hints', async () => {
    vi.spyOn(window.navigator, 'userAgent', 'get').mockReturnValue('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)');
    const { user } = renderApp();
    await user.keyboard('{Control>}2{/Control}');
    expectOnlyView('chat');
    await user.keyboard('{Meta>}2{/Meta}');
    expectOnlyView('repos');
    expect(navItem('review').getAttribute('aria-keyshortcuts')).toBe('Meta+3');
    expect(navItem('review').textContent).toContain('⌘3');
  });

  it('shows shortcut hints on the desktop but not in serve mode, where the browser keeps them', () => {
    renderApp();
    expect(navItem('models').getAttribute('aria-keyshortcuts')).toBe('Control+4');
    expect(navItem('models').textContent).toContain('Ctrl 4');
    expect(navItem('models').textContent).not.toBe('Models');
    // Accessible name stays the label alone.
    expect(screen.getByRole('button', { name: 'Models' })).toBe(navItem('models'));
  });

  it('hides shortcut hints in serve mode', () => {
    renderApp({ transport: 'http', backend: createFakeBackend({ appInfo: { ...appInfoFixture, shell: 'serve' } }) });
    expect(navItem('models').getAttribute('aria-keyshortcuts')).toBeNull();
    expect(navItem('models').textContent).toBe('Models');
  });

  it('moves focus through the sidebar with the arrow keys, Home and End, without activating', async () => {
    const { user } = renderApp();
    await user.tab();
    expect(document.activeElement?.textContent).toBe('Skip to main content');
    await user.tab();
    expect(document.activeElement).toBe(navItem('chat'));
    const tabStops = (): string[] => VIEW_IDS.filter((id) => navItem(id).tabIndex === 0);

    expect(tabStops()).toEqual(['chat']);
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(navItem('repos'));
    expect(tabStops()).toEqual(['repos']);
    await user.keyboard('{End}');
    expect(document.activeElement).toBe(navItem('settings'));
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(navItem('chat'));
    await user.keyboard('{ArrowUp}');
    expect(document.activeElement).toBe(navItem('settings'));
    await user.keyboard('{Home}');
    expect(document.activeElement).toBe(navItem('chat'));
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement).toBe(navItem('review'));
    expectOnlyView('chat');
  });

  it('gives the tab stop back to the active view when focus leaves the sidebar', async () => {
    const { user } = renderApp();
    await user.tab();
    await user.tab();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(navItem('repos'));
    await user.tab();
    expect(screen.getByRole('navigation', { name: 'Views' }).contains(document.activeElement)).toBe(false);
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(navItem('chat'));
    expect(VIEW_IDS.filter((id) => navItem(id).tabIndex === 0)).toEqual(['chat']);
  });

  it('activates the focused item with Enter and Space, and Tab returns to the active item', async () => {
    const { user } = renderApp();
    await user.tab();
    await user.tab();
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expectOnlyView('review');
    expect(document.activeElement?.textContent).toBe('Review');

    // Back into the list from the heading: the tab stop is the active view again.
    await user.tab({ shift: true });
    expect(document.activeElement).toBe(navItem('review'));
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(navItem('models'));
    await user.keyboard(' ');
    expectOnlyView('models');
  });

  it('has a skip link to the main content', () => {
    renderApp();
    const link = screen.getByRole('link', { name: 'Skip to main content' });
    expect(link.getAttribute('href')).toBe('#main-content');
    const main = screen.getByRole('main');
    expect(main.id).toBe('main-content');
    expect(main.tabIndex).toBe(-1);
  });

  it('says honestly what the unfinished views will hold', async () => {
    const { user } = renderApp();
    const expectations: readonly [ViewId, string][] = [
      ['repos', 'indexing it for retrieval'],
      ['review', 'drop a patch'],
      ['feedback', 'uploaded only if you give your consent'],
    ];
    for (const [view, text] of expectations) {
      await user.click(navItem(view));
      const root = screen.getByTestId(`view-${view}`);
      expect(root.textContent).toContain(text);
      expect(root.textContent).toContain('Not available in this build yet');
      // No controls that would do nothing.
      expect(within(root).queryAllByRole('button')).toEqual([]);
      expect(within(root).queryAllByRole('link')).toEqual([]);
    }
  });
});

describe('App status bar', () => {
  it('shows "Detecting…" until main reports the system, then backend, threads, VRAM and memory', async () => {
    const backend = createFakeBackend();
    const held = backend.hold('app.getSystemInfo');
    renderApp({ backend });
    expect(screen.getByTestId('status-backend').textContent).toBe('Detecting…');
    expect(screen.queryByTestId('status-memory')).toBeNull();
    expect(screen.queryByTestId('status-vram')).toBeNull();

    act(() => {
      held.release();
    });
    await waitFor(() => {
      expect(screen.getByTestId('status-backend').textContent).toBe('CUDA');
    });
    expect(screen.getByTestId('status-backend').title).toContain('CUDA found an NVIDIA GeForce RTX 4070');
    expect(screen.getByTestId('status-threads').textContent).toBe('8 threads');
    expect(screen.getByTestId('status-vram').textContent).toBe('NVIDIA GeForce RTX 4070 · VRAM 10.5 GiB free of 12.0 GiB');
    expect(screen.getByTestId('status-memory').textContent).toBe('RAM 20.3 GiB free of 32.0 GiB');
    expect(screen.getByTestId('status-shell').textContent).toBe('Desktop');
  });

  it('shows "Detecting…" while main is still detecting, and the result when the event arrives', async () => {
    const backend = createFakeBackend({ systemInfo: systemInfoFixture({ status: 'detecting' }) });
    renderApp({ backend });
    await screen.findByTestId('status-memory');
    expect(screen.getByTestId('status-backend').textContent).toBe('Detecting…');

    act(() => {
      backend.emit(
        'app.onSystemInfoChanged',
        systemInfoFixture({ status: 'ready', backend: 'cpu', reason: 'Asked for cpu.', gpuNames: [], vram: null, threads: 1 }),
      );
    });
    expect(screen.getByTestId('status-backend').textContent).toBe('CPU');
    expect(screen.getByTestId('status-backend').title).toBe('Asked for cpu.');
    expect(screen.getByTestId('status-threads').textContent).toBe('1 thread');
    expect(screen.queryByTestId('status-vram')).toBeNull();
  });

  it('shows the failure with its error when no backend works', async () => {
    const backend = createFakeBackend({
      systemInfo: systemInfoFixture({
        status: 'failed',
        errorName: 'NoLlamaBinaryError',
        message: 'No llama.cpp binary matches this CPU.',
      }),
    });
    renderApp({ backend });
    await waitFor(() => {
      expect(screen.getByTestId('status-backend').textContent).toBe('Compute unavailable: No llama.cpp binary matches this CPU.');
    });
    expect(screen.getByTestId('status-backend').title).toBe('NoLlamaBinaryError: No llama.cpp binary matches this CPU.');
    expect(screen.queryByTestId('status-threads')).toBeNull();
    expect(screen.getByTestId('status-memory').textContent).toBe('RAM 20.3 GiB free of 32.0 GiB');
  });

  it('shows the failure when main cannot report the system at all', async () => {
    const backend = createFakeBackend();
    backend.failNext('app.getSystemInfo', { name: 'SystemProbeError', message: 'Reading /proc/meminfo failed.' });
    renderApp({ backend });
    await waitFor(() => {
      expect(screen.getByTestId('status-backend').textContent).toBe('Compute unavailable: Reading /proc/meminfo failed.');
    });
    expect(screen.queryByTestId('status-memory')).toBeNull();
  });

  it('shows serve mode and its event-socket state', async () => {
    const { store } = renderApp({
      transport: 'http',
      backend: createFakeBackend({ appInfo: { ...appInfoFixture, shell: 'serve', versions: { node: '22.20.0', electron: null } } }),
    });
    const shell = screen.getByTestId('status-shell');
    expect(shell.textContent).toBe('Serve mode · connecting…');
    act(() => {
      store.getState().eventsConnectionChanged(true);
    });
    expect(shell.textContent).toBe('Serve mode');
    act(() => {
      store.getState().eventsConnectionChanged(false);
    });
    expect(shell.textContent).toBe('Serve mode · reconnecting…');
    act(() => {
      store.getState().eventsConnectionChanged(true);
    });
    expect(shell.textContent).toBe('Serve mode');
    await waitFor(() => {
      expect(screen.getByTestId('status-backend').textContent).toBe('CUDA');
    });
  });
});
