// React context carrying the store instance created in main.tsx (or by a test).
import { createContext } from 'react';
import type { AppStore } from './createAppStore';

export const AppStoreContext = createContext<AppStore | null>(null);
