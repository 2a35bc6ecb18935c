import { describe, expect, it } from 'vitest';
import { analyzeQuery, editDistance, indexTerms, normalize, regencyOf, sellerKeywords, stems, tokenize, understandQuery } from '../src/modules/search/analyzer.ts';

describe('Indonesian text analysis', () => {
  it('normalises case, accents, punctuation, old spellings and stretched letters', () => {
    expect(normalize('  Djahe MÉRAH — Enakkk!! ')).toBe('jahe merah enak');
    expect(normalize("Ma'had Tjap Soesoe")).toBe('mahad cap susu');
    expect(normalize('maaf, saat ini')).toBe('maaf saat ini');
  });

  it('removes invisible characters and markup, keeps a number whole and apart from its unit', () => {
    expect(normalize('ma\u200Bdu kla\u00ADnceng\uFEFF')).toBe('madu klanceng');
    expect(normalize('<script>alert(1)</script> madu <b>hutan</b>')).toBe('madu hutan');
    expect(normalize('Air Mineral 1.500 ml, Rp 1.500.000')).toBe('air mineral 1500 ml rp 1500000');
    expect(normalize('600ml 60x90cm 5kg')).toBe('600 ml 60 x 90 cm 5 kg');
    expect(normalize('2,5 kg')).toBe('2 5 kg');
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
    // A reduplicated function word is a word of its own: oleh-oleh are souvenirs, oleh is "by".
    expect(analyzeQuery('oleh-oleh').map((term) => term.canonical)).toEqual(['oleholeh']);
    expect(analyzeQuery('oleh oleh khas lamongan').map((term) => term.canonical)).toEqual(['oleholeh', 'lamongan']);
  });

  it('drops conversational filler, reads English plurals, and counts a repeated word once', () => {
    expect(analyzeQuery('saya mau beli madu hutan yang enak').map((term) => term.canonical)).toEqual(['madu', 'hutan']);
    expect(analyzeQuery('i want to buy honey').map((term) => term.canonical)).toEqual(['honey']);
    expect(analyzeQuery('tolong carikan jamu kunyit asam dong').map((term) => term.canonical)).toEqual(['jamu', 'kunyit', 'asam']);
    expect(analyzeQuery('headscarves')[0]!.forms).toContain('kerudung');
    expect(analyzeQuery('calligraphies')[0]!.canonical).toBe('calligraphy');
    expect(analyzeQuery('prayer caps')[0]!.canonical).toBe('prayer cap');
    expect(analyzeQuery('katun kopi katun batik katun').map((term) => term.canonical)).toEqual(['katun', 'kopi', 'batik']);
  });

  it('reads prices and filler-only text from a query', () => {
    expect(understandQuery('madu dibawah 100 ribu')).toMatchObject({ maxPriceRupiah: 100_000, nothingToSearch: false });
    expect(understandQuery('madu dibawah 100 ribu').terms.map((term) => term.canonical)).toEqual(['madu']);
    expect(understandQuery('kopi di bawah 50rb').maxPriceRupiah).toBe(50_000);
    expect(understandQuery('batik under 200k').maxPriceRupiah).toBe(200_000);
    expect(understandQuery('sarung maks Rp 75.000').maxPriceRupiah).toBe(75_000);
    expect(understandQuery('kerudung < 50').maxPriceRupiah).toBe(50_000);
    // An amount of something else is not a price.
    expect(understandQuery('kaligrafi di bawah 60 cm').maxPriceRupiah).toBeUndefined();
    expect(understandQuery('kopi murah')).toMatchObject({ cheapestFirst: true, maxPriceRupiah: undefined });
    for (const query of ['murah', 'jual asli original', '🍯🍯', '???', 'عسل']) expect(understandQuery(query).nothingToSearch, query).toBe(true);
    // An empty query browses; so does a price alone.
    for (const query of ['', '   ', '\u200B', 'di bawah 50 ribu']) expect(understandQuery(query).nothingToSearch, query).toBe(false);
  });

  it('searches a seller by the words of its name that name no product', () => {
    expect(sellerKeywords("Amanah Food (Alumni Raudlatul Qur'an Sumberrejo)")).toBe('amanah alumni raudlatul sumberrejo');
  });

  it('bounds the work a long query can cause', () => {
    expect(analyzeQuery('kopi '.repeat(500)).length).toBe(1);
    expect(analyzeQuery(Array.from({ length: 100 }, (_, i) => `kata${i}`).join(' ')).length).toBe(12);
  });

  it('indexes words, standard spellings and roots', () => {
    expect(indexTerms('Kripik Pemasaran Santri')).toEqual(expect.arrayContaining(['kripik', 'keripik', 'pemasaran', 'pasar', 'santri']));
  });
});
