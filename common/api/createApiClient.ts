// Wraps a transport's raw surface (preload's window.codesage or the HTTP client) into the typed
// API: unwraps envelopes into values or ApiErrors, and validates everything main sends back.
import { ApiError, InvalidPayloadError } from './ApiError';
import { contractShape, envelopeSchema } from './contractKit';
import type { ContractSpec, EventSpec, MethodSpec, RawApi, ApiClient, Unsubscribe } from './contractKit';
import { formatZodIssues } from './formatZodError';

type AnyFunction = (...args: never[]) => unknown;

export function createApiClient<C extends ContractSpec>(contract: C, raw: RawApi<C>): ApiClient<C> {
  const client: Record<string, Record<string, AnyFunction>> = {};
  for (const { domain, methods, events } of contractShape(contract)) {
    const rawDomain = (raw as Record<string, Record<string, AnyFunction> | undefined>)[domain];
    if (rawDomain === undefined) throw new Error(`The transport does not provide the "${domain}" domain.`);
    const members: Record<string, AnyFunction> = {};
    for (const name of methods) {
      const spec = contract[domain]?.[name] as MethodSpec;
      const call = rawDomain[name] as ((input?: unknown) => Promise<unknown>) | undefined;
      if (call === undefined) throw new Error(`The transport does not provide ${domain}.${name}.`);
      members[name] = async (input?: unknown) => {
        const envelope = envelopeSchema.safeParse(await call(input));
        if (!envelope.success) {
          throw new InvalidPayloadError(`${domain}.${name} answered with a malformed envelope.`, formatZodIssues(envelope.error));
        }
        if (!envelope.data.ok) throw new ApiError(envelope.data.error);
        const output = spec.output.safeParse(envelope.data.value);
        if (!output.success) {
          throw new InvalidPayloadError(
            `${domain}.${name} answered with data that does not match the contract.`,
            formatZodIssues(output.error),
          );
        }
        return output.data;
      };
    }
    for (const name of events) {
      const spec = contract[domain]?.[name] as EventSpec;
      const subscribe = rawDomain[name] as ((listener: (payload: unknown) => void) => Unsubscribe) | undefined;
      if (subscribe === undefined) throw new Error(`The transport does not provide ${domain}.${name}.`);
      members[name] = (listener: (payload: unknown) => void) =>
        subscribe((payload) => {
          const parsed = spec.payload.safeParse(payload);
          // A malformed event is dropped rather than handed to the UI; main validated it before sending.
          if (parsed.success) listener(parsed.data);
          else console.error(`Dropped a malformed ${domain}.${name} event:`, formatZodIssues(parsed.error));
        });
    }
    client[domain] = members;
  }
  return client as unknown as ApiClient<C>;
}
