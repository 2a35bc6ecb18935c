import { bpomNumber, halalCertificateNumber, pirtNumber } from '@opop/identifiers';
import { normalisedPermit, type PermitKind } from '@opop/identifiers/permits';
import { describe, expect, it } from 'vitest';
import { FIELD_CHECKS, FORMAT_HINTS } from '../src/lib/product-checks.ts';
import { parseProductForm } from '../src/lib/product-form.ts';

/**
 * The browser checks a field as it is typed with product-checks.ts; the catalogue checks the same
 * number with the zod schemas of @opop/identifiers. If the two disagreed, an operator would be told
 * a good number is wrong, or see a number accepted while typing and refused on save.
 */
const SCHEMAS = { halalCertificateNumber, bpomNumber, pirtNumber } as const;

/** What people type: good numbers written their way, near misses, and things no one planned for. */
function typedNumbers(seed: number): string[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const alphabet = ['0', '1', '7', '9', 'I', 'D', 'i', 'd', 'M', 'm', 'L', ' ', '-', '\\t', '٣', '０', '.', '\\u00a0'];
  const generated = Array.from({ length: 3_000 }, () => Array.from({ length: Math.floor(random() * 36) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
  return [
    ...generated,
    'ID35110000123450123', 'id35110000123450123', ' ID35110000123450123 ', 'ID 35110000123450123', 'ID3511000012345012', 'ID351100001234501234',
    'MD 224513001234', 'md224513001234', 'MD224513001234 ', 'ML224513001234', 'MD22451300123', 'MD 2245 1300 1234', `MD${'1'.repeat(12)}${' '.repeat(20)}`,
    '2063515010123-25', '206351501012325', '2063-5150-1012-325', '20635150101232', '２０６３５１５０１０１２３２５', '206351501012325\\n',
  ];
}

describe('the product form checks a number as it is typed exactly as the catalogue checks it', () => {
  for (const kind of Object.keys(SCHEMAS) as PermitKind[]) {
    it(`${kind}: same verdict and same stored number on 3,000 random and hand-picked inputs`, () => {
      const disagreements: string[] = [];
      for (const typed of typedNumbers(kind.length)) {
        const zod = SCHEMAS[kind].safeParse(typed);
        const ours = normalisedPermit(kind, typed);
        if ((zod.success ? zod.data : null) !== ours) disagreements.push(JSON.stringify(typed));
        // The form sends the number trimmed (a pasted number often ends in spaces): what the catalogue then gets.
        const sent = typed.trim();
        if ((FIELD_CHECKS[kind](typed) === null) !== (sent === '' || SCHEMAS[kind].safeParse(sent).success)) disagreements.push(`field check: ${JSON.stringify(typed)}`);
      }
      expect(disagreements).toEqual([]);
    });
  }

  it('says on each field what the server says when the form is sent', () => {
    const form = { category: 'x', sellerId: 'y', nameIndonesian: 'ab', descriptionIndonesian: 'pendek', priceRupiah: '25.000,5', stock: '-1', unit: '', weightGrams: '0', halalCertificateNumber: 'ID123', bpomNumber: 'MD 224513001234', pirtNumber: '12345' };
    const { errors } = parseProductForm(form, { withSeller: true });
    for (const [field, check] of Object.entries(FIELD_CHECKS)) {
      expect(check(form[field as keyof typeof form] ?? ''), field).toEqual(errors[field as keyof typeof errors] ?? null);
    }
    expect(Object.keys(errors).sort()).toEqual(['descriptionIndonesian', 'halalCertificateNumber', 'nameIndonesian', 'pirtNumber', 'priceRupiah', 'stock', 'unit', 'weightGrams']);
  });
});

describe('whole numbers on the product form', () => {
  it('say a negative stock or price is too small, not that it has dots or commas (found by a new-user walkthrough)', () => {
    expect(FIELD_CHECKS.stock('-5')).toEqual({ id: 'Paling sedikit 0.', en: 'At least 0.' });
    expect(FIELD_CHECKS.stock('12,5')?.id).toContain('angka bulat');
    expect(FIELD_CHECKS.stock('12')).toBeNull();
    // Stock may be 0 (sold out); a price may not (found by a new-user walkthrough: "Rp 0" on sale).
    expect(FIELD_CHECKS.stock('0')).toBeNull();
    expect(FIELD_CHECKS.priceRupiah('0')).toEqual({ id: 'Paling sedikit 1.', en: 'At least 1.' });
  });
});

describe('a mistyped permit number is told what is wrong with it, not the hint again (found by a new-user walkthrough)', () => {
  it('says the missing prefix, the stray sign or how many digits it has against how many it needs', () => {
    expect(FIELD_CHECKS.halalCertificateNumber('ID123')).toEqual({ id: 'Ada 3 angka setelah ID; seharusnya 17.', en: '3 digits after ID; it should be 17.' });
    expect(FIELD_CHECKS.halalCertificateNumber('35110000123450123')?.id).toBe('Harus diawali ID.');
    expect(FIELD_CHECKS.halalCertificateNumber('ID3511000012345O123')?.id).toBe('Hanya angka setelah ID; ada huruf atau tanda lain.');
    expect(FIELD_CHECKS.bpomNumber('md 2245 1300 12345')?.id).toBe('Ada 13 angka setelah MD; seharusnya 12.');
    expect(FIELD_CHECKS.bpomNumber(`MD${'1'.repeat(40)}`)?.id).toBe('Terlalu panjang: paling banyak 30 karakter.');
    expect(FIELD_CHECKS.pirtNumber('2063515010123-2')?.id).toBe('Ada 14 angka; seharusnya 15.');
    expect(FIELD_CHECKS.pirtNumber('2063515010123-2')?.en).toBe('14 digits; it should be 15.');
  });

  for (const kind of ['halalCertificateNumber', 'bpomNumber', 'pirtNumber'] as const) {
    it(`${kind}: no refusal of 3,000 typed numbers repeats the hint shown above the field`, () => {
      const repeats = typedNumbers(kind.length + 1)
        .map((typed) => FIELD_CHECKS[kind](typed))
        .filter((problem) => problem !== null && (problem.id === FORMAT_HINTS[kind].id || problem.en === FORMAT_HINTS[kind].en));
      expect(repeats).toEqual([]);
    });
  }
});
