import { describe, expect, it } from 'vitest';
import {
  escapeXml,
  generateWorld,
  ILLUSTRATED_ONE_IN,
  ILLUSTRATION_CAPTION,
  illustrationAlt,
  isIllustrated,
  packagingOf,
  productIllustrationSvg,
  strokeText,
  strokeTextWidth,
  type PackagingKind,
} from '../src/index.ts';

const demo = generateWorld('demo');
const subjectOf = (product: (typeof demo.products)[number]) => ({ nameId: product.nameId, categorySlug: product.categorySlug, unit: product.unit });
/** The groups strokeText draws: one per line of text. */
const textGroups = (svg: string) => svg.match(/<g transform="translate\([^)]*\) scale\([^)]*\)" fill="none"/g) ?? [];

describe('demo product illustrations', () => {
  it('escapes every piece of text: a name with a script and ampersands stays text', () => {
    const svg = productIllustrationSvg({
      nameId: 'Keripik <script>alert("x")</script> & Co \'Asli\'',
      categorySlug: 'makanan-ringan',
      unit: 'bungkus',
      sellerName: 'Kopontren <b>Al & Amin</b>',
    });
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co &apos;Asli&apos;');
    expect(svg).toContain('Kopontren &lt;b&gt;Al &amp; Amin&lt;/b&gt;');
    // Every & starts an entity, and the only elements are the drawing's own.
    expect(svg.match(/&(?!(amp|lt|gt|quot|apos);)/g)).toBeNull();
    expect(new Set(svg.match(/<([a-z]+)/g))).toEqual(new Set(['<svg', '<title', '<desc', '<rect', '<circle', '<ellipse', '<path', '<g']));
  });

  it('drops characters XML cannot hold', () => {
    expect(escapeXml('Madu\u0000 Hutan\u0007\uffff')).toBe('Madu Hutan');
    expect(escapeXml('Kopi "Ijen" <1kg> & co')).toBe('Kopi &quot;Ijen&quot; &lt;1kg&gt; &amp; co');
  });

  it('is the same for the same product, every time, and differs between products', () => {
    const [first, second] = demo.products.filter((p) => isIllustrated(p.id) && p.nameId !== demo.products[0]!.nameId);
    expect(productIllustrationSvg(subjectOf(first!))).toBe(productIllustrationSvg(subjectOf(first!)));
    const again = generateWorld('demo').products.find((p) => p.id === first!.id)!;
    expect(productIllustrationSvg(subjectOf(again))).toBe(productIllustrationSvg(subjectOf(first!)));
    expect(productIllustrationSvg({ ...subjectOf(first!), nameId: `${first!.nameId} Pedas` })).not.toBe(productIllustrationSvg(subjectOf(first!)));
    expect(productIllustrationSvg(subjectOf(second!))).not.toBe(productIllustrationSvg(subjectOf(first!)));
  });

  it('is 1200 × 900 and says it is an illustration, in its corner and its title', () => {
    const svg = productIllustrationSvg({ nameId: 'Madu Hutan', categorySlug: 'madu-herbal', unit: 'botol' });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="1200" height="900" viewBox="0 0 1200 900"/);
    expect(svg).toContain(`<title>${ILLUSTRATION_CAPTION}: Madu Hutan</title>`);
    const caption = /<g id="caption">(.*?<\/g>)<\/g>/.exec(svg)?.[1];
    expect(caption).toBeDefined();
    // The caption is drawn (paths, no font needed): one path per letter or mark of "ILUSTRASI / ILLUSTRATION".
    expect(caption).toContain(strokeText(ILLUSTRATION_CAPTION, { x: 60, y: 80, capHeight: 28, color: /stroke="(#[0-9a-f]{6})"/.exec(caption!)![1]!, weight: 0.12 }));
    expect(caption!.match(/<path /g)).toHaveLength(ILLUSTRATION_CAPTION.replace(/\s/g, '').length);
    // The caption's pill fits inside the picture, at a readable size.
    expect(strokeTextWidth(ILLUSTRATION_CAPTION, 28) + 36 + 48).toBeLessThan(600);
  });

  it('writes the name on the label in at most three lines, however long, and the seller under it when given', () => {
    const short = productIllustrationSvg({ nameId: 'Brem', categorySlug: 'kue-jajanan', unit: 'kotak' });
    expect(textGroups(short)).toHaveLength(1 + 1);
    const long = productIllustrationSvg({ nameId: 'Keripik Singkong Pedas Manis Daun Jeruk Extra Renyah Kemasan Keluarga Besar Sekali '.repeat(2), categorySlug: 'makanan-ringan', unit: 'bungkus' });
    expect(textGroups(long).length).toBeLessThanOrEqual(3 + 1);
    const unbroken = productIllustrationSvg({ nameId: 'X'.repeat(160), categorySlug: 'air-minum', unit: 'botol' });
    expect(textGroups(unbroken).length).toBeLessThanOrEqual(3 + 1);
    const withSeller = productIllustrationSvg({ nameId: 'Brem', categorySlug: 'kue-jajanan', unit: 'kotak', sellerName: 'Kopontren Sidogiri' });
    expect(textGroups(withSeller)).toHaveLength(1 + 1 + 1);
    expect(withSeller).toContain('Kopontren Sidogiri');
  });

  it('draws packaging after the unit, or the category for pieces, in the category’s colours', () => {
    const cases: [string, string, string, PackagingKind][] = [
      ['makanan-ringan', 'bungkus', 'Keripik Tempe', 'pouch'],
      ['beras-palawija', 'karung', 'Beras Organik', 'sack'],
      ['madu-herbal', 'botol', 'Madu Hutan', 'bottle'],
      ['bumbu-olahan', 'toples', 'Petis Udang', 'jar'],
      ['kopi-teh', 'kotak', 'Teh Hijau', 'box'],
      ['kitab-buku', 'buku', 'Kitab Terjemah', 'book'],
      ['batik', 'lembar', 'Batik Tulis Madura', 'cloth'],
      ['pakaian', 'potong', 'Baju Koko', 'cloth'],
      ['kaligrafi', 'buah', 'Kaligrafi Kayu', 'frame'],
      ['peci-songkok', 'buah', 'Songkok', 'cap'],
      ['sabun-minyak-herbal', 'buah', 'Sabun Sereh', 'bar'],
      ['anyaman-kayu', 'buah', 'Tas Anyaman Pandan', 'bag'],
      ['anyaman-kayu', 'buah', 'Tasbih Kayu', 'box'],
      ['hasil-ternak', 'ekor', 'Bandeng Asap', 'pack'],
      ['kategori-baru', 'lusin', 'Sesuatu', 'box'],
    ];
    for (const [category, unit, name, kind] of cases) {
      expect(packagingOf(category, unit, name), `${name} (${unit})`).toBe(kind);
      expect(productIllustrationSvg({ nameId: name, categorySlug: category, unit })).toContain(`data-packaging="${kind}"`);
    }
    // Every demo product has a drawing of its own kind, and every kind is used.
    expect(new Set(demo.products.map((p) => packagingOf(p.categorySlug, p.unit, p.nameId))).size).toBe(12);
    const colours = (svg: string) => new Set(svg.match(/#[0-9a-f]{6}/g));
    const coffee = productIllustrationSvg({ nameId: 'Kopi', categorySlug: 'kopi-teh', unit: 'bungkus' });
    expect(colours(productIllustrationSvg({ nameId: 'Kopi Lain', categorySlug: 'kopi-teh', unit: 'bungkus' }))).toEqual(colours(coffee));
    expect(colours(productIllustrationSvg({ nameId: 'Kopi', categorySlug: 'batik', unit: 'bungkus' }))).not.toEqual(colours(coffee));
  });

  it('illustrates about one demo product in four, chosen by id alone', () => {
    const chosen = demo.products.filter((p) => isIllustrated(p.id));
    expect(ILLUSTRATED_ONE_IN).toBe(4);
    // 76 of the 320 demo products: the rule is fixed, so the set is too.
    expect(chosen).toHaveLength(76);
    expect(chosen.length / demo.products.length).toBeGreaterThan(0.2);
    expect(chosen.length / demo.products.length).toBeLessThan(0.3);
    // Featured products among them, and most categories, so the storefront shows both illustrations and tiles.
    const featured = demo.products.filter((p) => p.status === 'FEATURED');
    expect(featured.filter((p) => isIllustrated(p.id)).length / featured.length).toBeGreaterThan(0.15);
    expect(new Set(chosen.map((p) => p.categorySlug)).size).toBeGreaterThanOrEqual(12);
  });

  it('gives the alt text in Indonesian and English', () => {
    expect(illustrationAlt('Madu Hutan', 'Forest Honey')).toEqual({ indonesian: 'Ilustrasi kemasan Madu Hutan', english: 'Illustration of Forest Honey packaging' });
    expect(illustrationAlt('Brem', null)).toEqual({ indonesian: 'Ilustrasi kemasan Brem', english: 'Illustration of Brem packaging' });
    const long = illustrationAlt('M'.repeat(300), 'H'.repeat(300));
    expect(long.indonesian.length).toBeLessThanOrEqual(200);
    expect(long.english.length).toBeLessThanOrEqual(200);
  });
});
