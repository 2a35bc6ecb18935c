import slugify from '@sindresorhus/slugify';
import { Random, demoId } from './random.ts';
import type { DemoWorld } from './world.ts';

/** The media side of the demo world: articles of the media partners about pesantren and products, and their widget placements. */

export const OUTLET_KINDS = ['TELEVISION', 'RADIO', 'ONLINE_NEWS'] as const;
export type OutletKind = (typeof OUTLET_KINDS)[number];
export const WIDGET_KINDS = ['PRODUCT_CARD', 'PRODUCT_GRID', 'SEARCH', 'PESANTREN_BADGE'] as const;
export type WidgetKind = (typeof WIDGET_KINDS)[number];

export interface OutletReference {
  slug: string;
  name: string;
  kind: OutletKind;
  site: string | null;
  /** Not a secret: widgets send it so views and clicks are attributed to the outlet. */
  publicKey: string;
}

/** The media partners of shared/domain/partners.csv. */
export const OUTLETS: readonly OutletReference[] = [
  { slug: 'jtv', name: 'JTV', kind: 'TELEVISION', site: null, publicKey: 'opop_pk_jtv_5c1e9a07d2b4' },
  { slug: 'tv9', name: 'TV9', kind: 'TELEVISION', site: null, publicKey: 'opop_pk_tv9_83f0b6c4e17a' },
  { slug: 'times-indonesia', name: 'Times Indonesia', kind: 'ONLINE_NEWS', site: 'https://timesindonesia.co.id', publicKey: 'opop_pk_times_2d7f4e91b0c3' },
  { slug: 'radar96', name: 'Radar96', kind: 'RADIO', site: null, publicKey: 'opop_pk_radar96_9a4c0e6f1d28' },
  { slug: 'duta-co', name: 'Duta.co', kind: 'ONLINE_NEWS', site: 'https://duta.co', publicKey: 'opop_pk_duta_7e2b5d8a3f61' },
];

export interface ArticleRecord {
  id: string;
  slug: string;
  outletSlug: string;
  titleId: string;
  titleEn: string;
  summaryId: string;
  summaryEn: string;
  bodyMarkdown: string;
  publishedAt: Date;
  pesantrenIds: string[];
  productIds: string[];
}

