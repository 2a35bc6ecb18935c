import { describe, expect, it } from 'vitest';
import { analyzeQuery, editDistance, indexTerms, normalize, regencyOf, stems, tokenize } from '../src/modules/search/analyzer.ts';

describe('Indonesian text analysis', () => {
  it('normalises case, accents, punctuation, old spellings and stretched letters', () => {
    expect(normalize('  Djahe MÉRAH — Enakkk!! ')).toBe('jahe merah enak');
    expect(normalize("Ma'had Tjap Soesoe")).toBe('mahad cap susu');
    expect(normalize('maaf, saat ini')).toBe('maaf saat ini');
  });

  it('drops function words and counts a reduplication once', () => {
    expect(tokenize('Kue-kue kering dari Sidogiri, diproduksi oleh santri')).toEqual(['kue', 'kering', 'sidogiri', 'diproduksi', 'santri']);
  });

  it.each([
    ['kerajinan', 'rajin'],
    ['pemasaran', 'pasar'],
    ['mengemas', 'kemas'],
    ['kemasan', 'kemas'],
    ['perawatan', 'rawat'],
    ['pertanian', 'tani'],
    ['peternakan', 'ternak'],
    ['minuman', 'minum'],
    ['olahan', 'olah'],
    ['menyangrai', 'sangrai'],
    ['disangrai', 'sangrai'],
    ['menenun', 'tenun'],
    ['pendamping', 'damping'],
    ['kesehatan', 'sehat'],
  ])('finds the root of %s (%s) among its stems', (word, root) => {
    expect(stems(word)).toContain(root);
  });

  it.each(['keripik', 'kerupuk', 'telur', 'tempe', 'terasi', 'beras', 'kopi', 'madu', 'berkah', 'petis'])(
    'leaves the root %s alone',
    (word) => {
      expect(stems(word)).toEqual([word]);
    },
  );

  it('counts a swap of neighbouring letters as one edit', () => {
    expect(editDistance('gersik', 'gresik')).toBe(1);
    expect(editDistance('kopi', 'kopi')).toBe(0);
    expect(editDistance('malang', 'malng')).toBe(1);
  });

  it.each([
    ['gersik', 'gresik'],
    ['sidoharjo', 'sidoarjo'],
    ['jomabng', 'jombang'],
    ['lamongn', 'lamongan'],
    ['probolingo', 'probolinggo'],
    ['pamekasan', 'pamekasan'],
  ])('recognises the regency in %s', (typed, regency) => {
    expect(regencyOf(typed)).toBe(regency);
  });

  it('does not turn ordinary short words into regencies', () => {
    expect(regencyOf('madu')).toBeUndefined();
    expect(regencyOf('tuba')).toBeUndefined();
    expect(regencyOf('bangil')).toBeUndefined();
  });

  it('understands queries shoppers type', () => {
    const [kripik, tempe] = analyzeQuery('kripik tempe');
    expect(kripik).toMatchObject({ typed: 'kripik', canonical: 'keripik' });
    expect(kripik!.forms).toEqual(expect.arrayContaining(['keripik', 'chips']));
    expect(tempe!.canonical).toBe('tempe');
    expect(analyzeQuery('madu gersik').map((term) => term.canonical)).toEqual(['madu', 'gresik']);
    expect(analyzeQuery('madu gersik')[1]!.regency).toBe('gresik');
    expect(analyzeQuery('honey')[0]!.forms).toContain('madu');
    expect(analyzeQuery('sambel bawang')[0]!.canonical).toBe('sambal');
    expect(analyzeQuery('oleh-oleh')).toEqual([]);
  });

  it('bounds the work a long query can cause', () => {
    expect(analyzeQuery('kopi '.repeat(500)).length).toBe(1);
    expect(analyzeQuery(Array.from({ length: 100 }, (_, i) => `kata${i}`).join(' ')).length).toBe(12);
  });

  it('indexes words, standard spellings and roots', () => {
    expect(indexTerms('Kripik Pemasaran Santri')).toEqual(expect.arrayContaining(['kripik', 'keripik', 'pemasaran', 'pasar', 'santri']));
  });
});
