import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { serviceUnavailable } from '../src/errors.ts';
import { cachedReferences, verifyReferences, type EntityReferences } from '../src/references.ts';

/** An owner that knows `ids`, answers after `delayMs`, and records every request it gets. */
function fakeOwner(ids: readonly string[], delayMs = 5) {
  const knownIds = new Set(ids);
  const requests: string[][] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  let failing = false;
  const owner: EntityReferences = {
    async resolve<T extends { id: string }>(_typename: string, asked: readonly string[]) {
      requests.push([...asked]);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      inFlight -= 1;
      if (failing) throw serviceUnavailable('owner down');
      return new Map(asked.filter((id) => knownIds.has(id)).map((id) => [id, { id } as T]));
    },
  };
  return {
    owner,
    requests,
    asked: () => requests.flat(),
    mostInFlight: () => mostInFlight,
    fail: (value: boolean) => {
      failing = value;
    },
  };
}

const code = (error: unknown) => (error instanceof GraphQLError ? error.extensions['code'] : error);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cachedReferences', () => {
  const product = randomUUID();

  it('asks the owner once for ids it knows, however often they are named', async () => {
    const owner = fakeOwner([product]);
    const cached = cachedReferences(owner.owner);
    for (let i = 0; i < 20; i++) await verifyReferences(cached, 'Product', [product], 'input.productIds');
    await Promise.all(Array.from({ length: 20 }, () => verifyReferences(cached, 'Product', [product], 'input.productIds')));
    expect(owner.requests).toEqual([[product]]);
  });

  it('remembers unknown ids too, for a shorter while, then asks again', async () => {
    const owner = fakeOwner([product]);
    const cached = cachedReferences(owner.owner, { negativeTtlMs: 60 });
    const stranger = randomUUID();
    for (let i = 0; i < 10; i++) {
      const refused = await verifyReferences(cached, 'Product', [product, stranger], 'input.productIds').catch((error: unknown) => error);
      expect(code(refused)).toBe('BAD_USER_INPUT');
    }
    expect(owner.asked()).toEqual([product, stranger]);
    await sleep(120);
    await expect(verifyReferences(cached, 'Product', [stranger], 'input.productIds')).rejects.toThrow(/names no known Product/);
    // The unknown id was asked again; the known one is still remembered.
    expect(owner.asked()).toEqual([product, stranger, stranger]);
  });

  it('lets a burst of fresh unknown ids reach the owner only in a few batched requests, a bounded number at a time', async () => {
    const owner = fakeOwner([]);
    const cached = cachedReferences(owner.owner, { batchSize: 50, maxInFlight: 2, maxQueued: 1_000 });
    const burst = Array.from({ length: 600 }, () => randomUUID());
    const results = await Promise.allSettled(burst.map((id) => verifyReferences(cached, 'Pesantren', [id], 'input.pesantrenId')));
    expect(results.every((result) => result.status === 'rejected' && code(result.reason) === 'BAD_USER_INPUT')).toBe(true);
    expect(owner.mostInFlight()).toBeLessThanOrEqual(2);
    expect(owner.requests.every((request) => request.length <= 50)).toBe(true);
    expect(owner.requests.length).toBe(600 / 50);
    // The same burst again is answered from memory.
    await Promise.allSettled(burst.map((id) => verifyReferences(cached, 'Pesantren', [id], 'input.pesantrenId')));
    expect(owner.requests.length).toBe(600 / 50);
  });

  it('refuses misses beyond its queue as SERVICE_UNAVAILABLE instead of letting them pile up', async () => {
    const owner = fakeOwner([], 30);
    const cached = cachedReferences(owner.owner, { batchSize: 10, maxInFlight: 1, maxQueued: 25 });
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => verifyReferences(cached, 'Product', [randomUUID()], 'input.productIds')));
    const codes = results.map((result) => (result.status === 'rejected' ? code(result.reason) : 'accepted'));
    expect(codes.filter((c) => c === 'SERVICE_UNAVAILABLE').length).toBe(75);
    expect(codes.filter((c) => c === 'BAD_USER_INPUT').length).toBe(25);
    expect(owner.asked()).toHaveLength(25);
  });

  it('keeps the known ids when a flood of unknown ones fills its memory', async () => {
    const owner = fakeOwner([product]);
    const cached = cachedReferences(owner.owner, { max: 10 });
    await verifyReferences(cached, 'Product', [product], 'input.productIds');
    await Promise.allSettled(Array.from({ length: 50 }, () => verifyReferences(cached, 'Product', [randomUUID()], 'input.productIds')));
    const asked = owner.asked().length;
    await verifyReferences(cached, 'Product', [product], 'input.productIds');
    expect(owner.asked()).toHaveLength(asked);
  });

  it('does not remember a lookup that failed', async () => {
    const owner = fakeOwner([product]);
    const cached = cachedReferences(owner.owner);
    owner.fail(true);
    const failed = await verifyReferences(cached, 'Product', [product], 'input.productIds').catch((error: unknown) => error);
    expect(code(failed)).toBe('SERVICE_UNAVAILABLE');
    owner.fail(false);
    await verifyReferences(cached, 'Product', [product], 'input.productIds');
    expect(owner.requests).toEqual([[product], [product]]);
  });
});
