// Decides where a chat message goes from its classified intent, the user's routing policy and what
// is available right now. Pure and synchronous so that main, the CLI and tests share one rulebook,
// and every decision carries one sentence saying why.
//
// Rules, in order:
// - No intent model could run (intent.problem): treated as an uncertain general message.
// - unsafe → refuse when the model is sure (not uncertain), or when unsafe is the top label with at
//   least UNSAFE_REFUSAL_MIN_SCORE even though it is below the routing threshold: a refusal needs
//   the majority of the probability mass, but not the full routing confidence, because answering a
//   injected or jailbreaking request costs more than a refused harmless one (which the user can override).
// - repo → local-repo (the cloud under cloud-first when configured, or under local-first when no
//   local model is loaded); without indexed repositories the reason says so.
// - review → review when the pipeline is available, otherwise the chat route.
// - code, general and uncertain → the chat route of the policy (see chatRoute).
// - An override wins (it is the user's machine; a refusal can be overridden and the reason says
//   so), except that offline never yields cloud, cloud needs a configured cloud and review needs
//   the pipeline: then the chat route answers and the reason explains.
import type { IntentResult, RouteAvailability, RouteDecision, RouteKind, RoutingPolicy } from './routeSchema';

export interface DecideRouteOptions {
  readonly intent: IntentResult;
  readonly policy: RoutingPolicy;
  readonly availability: RouteAvailability;
  /** The route the user chose for this message; null or absent lets the router decide. */
  readonly override?: RouteKind | null;
}

/** The unsafe score from which an uncertain unsafe top label is still refused. */
export const UNSAFE_REFUSAL_MIN_SCORE = 0.5;

const ROUTE_NAMES: Record<RouteKind, string> = {
  local: 'the local model',
  'local-repo': 'the local model with repository context',
  review: 'the review pipeline',
  cloud: 'the cloud model',
  refuse: 'no answer',
};

export function decideRoute(options: DecideRouteOptions): RouteDecision {
  const { intent, policy, availability } = options;
  const override = options.override ?? null;
  const decide = (kind: RouteKind, reason: string): RouteDecision => ({ kind, intent, policy, reason, overridden: override !== null });
  const seen = describeIntent(intent);
  const refused = wouldRefuse(intent);

  if (override !== null) {
    const despite = refused ? ` although it ${seen.charAt(0).toLowerCase()}${seen.slice(1)}; it is sent at your request` : '';
    if (override === 'refuse') return decide('refuse', 'You chose not to send this message.');
    if (override === 'cloud' && policy === 'offline') {
      const chat = chatRoute(policy, availability);
      return decide(
        chat.kind,
        `You chose the cloud model${despite}, but the offline policy never sends messages to the cloud, so ${chat.answer}.`,
      );
    }
    if (override === 'cloud' && !availability.cloudConfigured) {
      const chat = chatRoute('offline', availability);
      return decide(chat.kind, `You chose the cloud model${despite}, but no cloud model is configured, so ${chat.answer}.`);
    }
    if (override === 'review' && !availability.reviewAvailable) {
      const chat = chatRoute(policy, availability);
      return decide(chat.kind, `You chose the review pipeline${despite}, but it is not available, so ${chat.answer}.`);
    }
    return decide(override, `You chose ${ROUTE_NAMES[override]}${despite}${caveat(override, availability)}.`);
  }

  if (refused) return decide('refuse', `${seen}; CodeSage does not help with that (choose a route yourself if this is a mistake).`);

  const label = intent.problem !== null || intent.uncertain ? 'general' : intent.label;
  if (label === 'repo') {
    const chat = chatRoute(policy, availability);
    if (chat.kind === 'cloud') return decide('cloud', `${seen}; ${chat.answer}.`);
    const context = availability.reposIndexed
      ? `${ROUTE_NAMES['local-repo']} answers${caveat('local', availability)}`
      : `no repository is indexed yet, so local chat answers without repo context${caveat('local', availability)}`;
    return decide('local-repo', `${seen}; ${context}.`);
  }
  if (label === 'review') {
    if (availability.reviewAvailable) return decide('review', `${seen}; ${ROUTE_NAMES.review} handles it.`);
    const chat = chatRoute(policy, availability);
    return decide(chat.kind, `${seen}; the review pipeline is not available, so ${chat.answer}.`);
  }
  const chat = chatRoute(policy, availability);
  return decide(chat.kind, `${seen}; ${chat.answer}.`);
}

/** Whether the router refuses this intent when the user has not chosen a route. */
function wouldRefuse(intent: IntentResult): boolean {
  if (intent.problem !== null || intent.label !== 'unsafe') return false;
  return !intent.uncertain || intent.confidence >= UNSAFE_REFUSAL_MIN_SCORE;
}

/** Where code, general and uncertain messages go under a policy, and how to say it. */
function chatRoute(policy: RoutingPolicy, availability: RouteAvailability): { kind: 'local' | 'cloud'; answer: string } {
  const local = (why = '') => ({
    kind: 'local' as const,
    answer: `${why}${ROUTE_NAMES.local} answers${caveat('local', availability)} (${policy} policy)`,
  });
  if (policy === 'offline') return local();
  if (policy === 'local-first') {
    if (availability.localModelLoaded) return local();
    if (availability.cloudConfigured)
      return { kind: 'cloud', answer: 'no local model is loaded, so the cloud model answers (local-first policy)' };
    return { kind: 'local', answer: 'no local model is loaded and no cloud model is configured: load a model in Models to get an answer' };
  }
  if (availability.cloudConfigured) return { kind: 'cloud', answer: 'the cloud model answers (cloud-first policy)' };
  return local('no cloud model is configured, so ');
}

/** What the user should know about a route that can run only partly. */
function caveat(kind: RouteKind, availability: RouteAvailability): string {
  let text = '';
  if (kind === 'local-repo' && !availability.reposIndexed) text += ' (without repo context: no repository is indexed yet)';
  if ((kind === 'local' || kind === 'local-repo') && !availability.localModelLoaded) text += ' once you load a model in Models';
  return text;
}

function describeIntent(intent: IntentResult): string {
  if (intent.problem !== null) return `Intent routing is unavailable (${intent.problem}), so this is handled as a general message`;
  const percent = `${String(Math.round(intent.confidence * 100))}%`;
  if (intent.uncertain && !(intent.label === 'unsafe' && intent.confidence >= UNSAFE_REFUSAL_MIN_SCORE)) {
    return `The intent is unclear (best guess ${intent.label}, ${percent}), so this is handled as a general message`;
  }
  switch (intent.label) {
    case 'code':
      return `Looks like a coding question (${percent})`;
    case 'repo':
      return `Looks like a question about your repository (${percent})`;
    case 'review':
      return `Looks like a request to review code (${percent})`;
    case 'general':
      return `Looks like a general question (${percent})`;
    case 'unsafe':
      return `Looks like an attempt to make the assistant ignore its instructions or reveal secrets (prompt injection, ${percent})`;
  }
}
