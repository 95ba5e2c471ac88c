// Electron's main process and the app's composition root: the only code that imports electron.
// It builds the shared services with an electron-store settings backend, attaches the IPC
// transport and opens the window.
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, Menu } from 'electron';
import type { WebFrameMain } from 'electron';
import ElectronStore from 'electron-store';
import { appVersion } from '../services/appVersion';
import { createAppServices } from '../services/createAppServices';
import type { AppServices } from '../services/createAppServices';
import { resolveDataDir } from '../services/dataDir';
import { createConfSettingsStore } from '../services/settings/SettingsStore';
import { createMainWindow } from './createMainWindow';
import { registerIpc } from './registerIpc';
import { hardenSession } from './security';

const here = fileURLToPath(new URL('.', import.meta.url));
const preloadPath = join(here, '../preload/index.cjs');
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererUrl = devServerUrl ?? pathToFileURL(join(here, '../renderer/index.html')).href;
const appOrigin = new URL(rendererUrl);

function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (appOrigin.protocol === 'file:') return parsed.protocol === 'file:' && parsed.pathname === appOrigin.pathname;
    return parsed.origin === appOrigin.origin;
  } catch {
    return false;
  }
}

function isTrustedFrame(frame: WebFrameMain | null): boolean {
  // Only the top frame of our own page may call the API; never an iframe or a navigated-away page.
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

app.setName('CodeSage');
const dataDir = resolveDataDir();
app.setPath('userData', dataDir);
app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let services: AppServices | null = null;
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || services === null) return;
    event.preventDefault();
    quitting = true;
    void services.dispose().finally(() => {
      app.quit();
    });
  });

  void app.whenReady().then(async () => {
    hardenSession();
    // macOS needs the Edit menu for copy/paste/select-all in text fields; elsewhere no menu bar.
    Menu.setApplicationMenu(
      process.platform === 'darwin' ? Menu.buildFromTemplate([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]) : null,
    );
    const openStore = () => new ElectronStore<Record<string, unknown>>({ name: 'settings', cwd: dataDir, clearInvalidConfig: false });
    const created = await createAppServices({
      shell: 'electron',
      dataDir,
      version: appVersion(),
      electronVersion: process.versions.electron,
      settingsStore: createConfSettingsStore(openStore, join(dataDir, 'settings.json')),
    });
    services = created;
    registerIpc(created, isTrustedFrame, () => BrowserWindow.getAllWindows());
    void created.system.getSystemInfo();
    await createMainWindow({ preloadPath, rendererUrl, isAppUrl });
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) void createMainWindow({ preloadPath, rendererUrl, isAppUrl });
    });
  });
}
