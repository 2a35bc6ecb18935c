import { describe, expect, it } from 'vitest';
import { MIN_PESANTREN_PER_AREA, recordAreas, REGENCY_GROUPS, withheldKinds } from '../src/modules/records/areas.ts';
import { EAST_JAVA_REGENCIES } from '@opop/identifiers';

const areaOf = (counts: Record<string, number>, code: string) => recordAreas(new Map(Object.entries(counts))).get(code);
const pesantrenIn = (counts: Record<string, number>, regencies: readonly string[]) => regencies.reduce((sum, code) => sum + (counts[code] ?? 0), 0);

describe('the areas santri records are published in', () => {
  it('groups every East Java regency exactly once, in groups of neighbours', () => {
    const grouped = REGENCY_GROUPS.flatMap((group) => group.regencies);
    expect([...grouped].sort()).toEqual(EAST_JAVA_REGENCIES.map((r) => r.code).sort());
    expect(new Set(grouped).size).toBe(grouped.length);
  });

  it('shows a regency with enough pesantren as itself', () => {
    expect(areaOf({ '3524': 5, '3517': 9 }, '3524')).toEqual({ code: '3524', name: 'Kabupaten Lamongan', regencies: ['3524'], generalised: false });
  });

  it('pools the small regencies of a group, adding the smallest others until the area holds enough', () => {
    const counts = { '3517': 1, '3515': 2, '3525': 3, '3578': 40 };
    const area = areaOf(counts, '3517')!;
    expect(area).toMatchObject({ code: 'W-SURABAYA', generalised: true, regencies: ['3515', '3517', '3525'] });
    expect(pesantrenIn(counts, area.regencies)).toBeGreaterThanOrEqual(MIN_PESANTREN_PER_AREA);
    expect(areaOf(counts, '3578')).toMatchObject({ code: '3578', generalised: false });
  });

  it('pools a large regency in too when its small neighbours alone are too few', () => {
    expect(areaOf({ '3526': 1, '3527': 30 }, '3526')).toMatchObject({ code: 'W-MADURA', regencies: ['3526', '3527'] });
  });

  it('joins groups too small on their own into one province-wide area, with the smallest other regencies if need be', () => {
    const counts = { '3526': 1, '3510': 2, '3524': 6, '3578': 50 };
    const area = areaOf(counts, '3526')!;
    expect(area.code).toBe('W-JATIM');
    expect(area.regencies).toEqual(['3510', '3524', '3526']);
    expect(areaOf(counts, '3510')).toEqual(area);
    expect(areaOf(counts, '3578')).toMatchObject({ code: '3578', generalised: false });
  });

  it('merges a group still too small with the other pooled areas when no regency is left to add (the audit’s area of 3)', () => {
    const counts = { '3510': 1, '3511': 1, '3512': 1, '3526': 2, '3527': 3 };
    const area = areaOf(counts, '3510')!;
    expect(area.code).toBe('W-JATIM');
    expect(pesantrenIn(counts, area.regencies)).toBeGreaterThanOrEqual(MIN_PESANTREN_PER_AREA);
    expect(areaOf(counts, '3527')).toEqual(area);
  });

  it('at programme scale (every regency with many pesantren) generalises nothing', () => {
    const counts = Object.fromEntries(EAST_JAVA_REGENCIES.map((r) => [r.code, 40]));
    expect([...recordAreas(new Map(Object.entries(counts))).values()].some((area) => area.generalised)).toBe(false);
  });

  it('leaves no record in an area of fewer pesantren than promised, for any spread of the demo’s size', () => {
    for (let round = 0; round < 200; round++) {
      const counts: Record<string, number> = {};
      for (const regency of EAST_JAVA_REGENCIES) if ((round * 7 + Number(regency.code)) % 3 === 0) counts[regency.code] = ((round + Number(regency.code)) % 6) + (round % 4 === 0 ? 0 : 1);
      const total = pesantrenIn(counts, Object.keys(counts));
      for (const [code, n] of Object.entries(counts)) {
        if (n === 0) continue;
        const area = areaOf(counts, code)!;
        expect(pesantrenIn(counts, area.regencies)).toBeGreaterThanOrEqual(Math.min(MIN_PESANTREN_PER_AREA, total));
      }
    }
  });

  it('withholds more programme kinds until the withheld ones are run by enough pesantren together (the audit’s lone SMK)', () => {
    const running = (...ids: string[]) => new Set(ids);
    const kinds = new Map([
      ['DINIYAH', running('a', 'b', 'c', 'd', 'e', 'f')],
      ['MTS', running('a', 'b', 'c', 'd', 'e')],
      ['TAHFIDZ', running('a', 'b', 'c')],
      ['SMK', running('f')],
    ]);
    // SMK alone (one pesantren) is too few; TAHFIDZ joins (4 in all), then MTS (6): enough.
    expect([...withheldKinds(kinds)].sort()).toEqual(['MTS', 'SMK', 'TAHFIDZ']);
    expect([...withheldKinds(new Map([['DINIYAH', running('a', 'b', 'c', 'd', 'e')]]))]).toEqual([]);
    // An area too small for any kind withholds them all.
    expect([...withheldKinds(new Map([['MTS', running('a')], ['MA', running('b')]]))].sort()).toEqual(['MA', 'MTS']);
  });
});
