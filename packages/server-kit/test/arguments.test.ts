import { describe, expect, it } from 'vitest';
import { cleaned } from '../src/arguments.ts';

describe('cleaned arguments', () => {
  it('takes bidirectional controls out of strings at any depth, without changing what it was given', () => {
    const given = { name: 'Pondok \u202Eirigodis\u202C', filters: { regencies: ['3578', '35\u206607\u2069'], nested: [{ slug: '\u200Emadu' }] }, first: 3 };
    const snapshot = structuredClone(given);
    expect(cleaned(given)).toEqual({ name: 'Pondok irigodis', filters: { regencies: ['3578', '3507'], nested: [{ slug: 'madu' }] }, first: 3 });
    expect(given).toEqual(snapshot);
  });

  it('answers a value with nothing to take out as it is, and copies only the path to a changed string', () => {
    const representations = Array.from({ length: 300 }, (_, index) => ({ __typename: 'Pesantren', id: `id-${index}` }));
    expect(cleaned(representations)).toBe(representations);
    const oneSpoofed = [...representations, { __typename: 'Pesantren\u200E', id: 'x' }];
    const result = cleaned(oneSpoofed) as typeof representations;
    expect(result).not.toBe(oneSpoofed);
    expect(result[0]).toBe(representations[0]);
    expect(result[300]).toEqual({ __typename: 'Pesantren', id: 'x' });
    expect(oneSpoofed[300]!.__typename).toBe('Pesantren\u200E');
  });

  it('leaves parsed scalars (a Date, a class) as they are, and nulls', () => {
    const date = new Date('2026-01-01T00:00:00Z');
    class Money {
      readonly label: string;
      constructor(label: string) {
        this.label = label;
      }
    }
    const money = new Money('\u202E1');
    const result = cleaned({ at: date, price: money, none: null, list: [null, '\u202Ea'] }) as Record<string, unknown>;
    expect(result['at']).toBe(date);
    expect(result['price']).toBe(money);
    expect(result).toEqual({ at: date, price: money, none: null, list: [null, 'a'] });
  });
});
