// The whole renderer store: one object composed from typed slices. A view of what main reports,
// never the owner of domain state.
import type { ChatSlice } from '../../features/chat/store/chatSlice';
import type { ConnectionSlice } from './connectionSlice';
import type { LlmSlice } from './llmSlice';
import type { NavigationSlice } from './navigationSlice';
import type { SettingsSlice } from './settingsSlice';
import type { SystemSlice } from './systemSlice';

export type AppState = NavigationSlice & SystemSlice & SettingsSlice & ConnectionSlice & LlmSlice & ChatSlice;
