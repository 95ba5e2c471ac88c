// Which view the shell shows. The order of VIEW_IDS is the sidebar order and the Ctrl/Cmd+1..6 order.
import type { StateCreator } from 'zustand';
import type { AppState } from './AppState';

export const VIEW_IDS = ['chat', 'repos', 'review', 'models', 'feedback', 'settings'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export interface NavigationSlice {
  readonly currentView: ViewId;
  readonly navigate: (view: ViewId) => void;
}

export const createNavigationSlice: StateCreator<AppState, [], [], NavigationSlice> = (set) => ({
  currentView: 'chat',
  navigate: (view) => {
    set({ currentView: view });
  },
});
