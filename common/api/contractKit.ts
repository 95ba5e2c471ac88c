// Building blocks of the API contract: a contract is a set of domains; each member of a domain is
// either an async method (input and output schemas) or an event pushed from main (`onX`, payload
// schema). Transports, main's dispatcher and the renderer client are all derived from one contract.
import { z } from 'zod';

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: 'method';
  readonly input: I;
  readonly output: O;
}

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: P;
}

export type MemberSpec = MethodSpec | EventSpec;
export type DomainSpec = Readonly<Record<string, MemberSpec>>;
export type ContractSpec = Readonly<Record<string, DomainSpec>>;

export function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSpec<I, O> {
  return { kind: 'method', input, output };
}

export function event<P extends z.ZodType>(payload: P): EventSpec<P> {
  return { kind: 'event', payload };
}

const EVENT_NAME = /^on[A-Z][A-Za-z0-9]*$/;
const IDENTIFIER = /^[a-z][A-Za-z0-9]*$/;

/** Checks the naming rules (events are `onX`, nothing else is) once, when the contract is defined. */
export function defineContract<C extends ContractSpec>(contract: C): C {
  for (const [domain, members] of Object.entries(contract)) {
    if (!IDENTIFIER.test(domain)) throw new Error(`Contract domain "${domain}" must be a camelCase identifier.`);
    for (const [name, spec] of Object.entries(members)) {
      const looksLikeEvent = EVENT_NAME.test(name);
      if (spec.kind === 'event' && !looksLikeEvent) {
        throw new Error(`Contract event "${domain}.${name}" must be named onX.`);
      }
      if (spec.kind === 'method' && (looksLikeEvent || !IDENTIFIER.test(name))) {
        throw new Error(`Contract method "${domain}.${name}" must be a camelCase name that does not start with "on".`);
      }
    }
  }
  return contract;
}

export type Unsubscribe = () => void;

type MethodKeys<D extends DomainSpec> = { [K in keyof D]: D[K] extends MethodSpec ? K : never }[keyof D];
type EventKeys<D extends DomainSpec> = { [K in keyof D]: D[K] extends EventSpec ? K : never }[keyof D];

type ClientMethod<M> =
  M extends MethodSpec<infer I, infer O>
    ? undefined extends z.input<I>
      ? (input?: z.input<I>) => Promise<z.output<O>>
      : (input: z.input<I>) => Promise<z.output<O>>
    : never;

type ClientEvent<E> = E extends EventSpec<infer P> ? (listener: (payload: z.output<P>) => void) => Unsubscribe : never;

/** What the renderer (and any other client) sees: typed async methods and `onX` subscriptions. */
export type ApiClient<C extends ContractSpec> = {
  readonly [D in keyof C]: { readonly [K in MethodKeys<C[D]>]: ClientMethod<C[D][K]> } & {
    readonly [K in EventKeys<C[D]>]: ClientEvent<C[D][K]>;
  };
};

type HandlerMethod<M> =
  M extends MethodSpec<infer I, infer O> ? (input: z.output<I>, context: CallContext) => Promise<z.input<O>> | z.input<O> : never;

/** What main implements once: one handler per method of every domain. */
export type ApiHandlers<C extends ContractSpec> = {
  readonly [D in keyof C]: { readonly [K in MethodKeys<C[D]>]: HandlerMethod<C[D][K]> };
};

/** Payload types of every event, keyed by domain and event name, for main's emitter. */
export type ApiEventPayloads<C extends ContractSpec> = {
  readonly [D in keyof C]: { readonly [K in EventKeys<C[D]>]: C[D][K] extends EventSpec<infer P> ? z.input<P> : never };
};

/** Who is calling; transports fill it in so handlers can tell shells apart when they must. */
export interface CallContext {
  readonly transport: 'ipc' | 'http' | 'in-process';
  readonly signal?: AbortSignal;
}

/** An error as it crosses a boundary: the class name survives, so the UI can react to it. */
export const serializedErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  details: z.array(z.string()).optional(),
});
export type SerializedError = z.infer<typeof serializedErrorSchema>;

/** Every call answers with an envelope, on every transport, so errors keep their names. */
export const envelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: serializedErrorSchema }),
]);
export type Envelope = z.infer<typeof envelopeSchema>;

/**
 * The untyped surface a transport provides (preload's `window.codesage`, or the HTTP client):
 * one function per method returning an envelope, one subscribe function per event.
 */
export type RawApi<C extends ContractSpec> = {
  readonly [D in keyof C]: { readonly [K in MethodKeys<C[D]>]: (input?: unknown) => Promise<Envelope> } & {
    readonly [K in EventKeys<C[D]>]: (listener: (payload: unknown) => void) => Unsubscribe;
  };
};

/** The names in a contract, for code that builds transports by looping over them. */
export interface ContractShape {
  readonly domain: string;
  readonly methods: readonly string[];
  readonly events: readonly string[];
}

export function contractShape(contract: ContractSpec): readonly ContractShape[] {
  return Object.entries(contract).map(([domain, members]) => ({
    domain,
    methods: Object.keys(members).filter((name) => members[name]?.kind === 'method'),
    events: Object.keys(members).filter((name) => members[name]?.kind === 'event'),
  }));
}

/** The one channel name used by IPC, HTTP paths and WebSocket messages: `domain.member`. */
export function channelName(domain: string, member: string): string {
  return `${domain}.${member}`;
}
