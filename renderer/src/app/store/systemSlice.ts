// What main reports about itself (app info) and about the machine (CPU, memory, compute backend).
import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../../../common/api/contract';
import type { SystemInfo } from '../../../../common/system/systemInfoSchema';
import type { Loadable } from '../../lib/async/Loadable';
import type { ErrorInfo } from '../../lib/errors/toErrorInfo';
import type { AppState } from './AppState';

export interface SystemSlice {
  readonly appInfo: Loadable<AppInfo>;
  readonly systemInfo: Loadable<SystemInfo>;
  readonly appInfoReceived: (info: AppInfo) => void;
  readonly appInfoFailed: (error: ErrorInfo) => void;
  readonly systemInfoReceived: (info: SystemInfo) => void;
  readonly systemInfoFailed: (error: ErrorInfo) => void;
}

export const createSystemSlice: StateCreator<AppState, [], [], SystemSlice> = (set, get) => ({
  appInfo: { status: 'loading' },
  systemInfo: { status: 'loading' },
  appInfoReceived: (info) => {
    set({ appInfo: { status: 'ready', value: info } });
  },
  appInfoFailed: (error) => {
    // A failed refresh must not hide information the user already has.
    if (get().appInfo.status !== 'ready') set({ appInfo: { status: 'failed', error } });
  },
  systemInfoReceived: (info) => {
    set({ systemInfo: { status: 'ready', value: info } });
  },
  systemInfoFailed: (error) => {
    if (get().systemInfo.status !== 'ready') set({ systemInfo: { status: 'failed', error } });
  },
});
