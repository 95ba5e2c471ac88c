// Decides where one chat message goes: classifies it (IntentService never fails for a model
// problem), then applies decideRoute with the user's routing policy and what is available right
// now. Chat uses it for every message; the API's intent.route previews it for the composer.
import { decideRoute } from '../../../common/router/decideRoute';
import type { IntentResult, RouteAvailability, RouteDecision, RouteKind, RoutingPolicy } from '../../../common/router/routeSchema';

export interface MessageRouterOptions {
  readonly classify: (text: string, options: { signal?: AbortSignal }) => Promise<IntentResult>;
  readonly policy: () => RoutingPolicy;
  readonly availability: () => RouteAvailability;
}

export class MessageRouter {
  constructor(private readonly options: MessageRouterOptions) {}

  async route(text: string, override: RouteKind | null = null, signal?: AbortSignal): Promise<RouteDecision> {
    const intent = await this.options.classify(text, signal === undefined ? {} : { signal });
    return decideRoute({ intent, policy: this.options.policy(), availability: this.options.availability(), override });
  }
}
