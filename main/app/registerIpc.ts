// The Electron transport: one ipcMain handler per contract method, each checking that the call
// comes from our own renderer's main frame before the dispatcher validates the payload. Events go
// to every window on `codesage:<domain>.<event>`.
import { ipcMain } from 'electron';
import type { IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { apiContract } from '../../common/api/contract';
import { channelName, contractShape } from '../../common/api/contractKit';
import type { Envelope } from '../../common/api/contractKit';
import type { Disposable } from '../../common/base/Emitter';
import type { AppServices } from '../services/createAppServices';

export const IPC_PREFIX = 'codesage:';

export function registerIpc(
  services: AppServices,
  isTrustedFrame: (frame: WebFrameMain | null) => boolean,
  windows: () => readonly { readonly webContents: WebContents; isDestroyed(): boolean }[],
): Disposable {
  const channels: string[] = [];
  for (const { domain, methods } of contractShape(apiContract)) {
    for (const method of methods) {
      const channel = IPC_PREFIX + channelName(domain, method);
      channels.push(channel);
      ipcMain.handle(channel, async (event: IpcMainInvokeEvent, input: unknown): Promise<Envelope> => {
        if (!isTrustedFrame(event.senderFrame)) {
          return {
            ok: false,
            error: {
              name: 'UntrustedSenderError',
              message: `Refused ${domain}.${method}: the call did not come from CodeSage's own window.`,
            },
          };
        }
        return services.dispatcher.dispatch(domain, method, input, { transport: 'ipc' });
      });
    }
  }
  const subscription = services.events.onEvent(({ channel, payload }) => {
    for (const window of windows()) {
      if (!window.isDestroyed()) window.webContents.send(IPC_PREFIX + channel, payload);
    }
  });
  return {
    dispose() {
      subscription.dispose();
      for (const channel of channels) ipcMain.removeHandler(channel);
    },
  };
}
