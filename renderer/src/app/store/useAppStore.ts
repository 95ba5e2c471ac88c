// Reads from the store with a selector. Select single values; wrap object-returning selectors in
// useShallow so a component re-renders only when a selected field changes.
import { useContext } from 'react';
import { useStore } from 'zustand';
import type { AppState } from './AppState';
import type { AppStore } from './createAppStore';
import { AppStoreContext } from './AppStoreContext';

export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}

/** The store itself, for event handlers that call actions or read state without subscribing. */
export function useAppStoreApi(): AppStore {
  const store = useContext(AppStoreContext);
  if (store === null) throw new Error('useAppStore() was called outside <AppProviders>; wrap the tree in it.');
  return store;
}
