// The whole renderer store: one object composed from typed slices. A view of what main reports,
// never the owner of domain state.
import type { ConnectionSlice } from './connectionSlice';
import type { NavigationSlice } from './navigationSlice';
import type { SettingsSlice } from './settingsSlice';
import type { SystemSlice } from './systemSlice';

export type AppState = NavigationSlice & SystemSlice & SettingsSlice & ConnectionSlice;
