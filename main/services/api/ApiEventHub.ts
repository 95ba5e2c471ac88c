// Main's outgoing events: services emit here, the hub validates each payload against the contract
// and hands it to every transport (IPC windows, WebSocket clients) as `channel` + `payload`.
import { channelName } from '../../../common/api/contractKit';
import type { ApiEventPayloads, ContractSpec } from '../../../common/api/contractKit';
import { formatZodIssues } from '../../../common/api/formatZodError';
import type { Disposable } from '../../../common/base/Emitter';
import { Emitter } from '../../../common/base/Emitter';
import { ContractViolationError } from './ApiDispatcher';

export interface ApiEventMessage {
  readonly channel: string;
  readonly payload: unknown;
}

export class ApiEventHub<C extends ContractSpec> implements Disposable {
  private readonly emitter = new Emitter<ApiEventMessage>();
  readonly onEvent = this.emitter.event;

  constructor(private readonly contract: C) {}

  emit<D extends keyof C & string, E extends keyof ApiEventPayloads<C>[D] & string>(
    domain: D,
    event: E,
    payload: ApiEventPayloads<C>[D][E],
  ): void {
    const spec = this.contract[domain]?.[event];
    if (spec?.kind !== 'event') throw new ContractViolationError(`"${domain}.${event}" is not an event of the contract.`);
    const parsed = spec.payload.safeParse(payload);
    if (!parsed.success) {
      throw new ContractViolationError(
        `${domain}.${event} payload does not match the contract: ${formatZodIssues(parsed.error).join('; ')}`,
      );
    }
    this.emitter.fire({ channel: channelName(domain, event), payload: parsed.data });
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
