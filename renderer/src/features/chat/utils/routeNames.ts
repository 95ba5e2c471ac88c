// What the chat view calls routes and intents.
import type { IntentLabel } from '../../../../../common/intent/intentLabels';
import type { RouteKind } from '../../../../../common/router/routeSchema';

export const ROUTE_NAMES: Readonly<Record<RouteKind, string>> = {
  local: 'Local model',
  'local-repo': 'Local + repo context',
  review: 'Review pipeline',
  cloud: 'Cloud model',
  refuse: 'Refused',
};

export const INTENT_NAMES: Readonly<Record<IntentLabel, string>> = {
  code: 'Coding question',
  repo: 'About my repository',
  review: 'Review request',
  general: 'General (not code)',
  unsafe: 'Injection / jailbreak',
};

/** The routes a user can choose for a message (a refusal is chosen by not sending). */
export const CHOOSABLE_ROUTES: readonly Exclude<RouteKind, 'refuse'>[] = ['local', 'local-repo', 'review', 'cloud'];
