// The six views: label, sidebar icon and component of each. Order comes from VIEW_IDS.
// Icon paths follow Feather Icons (MIT).
import type { ComponentType } from 'react';
import { ChatView } from '../features/chat/components/ChatView';
import { FeedbackView } from '../features/feedback/components/FeedbackView';
import { ModelsView } from '../features/models/components/ModelsView';
import { ReposView } from '../features/repos/components/ReposView';
import { ReviewView } from '../features/review/components/ReviewView';
import { SettingsView } from '../features/settings/components/SettingsView';
import { VIEW_IDS } from './store/navigationSlice';
import type { ViewId } from './store/navigationSlice';

export interface ViewDefinition {
  readonly id: ViewId;
  readonly label: string;
  readonly iconPaths: readonly string[];
  readonly Component: ComponentType;
}

const DEFINITIONS: { readonly [Id in ViewId]: Omit<ViewDefinition, 'id'> } = {
  chat: {
    label: 'Chat',
    iconPaths: ['M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z'],
    Component: ChatView,
  },
  repos: {
    label: 'Repos',
    iconPaths: ['M22 19a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h5l2 3h9a2 2 0 0 1 2 2z'],
    Component: ReposView,
  },
  review: {
    label: 'Review',
    iconPaths: ['M9 11l3 3L22 4', 'M21 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11'],
    Component: ReviewView,
  },
  models: {
    label: 'Models',
    iconPaths: [
      'M21 16V8a2 2 0 0 0-1-1.73l-7-4a2 2 0 0 0-2 0l-7 4A2 2 0 0 0 3 8v8a2 2 0 0 0 1 1.73l7 4a2 2 0 0 0 2 0l7-4A2 2 0 0 0 21 16z',
      'M3.27 6.96 12 12.01l8.73-5.05',
      'M12 22.08V12',
    ],
    Component: ModelsView,
  },
  feedback: {
    label: 'Feedback',
    iconPaths: [
      'M22 12h-6l-2 3h-4l-2-3H2',
      'M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z',
    ],
    Component: FeedbackView,
  },
  settings: {
    label: 'Settings',
    iconPaths: ['M4 21v-7', 'M4 10V3', 'M12 21v-9', 'M12 8V3', 'M20 21v-5', 'M20 12V3', 'M1 14h6', 'M9 8h6', 'M17 16h6'],
    Component: SettingsView,
  },
};

export const VIEWS: readonly ViewDefinition[] = VIEW_IDS.map((id) => ({ id, ...DEFINITIONS[id] }));

export function getViewDefinition(id: ViewId): ViewDefinition {
  return { id, ...DEFINITIONS[id] };
}
