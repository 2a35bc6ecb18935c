import { describe, expect, it } from 'vitest';
import { Random } from '@opop/demo-data';
import { suppressSmallCells, type CountCell, type PublishedTable } from '../src/modules/stats/suppression.ts';
import { attack } from './disclosure-attack.ts';

const THRESHOLD = 10;

function expectSafe(cells: CountCell[], dimensions: number) {
  const table = suppressSmallCells(cells, dimensions, THRESHOLD);
  const published = [...table.cells, ...table.margins.flat()].map((c) => c.count).concat(table.total);
  for (const count of published) {
    expect(count.suppressed).toBe(count.value === null);
    if (count.value !== null) expect(count.value === 0 || count.value >= THRESHOLD).toBe(true);
  }
  expect(attack(table, dimensions)).toBe(0);
  return table;
}

const values = (table: PublishedTable) => table.cells.map((c) => c.count.value);

describe('small-cell suppression', () => {
  it('withholds a cell of 9 and the next smallest cell, so the total gives neither away', () => {
    const table = expectSafe([{ key: ['a'], count: 9 }, { key: ['b'], count: 10 }, { key: ['c'], count: 50 }], 1);
    expect(values(table)).toEqual([null, null, 50]);
    expect(table.total).toEqual({ value: 69, suppressed: false });
  });

  it('publishes a cell of exactly 10, and leaves empty groups out rather than publishing zeros', () => {
    const table = expectSafe([{ key: ['a'], count: 10 }, { key: ['b'], count: 25 }], 1);
    expect(values(table)).toEqual([10, 25]);
  });

  it('keeps withheld cells from adding up to a small known group', () => {
    // 3 + 4 hidden would be known to be 7 from the total; a third cell is withheld too.
    const table = expectSafe([{ key: ['a'], count: 3 }, { key: ['b'], count: 4 }, { key: ['c'], count: 30 }, { key: ['d'], count: 40 }], 1);
    expect(values(table)).toEqual([null, null, null, 40]);
  });

  it('withholds a total under the threshold along with everything in it', () => {
    const table = expectSafe([{ key: ['a'], count: 4 }, { key: ['b'], count: 3 }], 1);
    expect(values(table)).toEqual([null, null]);
    expect(table.total.suppressed).toBe(true);
  });

  it('protects a two-way table through its rows, its columns and the total', () => {
    const cells: CountCell[] = [
      { key: ['3514', 'FEMALE'], count: 9 },
      { key: ['3514', 'MALE'], count: 40 },
      { key: ['3517', 'FEMALE'], count: 35 },
      { key: ['3517', 'MALE'], count: 52 },
      { key: ['3525', 'FEMALE'], count: 18 },
      { key: ['3525', 'MALE'], count: 21 },
    ];
    const table = expectSafe(cells, 2);
    expect(table.cells[0]!.count.suppressed).toBe(true);
    expect(table.cells.filter((c) => c.count.suppressed).length).toBeGreaterThanOrEqual(4);
    expect(table.margins).toHaveLength(2);
  });

  it('leaves nothing recoverable in hundreds of random tables of two and three dimensions', () => {
    for (let round = 0; round < 300; round++) {
      const random = Random.for(`suppression:${round}`);
      const dimensions = random.int(1, 3);
      const sizes = Array.from({ length: dimensions }, () => random.int(2, 5));
      const cells: CountCell[] = [];
      const walk = (prefix: string[]) => {
        if (prefix.length === dimensions) {
          if (random.chance(0.85)) cells.push({ key: prefix, count: random.chance(0.35) ? random.int(1, 9) : random.int(10, 60) });
          return;
        }
        for (let v = 0; v < sizes[prefix.length]!; v++) walk([...prefix, `v${v}`]);
      };
      walk([]);
      expectSafe(cells, dimensions);
    }
  });
});
