import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineContract, event, method } from '../../../common/api/contractKit';
import { ApiDispatcher } from './ApiDispatcher';
import { ApiEventHub } from './ApiEventHub';

const contract = defineContract({
  math: {
    double: method(z.object({ n: z.number().int() }), z.number()),
    broken: method(z.undefined(), z.string()),
    fails: method(z.undefined(), z.string()),
    onTick: event(z.object({ at: z.number() })),
  },
});

class QuotaError extends Error {
  override readonly name = 'QuotaError';
}

const dispatcher = new ApiDispatcher(contract, {
  math: {
    double: ({ n }) => n * 2,
    broken: () => 42 as unknown as string,
    fails: () => {
      throw new QuotaError('Out of quota: free some space and retry.');
    },
  },
});
const ctx = { transport: 'in-process' } as const;

describe('ApiDispatcher', () => {
  it('validates the input and answers an ok envelope', async () => {
    expect(await dispatcher.dispatch('math', 'double', { n: 21 }, ctx)).toEqual({ ok: true, value: 42 });
  });

  it('rejects an invalid payload with a message naming the method and the field', async () => {
    const envelope = await dispatcher.dispatch('math', 'double', { n: 'x' }, ctx);
    expect(envelope.ok).toBe(false);
    if (envelope.ok) return;
    expect(envelope.error.name).toBe('InvalidPayloadError');
    expect(envelope.error.message).toMatch(/^Invalid input for math\.double: n: /);
    expect(envelope.error.details).toHaveLength(1);
  });

  it('refuses unknown methods, events and inherited names', async () => {
    for (const [domain, name] of [
      ['math', 'triple'],
      ['math', 'onTick'],
      ['math', 'toString'],
      ['__proto__', 'x'],
      ['nope', 'double'],
    ] as const) {
      const envelope = await dispatcher.dispatch(domain, name, undefined, ctx);
      expect(envelope.ok ? 'ok' : envelope.error.name).toBe('UnknownMethodError');
    }
  });

  it('keeps the class name of an error thrown by a handler', async () => {
    expect(await dispatcher.dispatch('math', 'fails', undefined, ctx)).toEqual({
      ok: false,
      error: { name: 'QuotaError', message: 'Out of quota: free some space and retry.' },
    });
  });

  it('refuses to send a result that breaks the contract', async () => {
    const envelope = await dispatcher.dispatch('math', 'broken', undefined, ctx);
    expect(envelope.ok ? 'ok' : envelope.error.name).toBe('ContractViolationError');
  });
});

describe('ApiEventHub', () => {
  it('delivers valid payloads on domain.event and refuses invalid ones', () => {
    const hub = new ApiEventHub(contract);
    const seen: unknown[] = [];
    hub.onEvent((message) => seen.push(message));
    hub.emit('math', 'onTick', { at: 1 });
    expect(() => {
      hub.emit('math', 'onTick', { at: 'soon' as unknown as number });
    }).toThrow(/onTick payload/);
    expect(seen).toEqual([{ channel: 'math.onTick', payload: { at: 1 } }]);
  });
});
