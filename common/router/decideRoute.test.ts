import { describe, expect, it } from 'vitest';
import { INTENT_LABELS } from '../intent/intentLabels';
import type { IntentLabel } from '../intent/intentLabels';
import { decideRoute, UNSAFE_REFUSAL_MIN_SCORE } from './decideRoute';
import type { DecideRouteOptions } from './decideRoute';
import { ROUTE_KINDS, ROUTING_POLICIES, routeDecisionSchema } from './routeSchema';
import type { IntentResult, RouteAvailability, RouteKind, RoutingPolicy } from './routeSchema';

function intent(label: IntentLabel, confidence = 0.93, extra: Partial<IntentResult> = {}): IntentResult {
  const rest = (1 - confidence) / (INTENT_LABELS.length - 1);
  const scores = Object.fromEntries(INTENT_LABELS.map((l) => [l, l === label ? confidence : rest])) as Record<IntentLabel, number>;
  return { label, confidence, scores, uncertain: false, modelVersion: 'test-1', problem: null, ...extra };
}
const all: RouteAvailability = { localModelLoaded: true, cloudConfigured: true, reposIndexed: true, reviewAvailable: true };
const none: RouteAvailability = { localModelLoaded: false, cloudConfigured: false, reposIndexed: false, reviewAvailable: false };
const route = (options: Partial<DecideRouteOptions> & { intent: IntentResult }) =>
  decideRoute({ policy: 'local-first', availability: all, ...options });

