// Globals the renderer can rely on. In Electron the preload exposes the raw API as window.codesage;
// in serve mode (a plain browser) it is absent and the renderer talks HTTP/WebSocket instead.
import type { CodesageRawApi } from '../../common/api/contract';

declare global {
  interface Window {
    codesage?: CodesageRawApi;
    /** Electron only: the path of a dropped or picked file (preload's webUtils.getPathForFile). */
    codesageFiles?: { pathOf(file: File): string };
  }
}

export {};
