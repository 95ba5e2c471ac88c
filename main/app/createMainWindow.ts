// The one application window: sandboxed renderer, context isolation, no Node integration; the
// preload exposes the API contract as window.codesage and nothing else.
import { BrowserWindow } from 'electron';
import { hardenWebContents } from './security';

export interface MainWindowOptions {
  readonly preloadPath: string;
  /** file:// URL of the built renderer, or the dev server URL under `npm run dev`. */
  readonly rendererUrl: string;
  readonly isAppUrl: (url: string) => boolean;
}

export async function createMainWindow(options: MainWindowOptions): Promise<BrowserWindow> {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 760,
    minHeight: 520,
    show: false,
    title: 'CodeSage',
    backgroundColor: '#101418',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  hardenWebContents(window.webContents, options.isAppUrl);
  window.once('ready-to-show', () => {
    window.show();
  });
  await window.loadURL(options.rendererUrl);
  return window;
}