describe('decideRoute', () => {
  it('sends code and general messages where the policy says', () => {
    const cases: [RoutingPolicy, RouteAvailability, RouteKind][] = [
      ['offline', all, 'local'],
      ['offline', none, 'local'],
      ['local-first', all, 'local'],
      ['local-first', { ...all, localModelLoaded: false }, 'cloud'],
      ['local-first', none, 'local'],
      ['cloud-first', all, 'cloud'],
      ['cloud-first', { ...all, cloudConfigured: false }, 'local'],
    ];
    for (const [policy, availability, kind] of cases) {
      for (const label of ['code', 'general'] as const) {
        const decision = decideRoute({ intent: intent(label), policy, availability });
        expect(decision.kind, `${label} under ${policy}`).toBe(kind);
        expect(decision.overridden).toBe(false);
        expect(decision.policy).toBe(policy);
        expect(routeDecisionSchema.parse(decision)).toEqual(decision);
      }
    }
    expect(route({ intent: intent('code') }).reason).toBe(
      'Looks like a coding question (93%); the local model answers (local-first policy).',
    );
    expect(decideRoute({ intent: intent('general'), policy: 'offline', availability: none }).reason).toBe(
      'Looks like a general question (93%); the local model answers once you load a model in Models (offline policy).',
    );
    expect(decideRoute({ intent: intent('code'), policy: 'local-first', availability: none }).reason).toMatch(/load a model in Models/);
    expect(
      decideRoute({ intent: intent('general'), policy: 'cloud-first', availability: { ...all, cloudConfigured: false } }).reason,
    ).toMatch(/no cloud model is configured/);
  });

  it('routes repository questions to local-repo, and says when no repository is indexed', () => {
    expect(route({ intent: intent('repo') })).toMatchObject({ kind: 'local-repo' });
    const unindexed = route({ intent: intent('repo'), availability: { ...all, reposIndexed: false } });
    expect(unindexed.kind).toBe('local-repo');
    expect(unindexed.reason).toBe(
      'Looks like a question about your repository (93%); no repository is indexed yet, so local chat answers without repo context.',
    );
    expect(route({ intent: intent('repo'), policy: 'cloud-first' }).kind).toBe('cloud');
    expect(route({ intent: intent('repo'), policy: 'offline' }).kind).toBe('local-repo');
  });

  it('routes review requests to the review pipeline only when it is available', () => {
    expect(route({ intent: intent('review') }).kind).toBe('review');
    const unavailable = route({ intent: intent('review'), availability: { ...all, reviewAvailable: false } });
    expect(unavailable.kind).toBe('local');
    expect(unavailable.reason).toMatch(/review pipeline is not available/);
  });

  it('refuses unsafe requests when sure, or when unsafe holds the majority below the threshold', () => {
    const sure = route({ intent: intent('unsafe', 0.95) });
    expect(sure.kind).toBe('refuse');
    expect(sure.reason).toMatch(/ignore its instructions or reveal secrets/);
    expect(route({ intent: intent('unsafe', UNSAFE_REFUSAL_MIN_SCORE, { uncertain: true }) }).kind).toBe('refuse');
    const unsure = route({ intent: intent('unsafe', UNSAFE_REFUSAL_MIN_SCORE - 0.1, { uncertain: true }) });
    expect(unsure.kind).toBe('local');
    expect(unsure.reason).toMatch(/unclear \(best guess unsafe, 40%\)/);
  });

  it('treats uncertain messages as general, whatever the top label', () => {
    for (const label of ['code', 'repo', 'review'] as const) {
      const decision = route({ intent: intent(label, 0.41, { uncertain: true }), policy: 'cloud-first' });
      expect(decision.kind).toBe('cloud');
      expect(decision.reason).toMatch(/^The intent is unclear \(best guess \w+, 41%\)/);
    }
  });

  it('falls back to the safe default and says why when no intent model ran', () => {
    const problem = 'the intent model file is missing';
    const decision = route({ intent: intent('general', 0.2, { uncertain: true, problem, modelVersion: null }) });
    expect(decision.kind).toBe('local');
    expect(decision.reason).toContain('Intent routing is unavailable (the intent model file is missing)');
    // A problem means the scores are not a model's: even an unsafe label is not refused.
    expect(route({ intent: intent('unsafe', 0.99, { problem }) }).kind).toBe('local');
  });

  it('honours an override, even of a refusal, and says so', () => {
    const decision = route({ intent: intent('unsafe', 0.97), override: 'local' });
    expect(decision).toMatchObject({ kind: 'local', overridden: true });
    expect(decision.reason).toMatch(
      /^You chose the local model although it looks like an attempt to make the assistant ignore its instructions/,
    );
    expect(route({ intent: intent('code'), override: 'review' })).toMatchObject({ kind: 'review', overridden: true });
    expect(route({ intent: intent('code'), override: 'refuse' })).toMatchObject({ kind: 'refuse', overridden: true });
    expect(route({ intent: intent('code'), override: null }).overridden).toBe(false);
    const repo = route({ intent: intent('code'), override: 'local-repo', availability: { ...all, reposIndexed: false } });
    expect(repo.kind).toBe('local-repo');
    expect(repo.reason).toMatch(/without repo context/);
  });

  it('never yields cloud under the offline policy, even when overridden', () => {
    for (const label of INTENT_LABELS) {
      for (const override of [null, ...ROUTE_KINDS]) {
        for (const availability of [all, none]) {
          expect(decideRoute({ intent: intent(label), policy: 'offline', availability, override }).kind).not.toBe('cloud');
        }
      }
    }
    const decision = decideRoute({ intent: intent('code'), policy: 'offline', availability: all, override: 'cloud' });
    expect(decision).toMatchObject({ kind: 'local', overridden: true });
    expect(decision.reason).toMatch(/offline policy never sends messages to the cloud/);
  });

  it('does not route to what is not there when overridden', () => {
    const cloud = route({
      intent: intent('code'),
      policy: 'cloud-first',
      availability: { ...all, cloudConfigured: false },
      override: 'cloud',
    });
    expect(cloud.kind).toBe('local');
    expect(cloud.reason).toMatch(/no cloud model is configured/);
    const review = route({ intent: intent('code'), availability: { ...all, reviewAvailable: false }, override: 'review' });
    expect(review.kind).toBe('local');
    expect(review.reason).toMatch(/not available/);
  });

  it('gives every combination a valid decision with a one-sentence reason', () => {
    for (const label of INTENT_LABELS) {
      for (const policy of ROUTING_POLICIES) {
        for (const override of [null, ...ROUTE_KINDS]) {
          for (const uncertain of [false, true]) {
            for (const availability of [all, none]) {
              const decision = decideRoute({ intent: intent(label, 0.6, { uncertain }), policy, availability, override });
              expect(routeDecisionSchema.safeParse(decision).success).toBe(true);
              expect(decision.reason).toMatch(/^[A-Z].*\.$/);
              expect(decision.reason.slice(0, -1)).not.toMatch(/\.\s/);
            }
          }
        }
      }
    }
  });
});
