import { describe, expect, it } from 'vitest';
import { SharedCounts } from '../src/shared-counts.ts';

describe('counts shared by the requests of a process', () => {
  it('counts once for concurrent and later requests, until the time is up', async () => {
    let clock = 1_000_000;
    const counts = new SharedCounts(60_000, { now: () => clock });
    let runs = 0;
    const count = async () => ++runs;
    expect(await Promise.all([counts.get('listed', count), counts.get('listed', count)])).toEqual([1, 1]);
    clock += 59_000;
    expect(await counts.get('listed', count)).toBe(1);
    clock += 2_000;
    expect(await counts.get('listed', count)).toBe(2);
  });

  it('keeps each key apart, and forgets every count when cleared (after a local write)', async () => {
    const counts = new SharedCounts(60_000);
    let runs = 0;
    const count = async () => ++runs;
    expect(await counts.get('a', count)).toBe(1);
    expect(await counts.get('b', count)).toBe(2);
    counts.clear();
    expect(await counts.get('a', count)).toBe(3);
  });

  it('does not keep a count that failed', async () => {
    const counts = new SharedCounts(60_000);
    await expect(counts.get('listed', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await counts.get('listed', async () => 7)).toBe(7);
  });

  it('keeps the count started after a clear when one from before the clear fails', async () => {
    const counts = new SharedCounts(60_000);
    let fail: (error: Error) => void = () => {};
    const stale = counts.get('listed', () => new Promise<number>((_resolve, reject) => (fail = reject)));
    counts.clear();
    let runs = 0;
    expect(await counts.get('listed', async () => ++runs)).toBe(1);
    fail(new Error('database away'));
    await expect(stale).rejects.toThrow('database away');
    expect(await counts.get('listed', async () => ++runs)).toBe(1);
  });
});
