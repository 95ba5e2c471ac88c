// Exposes the API contract to the renderer as window.codesage: one wrapper per method
// (ipcRenderer.invoke on its own channel) and one per event; never ipcRenderer itself.
// The wrappers are generated from the contract's names so they cannot drift from it.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { apiContract } from '../common/api/contract';
import { channelName, contractShape } from '../common/api/contractKit';

const IPC_PREFIX = 'codesage:';
const api: Record<string, Record<string, unknown>> = {};

for (const { domain, methods, events } of contractShape(apiContract)) {
  const members: Record<string, unknown> = {};
  for (const method of methods) {
    const channel = IPC_PREFIX + channelName(domain, method);
    members[method] = (input?: unknown): Promise<unknown> => ipcRenderer.invoke(channel, input);
  }
  for (const name of events) {
    const channel = IPC_PREFIX + channelName(domain, name);
    members[name] = (listener: (payload: unknown) => void): (() => void) => {
      const handler = (_event: IpcRendererEvent, payload: unknown) => {
        listener(payload);
      };
      ipcRenderer.on(channel, handler);
      return () => {
        ipcRenderer.removeListener(channel, handler);
      };
    };
  }
  api[domain] = members;
}

contextBridge.exposeInMainWorld('codesage', api);
// A dropped or picked file's path, so a model is imported in place of copying its bytes over IPC.
contextBridge.exposeInMainWorld('codesageFiles', { pathOf: (file: File): string => webUtils.getPathForFile(file) });
