// Main's single entry for every call from any transport: finds the method in the contract,
// validates the input, runs the handler, validates the output and answers an envelope.
// Transports (IPC, HTTP) only move bytes; they never call handlers directly.
import { InvalidPayloadError, serializeError, UnknownMethodError } from '../../../common/api/ApiError';
import type { CallContext, ContractSpec, Envelope, ApiHandlers } from '../../../common/api/contractKit';
import { formatZodIssues } from '../../../common/api/formatZodError';

type AnyHandler = (input: unknown, context: CallContext) => unknown;

export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';
}

export class ApiDispatcher<C extends ContractSpec> {
  constructor(
    private readonly contract: C,
    private readonly handlers: ApiHandlers<C>,
  ) {}

  async dispatch(domain: string, method: string, input: unknown, context: CallContext): Promise<Envelope> {
    try {
      return { ok: true, value: await this.call(domain, method, input, context) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  }

  private async call(domain: string, method: string, input: unknown, context: CallContext): Promise<unknown> {
    const spec = Object.hasOwn(this.contract, domain) ? this.contract[domain]?.[method] : undefined;
    const handler = (this.handlers as unknown as Record<string, Record<string, AnyHandler | undefined> | undefined>)[domain]?.[method];
    if (spec?.kind !== 'method' || handler === undefined || !Object.hasOwn(this.contract[domain] ?? {}, method)) {
      throw new UnknownMethodError(`"${domain}.${method}" is not a method of the CodeSage API.`);
    }
    const { input: inputSchema, output: outputSchema } = spec;
    const parsedInput = inputSchema.safeParse(input);
    if (!parsedInput.success) {
      const details = formatZodIssues(parsedInput.error);
      throw new InvalidPayloadError(`Invalid input for ${domain}.${method}: ${details.join('; ')}`, details);
    }
    const output: unknown = await handler(parsedInput.data, context);
    const parsedOutput = outputSchema.safeParse(output);
    if (!parsedOutput.success) {
      // A bug in main, not the caller's fault: say so instead of sending malformed data.
      throw new ContractViolationError(
        `${domain}.${method} produced a result that does not match the API contract: ${formatZodIssues(parsedOutput.error).join('; ')}`,
      );
    }
    return parsedOutput.data;
  }
}
