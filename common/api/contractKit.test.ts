import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiContract } from './contract';
import { contractShape, defineContract, event, method } from './contractKit';

describe('defineContract', () => {
  it('accepts methods and onX events', () => {
    const contract = defineContract({ demo: { ping: method(z.undefined(), z.string()), onPong: event(z.string()) } });
    expect(contractShape(contract)).toEqual([{ domain: 'demo', methods: ['ping'], events: ['onPong'] }]);
  });

  it('refuses an event not named onX', () => {
    expect(() => defineContract({ demo: { pong: event(z.string()) } })).toThrow(/must be named onX/);
  });

  it('refuses a method named like an event', () => {
    expect(() => defineContract({ demo: { onPing: method(z.undefined(), z.string()) } })).toThrow(/does not start with "on"/);
  });

  it('describes the real contract: events are onX, methods are not', () => {
    for (const { methods, events } of contractShape(apiContract)) {
      for (const name of events) expect(name).toMatch(/^on[A-Z]/);
      for (const name of methods) expect(name).not.toMatch(/^on[A-Z]/);
    }
    expect(contractShape(apiContract).map((d) => d.domain)).toEqual([
      'app',
      'settings',
      'models',
      'downloads',
      'llm',
      'chats',
      'intent',
      'feedback',
    ]);
  });
});
