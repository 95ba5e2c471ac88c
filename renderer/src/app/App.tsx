// The shell: skip link, sidebar of views, the current view, and the status bar. Applies the theme
// setting and the view shortcuts, and moves focus to the new view's heading on every switch.
import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Icon } from '../components/Icon';
import { Sidebar } from '../components/Sidebar';
import type { SidebarItem } from '../components/Sidebar';
import { StatusBar } from '../components/StatusBar';
import { isMacPlatform } from '../lib/platform/isMacPlatform';
import { useDocumentTheme } from '../lib/theme/useDocumentTheme';
import type { ViewId } from './store/navigationSlice';
import { useAppStore } from './store/useAppStore';
import { useViewShortcuts } from './useViewShortcuts';
import { VIEWS, getViewDefinition } from './viewRegistry';

export function App() {
  const currentView = useAppStore((state) => state.currentView);
  const navigate = useAppStore((state) => state.navigate);
  const theme = useAppStore((state) => (state.settings.status === 'ready' ? state.settings.value.appearance.theme : 'system'));
  const systemInfo = useAppStore((state) => state.systemInfo);
  const { transport, eventsConnection, shellFromMain } = useAppStore(
    useShallow((state) => ({
      transport: state.transport,
      eventsConnection: state.eventsConnection,
      shellFromMain: state.appInfo.status === 'ready' ? state.appInfo.value.shell : null,
    })),
  );
  // Main says which shell it is; until it answers, the transport tells the same story.
  const desktop = shellFromMain === null ? transport === 'ipc' : shellFromMain === 'electron';

  useDocumentTheme(theme);
  useViewShortcuts(navigate);

  const mainRef = useRef<HTMLElement>(null);
  const shownView = useRef(currentView);
  useEffect(() => {
    // Not on first render: focus would jump away from wherever the user or the browser put it.
    if (shownView.current === currentView) return;
    shownView.current = currentView;
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [currentView]);

  const items = useMemo<readonly SidebarItem<ViewId>[]>(() => {
    // In a browser Ctrl/Cmd+digit usually switches tabs before the page sees it, so the hints are
    // only shown in the desktop app, where the shortcuts are sure to reach us.
    const mac = isMacPlatform();
    return VIEWS.map((view, index) => ({
      id: view.id,
      label: view.label,
      icon: <Icon paths={view.iconPaths} />,
      ...(desktop
        ? {
            shortcutHint: mac ? `⌘${String(index + 1)}` : `Ctrl ${String(index + 1)}`,
            ariaKeyShortcuts: `${mac ? 'Meta' : 'Control'}+${String(index + 1)}`,
          }
        : {}),
    }));
  }, [desktop]);

  const ActiveView = getViewDefinition(currentView).Component;

  return (
    <div className="app-shell">
      <a className="skip-link" href="#main-content">
        Skip to main content
      </a>
      <aside className="sidebar">
        <p className="brand">
          <span className="brand-mark" aria-hidden="true">
            ◆
          </span>
          CodeSage
        </p>
        <Sidebar label="Views" items={items} activeId={currentView} onSelect={navigate} />
      </aside>
      <main id="main-content" className="main" ref={mainRef} tabIndex={-1}>
        <ActiveView />
      </main>
      <StatusBar systemInfo={systemInfo} shell={desktop ? 'desktop' : 'serve'} connection={eventsConnection} />
    </div>
  );
}