export interface PlacementRecord {
  id: string;
  outletSlug: string;
  pageUrl: string;
  widgetKind: WidgetKind;
  productIds: string[];
  pesantrenId: string | null;
  views: number;
  clicks: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

export interface MediaWorld {
  articles: ArticleRecord[];
  placements: PlacementRecord[];
}

const DAY = 86_400_000;
const NOTICE = '*Artikel ini data demo yang dibuat otomatis; peristiwa dan angkanya bukan berita nyata.*';

type Story = (context: { pesantren: string; regency: string; product: string; year: number; rank: number }) => {
  titleId: string;
  titleEn: string;
  summaryId: string;
  summaryEn: string;
  paragraphs: string[];
};

const STORIES: readonly { kind: 'grant' | 'workshop' | 'product' | 'award' | 'expo'; story: Story }[] = [
  {
    kind: 'grant',
    story: (c) => ({
      titleId: `Koperasi ${c.pesantren} Terima Hibah Modal Usaha`,
      titleEn: `${c.pesantren} Cooperative Receives a Business Grant`,
      summaryId: `Hibah sekitar Rp50 juta dipakai untuk peralatan produksi koperasi pesantren di ${c.regency}.`,
      summaryEn: `A grant of about Rp50 million goes into production equipment for the pesantren cooperative in ${c.regency}.`,
      paragraphs: [
        `Koperasi pondok pesantren **${c.pesantren}** di ${c.regency} menerima hibah modal usaha dari program OPOP Jawa Timur tahun ${c.year}.`,
        'Pengurus koperasi menyebut hibah akan dipakai untuk membeli mesin pengemas dan memperbaiki dapur produksi agar memenuhi syarat izin edar.',
      ],
    }),
  },
  {
    kind: 'workshop',
    story: (c) => ({
      titleId: `Santri ${c.pesantren} Ikuti Bimtek Pemasaran Digital`,
      titleEn: `Santri of ${c.pesantren} Join a Digital Marketing Workshop`,
      summaryId: `Puluhan santri belajar memotret produk dan berjualan daring.`,
      summaryEn: `Dozens of santri learned to photograph products and sell online.`,
      paragraphs: [
        `Sebanyak puluhan santri **${c.pesantren}** mengikuti bimbingan teknis pemasaran digital di ${c.regency}.`,
        'Materi meliputi foto produk dengan ponsel, menulis deskripsi produk, dan melayani pesanan lewat WhatsApp.',
        '> "Sekarang santri bisa menjual produknya sendiri," kata salah satu pendamping.',
      ],
    }),
  },
  {
    kind: 'product',
    story: (c) => ({
      titleId: `${c.product} dari ${c.pesantren} Lolos Kurasi Produk Unggulan OPOP`,
      titleEn: `${c.product} from ${c.pesantren} Passes OPOP Featured-Product Curation`,
      summaryId: `Produk ini memenuhi syarat halal, izin edar dan kemasan.`,
      summaryEn: `The product meets the halal, food-permit and packaging requirements.`,
      paragraphs: [
        `Produk **${c.product}** buatan ${c.pesantren}, ${c.regency}, dinyatakan lolos kurasi produk unggulan OPOP.`,
        'Kurasi memeriksa sertifikat halal, izin edar, merek dan kemasan sebelum produk ditampilkan sebagai produk unggulan.',
      ],
    }),
  },
  {
    kind: 'award',
    story: (c) => ({
      titleId: `${c.pesantren} Raih Juara ${c.rank} OPOP Award ${c.year}`,
      titleEn: `${c.pesantren} Wins ${['First', 'Second', 'Third'][c.rank - 1] ?? 'a'} Place at the OPOP Award ${c.year}`,
      summaryId: `Penghargaan untuk pesantren yang mengembangkan usaha bersama santri dan masyarakat.`,
      summaryEn: `An award for pesantren growing businesses with their santri and community.`,
      paragraphs: [
        `**${c.pesantren}** dari ${c.regency} meraih juara ${c.rank} OPOP Award ${c.year}.`,
        'Dewan juri menilai kelembagaan koperasi, kualitas produk dan keterlibatan santri.',
      ],
    }),
  },
  {
    kind: 'expo',
    story: (c) => ({
      titleId: `Produk Pesantren Ramaikan Pameran OPOP Jawa Timur ${c.year}`,
      titleEn: `Pesantren Products Fill the OPOP East Java Expo ${c.year}`,
      summaryId: `${c.pesantren} dan pesantren lain memamerkan produk unggulan mereka.`,
      summaryEn: `${c.pesantren} and other pesantren showed their featured products.`,
      paragraphs: [
        `Pameran produk OPOP Jawa Timur ${c.year} menghadirkan produk dari berbagai pesantren, di antaranya **${c.pesantren}** dengan ${c.product}.`,
        '- Kopi dan makanan ringan\n- Busana muslim dan batik\n- Kerajinan santri',
      ],
    }),
  },
];

export function generateMedia(world: DemoWorld): MediaWorld {
  const regencyName = new Map(world.regencies.map((r) => [r.code, `${r.kind === 'KOTA' ? 'Kota' : 'Kabupaten'} ${r.name}`]));
  const pesantrenOfSeller = new Map(world.sellers.map((s) => [s.id, s.pesantrenId]));
  const featured = world.products.filter((p) => p.status === 'FEATURED');
  const featuredByPesantren = Map.groupBy(featured, (p) => pesantrenOfSeller.get(p.sellerId)!);
  const count = world.scale === 'full' ? 5_000 : 48;
  const slugs = new Set<string>();
  const articles: ArticleRecord[] = [];
  for (let index = 0; index < count; index++) {
    const random = Random.for(`article:${index}`);
    const pesantren = world.pesantren[index % world.pesantren.length]!;
    const { kind, story } = STORIES[index % STORIES.length]!;
    const products = featuredByPesantren.get(pesantren.id) ?? [];
    const product = products.length ? random.pick(products) : undefined;
    const award = pesantren.awards[0];
    const year = kind === 'award' && award ? award.year : random.int(Math.max(2019, pesantren.memberSince), 2025);
    const context = {
      pesantren: pesantren.name,
      regency: regencyName.get(pesantren.regencyCode)!,
      product: product?.nameId ?? 'produk koperasi',
      year,
      rank: award?.rank ?? random.int(1, 3),
    };
    const written = story(context);
    let slug = slugify(written.titleId).slice(0, 150);
    if (slugs.has(slug)) slug = `${slug}-${index}`;
    slugs.add(slug);
    const others = kind === 'expo' ? random.sample(world.pesantren, 3).filter((p) => p.id !== pesantren.id) : [];
    articles.push({
      id: demoId('article', index),
      slug,
      outletSlug: OUTLETS[index % OUTLETS.length]!.slug,
      ...written,
      bodyMarkdown: [...written.paragraphs, NOTICE].join('\n\n'),
      publishedAt: new Date(Date.UTC(year, random.int(0, year === 2025 ? 5 : 11), random.int(1, 28), random.int(1, 12))),
      pesantrenIds: [pesantren.id, ...others.map((p) => p.id)],
      productIds: product && (kind === 'product' || kind === 'expo') ? [product.id] : [],
    });
  }

  const placements: PlacementRecord[] = [];
  for (const outlet of OUTLETS) {
    const perOutlet = world.scale === 'full' ? 60 : 4;
    for (let index = 0; index < perOutlet; index++) {
      const random = Random.for(`placement:${outlet.slug}:${index}`);
      const widgetKind = WIDGET_KINDS[index % WIDGET_KINDS.length]!;
      const pesantren = random.pick(world.pesantren);
      const products = (featuredByPesantren.get(pesantren.id) ?? []).slice(0, widgetKind === 'PRODUCT_GRID' ? 6 : 1);
      const views = random.int(200, 20_000);
      const firstSeenAt = new Date(Date.UTC(2024, 0, 1) + random.int(0, 400) * DAY);
      placements.push({
        id: demoId('placement', `${outlet.slug}:${index}`),
        outletSlug: outlet.slug,
        pageUrl: `https://${outlet.slug}.example/berita/${slugify(pesantren.name)}-${index}`,
        widgetKind,
        productIds: widgetKind === 'SEARCH' || widgetKind === 'PESANTREN_BADGE' ? [] : products.map((p) => p.id),
        pesantrenId: widgetKind === 'PESANTREN_BADGE' ? pesantren.id : null,
        views,
        clicks: Math.round(views * random.int(5, 60) / 1_000),
        firstSeenAt,
        lastSeenAt: new Date(firstSeenAt.getTime() + random.int(1, 120) * DAY),
      });
    }
  }
  return { articles, placements };
}
