// Where a chat message goes and why: the intent the classifier saw, the routing policy the user
// chose, and the decision decideRoute made from them. Shared by main (routing, CLI), the API
// contract and the renderer (route badge, override menu).
import { z } from 'zod';
import { INTENT_LABELS } from '../intent/intentLabels';

/**
 * local: the loaded local model; local-repo: the local model with context from indexed
 * repositories; review: the code review pipeline; cloud: the configured cloud model; refuse: no
 * answer, with an explanation.
 */
export const ROUTE_KINDS = ['local', 'local-repo', 'review', 'cloud', 'refuse'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

/** offline never sends anything to the cloud; local-first prefers the local model; cloud-first the cloud. */
export const ROUTING_POLICIES = ['offline', 'local-first', 'cloud-first'] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

export const intentResultSchema = z.object({
  label: z.enum(INTENT_LABELS),
  /** The calibrated probability of `label`. */
  confidence: z.number(),
  /** Every intent's calibrated probability. */
  scores: z.record(z.enum(INTENT_LABELS), z.number()),
  /** The confidence is below the model's threshold: the router treats the message as general. */
  uncertain: z.boolean(),
  modelVersion: z.string().nullable(),
  /** Set when no model could run (missing or corrupt file, provider failure): the safe default was used. */
  problem: z.string().nullable(),
});
export type IntentResult = z.infer<typeof intentResultSchema>;

export const routeAvailabilitySchema = z.object({
  localModelLoaded: z.boolean(),
  cloudConfigured: z.boolean(),
  reposIndexed: z.boolean(),
  reviewAvailable: z.boolean(),
});
export type RouteAvailability = z.infer<typeof routeAvailabilitySchema>;

export const routeDecisionSchema = z.object({
  kind: z.enum(ROUTE_KINDS),
  intent: intentResultSchema,
  policy: z.enum(ROUTING_POLICIES),
  /** One sentence a user understands: what was recognised, where the message goes and why. */
  reason: z.string(),
  /** The user chose the route for this message. */
  overridden: z.boolean(),
});
export type RouteDecision = z.infer<typeof routeDecisionSchema>;

/** The intent router as the UI sees it: which model runs where, and why routing may be off. */
export const intentStatusSchema = z.object({
  modelVersion: z.string().nullable(),
  /** The execution provider in use (cpu, cuda, …); null when no model runs. */
  provider: z.string().nullable(),
  /** Why a preferred provider is not used; null when the first choice works. */
  providerFallback: z.string().nullable(),
  /** Why intent routing is off (every message is then handled as general); null when it works. */
  problem: z.string().nullable(),
  uncertaintyThreshold: z.number(),
});
export type IntentStatus = z.infer<typeof intentStatusSchema>;
