// Where an answer came from and why: the route badge in the header, the router's reason under the
// answer, and the controls to correct the intent (kept as feedback on this machine) or to answer the
// same message again through a route the user picks.
import { useId } from 'react';
import type { ChatMessage } from '../../../../../common/chat/chatSchema';
import { INTENT_LABELS, isIntentLabel } from '../../../../../common/intent/intentLabels';
import type { RouteDecision, RouteKind } from '../../../../../common/router/routeSchema';
import type { ChatActions } from '../hooks/useChatActions';
import { CHOOSABLE_ROUTES, INTENT_NAMES, ROUTE_NAMES } from '../utils/routeNames';

export function RouteBadge({ route }: { readonly route: RouteDecision }) {
  return (
    <span
      className={`chat-badge chat-route chat-route-${route.kind}`}
      data-testid="chat-route"
      data-route={route.kind}
      title={route.reason}
    >
      {ROUTE_NAMES[route.kind]}
      {route.overridden ? ' (your choice)' : ''}
    </span>
  );
}

export function RouteReason({ route }: { readonly route: RouteDecision }) {
  return (
    <p className="chat-route-reason" data-testid="chat-route-reason">
      {route.reason}
    </p>
  );
}

export interface RouteControlsProps {
  readonly message: ChatMessage & { readonly route: RouteDecision };
  /** Re-answering is offered on the last answer of the branch only, like Regenerate. */
  readonly last: boolean;
  readonly disabled: boolean;
  readonly actions: ChatActions;
}

export function RouteControls({ message, last, disabled, actions }: RouteControlsProps) {
  const id = useId();
  const { intent } = message.route;
  const current = message.intentCorrection ?? intent.label;
  return (
    <div className="chat-route-controls">
      <label className="chat-route-control" htmlFor={`${id}-intent`}>
        <span>Intent</span>
        <select
          id={`${id}-intent`}
          className="select select-small"
          data-testid="chat-intent-select"
          value={current}
          disabled={disabled}
          title="Wrong intent? Pick the right one: the correction is kept as feedback on this machine."
          onChange={(event) => {
            const label = event.target.value;
            if (isIntentLabel(label)) void actions.correctIntent(message.id, label);
          }}
        >
          {INTENT_LABELS.map((label) => (
            <option key={label} value={label}>
              {INTENT_NAMES[label]}
              {label === intent.label ? ` (${String(Math.round(intent.confidence * 100))}%)` : ''}
            </option>
          ))}
        </select>
      </label>
      {message.intentCorrection === null ? null : (
        <span className="chat-route-corrected" data-testid="chat-intent-corrected">
          Corrected, kept in Feedback
        </span>
      )}
      {last ? (
        <label className="chat-route-control" htmlFor={`${id}-route`}>
          <span>Answer again with</span>
          <select
            id={`${id}-route`}
            className="select select-small"
            data-testid="chat-reroute-select"
            value=""
            disabled={disabled}
            onChange={(event) => {
              const choice = event.target.value;
              if (choice === 'auto') void actions.regenerate(message.id, null);
              else if (isChoosableRoute(choice)) void actions.regenerate(message.id, choice);
            }}
          >
            <option value="" disabled>
              Choose a route…
            </option>
            <option value="auto">Let CodeSage decide</option>
            <ChoosableRouteOptions />
          </select>
        </label>
      ) : null}
    </div>
  );
}

/** One option per route a user can choose, for the composer's and the answer's route menus. */
export function ChoosableRouteOptions() {
  return CHOOSABLE_ROUTES.map((kind) => (
    <option key={kind} value={kind}>
      {ROUTE_NAMES[kind]}
    </option>
  ));
}

export function isChoosableRoute(value: string): value is Exclude<RouteKind, 'refuse'> {
  return (CHOOSABLE_ROUTES as readonly string[]).includes(value);
}
