import { PRODUCT_TEMPLATES } from '@opop/demo-data';
import { describe, expect, it } from 'vitest';
import { SALES_UNITS, salesUnitName } from '../src/modules/product/sales-units.ts';

describe('sales units in English', () => {
  it('gives the English of the units sellers type, however they write them', () => {
    expect(salesUnitName('toples')).toEqual({ indonesian: 'toples', english: 'jar', englishPlural: 'jars' });
    expect(salesUnitName('Toples.')).toEqual({ indonesian: 'Toples.', english: 'jar', englishPlural: 'jars' });
    expect(salesUnitName(' bks ')).toMatchObject({ english: 'pack', englishPlural: 'packs' });
    expect(salesUnitName('kardus')).toMatchObject({ english: 'carton' });
    expect(salesUnitName('lusin')).toMatchObject({ english: 'dozen', englishPlural: 'dozen' });
  });

  it('leaves a unit it does not know without English, keeping what the seller typed', () => {
    expect(salesUnitName('bakul kecil')).toEqual({ indonesian: 'bakul kecil', english: null, englishPlural: null });
    expect(salesUnitName('')).toEqual({ indonesian: '', english: null, englishPlural: null });
  });

  it('knows every unit of the demo catalogue, so no English page shows an Indonesian unit', () => {
    const units = [...new Set(PRODUCT_TEMPLATES.map((template) => template.unit))];
    expect(units.filter((unit) => salesUnitName(unit).english === null)).toEqual([]);
  });

  it('lists each Indonesian unit once, each with English', () => {
    const words = SALES_UNITS.map((unit) => unit.indonesian);
    expect(new Set(words).size).toBe(words.length);
    expect(SALES_UNITS.every((unit) => unit.english && unit.englishPlural)).toBe(true);
  });
});
