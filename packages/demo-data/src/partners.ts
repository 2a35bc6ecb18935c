import { Random, demoId } from './random.ts';
import type { DemoWorld } from './world.ts';

/**
 * The Pentahelix partners of shared/domain/partners.csv and what the demo world has them do:
 * engagements with pesantren and products along the five facilitation aspects, and the
 * EKO-TREN innovation funnel as events (views, interest, agreements, replications).
 */

export const PENTAHELIX_ROLES = ['GOVERNMENT', 'MEDIA', 'ACADEMIA', 'BUSINESS', 'COMMUNITY'] as const;
export type PentahelixRole = (typeof PENTAHELIX_ROLES)[number];
export const FACILITATION_ASPECTS = ['INSTITUTION', 'HUMAN_RESOURCES', 'PRODUCT', 'MARKETING', 'FINANCING'] as const;
export type FacilitationAspect = (typeof FACILITATION_ASPECTS)[number];

export interface PartnerReference {
  slug: string;
  name: string;
  role: PentahelixRole;
  note: string;
  /** Only where we know the address; null rather than a guess. */
  site: string | null;
}

/** shared/domain/partners.csv, with slugs. Real organisations: their records are reference data. */
export const PARTNERS: readonly PartnerReference[] = [
  { slug: 'dinas-koperasi-ukm-jatim', name: 'Dinas Koperasi dan UKM Provinsi Jawa Timur', role: 'GOVERNMENT', note: 'programme owner', site: 'https://diskopukm.jatimprov.go.id' },
  { slug: 'dinas-kominfo-jatim', name: 'Dinas Kominfo Provinsi Jawa Timur', role: 'GOVERNMENT', note: 'digital content training (bimtek)', site: 'https://kominfo.jatimprov.go.id' },
  { slug: 'bank-indonesia', name: 'Bank Indonesia', role: 'GOVERNMENT', note: 'central bank; halal value chain support', site: 'https://www.bi.go.id' },
  { slug: 'unusa', name: 'Universitas Nahdlatul Ulama Surabaya (UNUSA)', role: 'ACADEMIA', note: 'university partner', site: 'https://unusa.ac.id' },
  { slug: 'its', name: 'Institut Teknologi Sepuluh Nopember (ITS)', role: 'ACADEMIA', note: 'university partner', site: 'https://www.its.ac.id' },
  { slug: 'unisma', name: 'Universitas Islam Malang (UNISMA)', role: 'ACADEMIA', note: 'university partner', site: 'https://unisma.ac.id' },
  { slug: 'icsb-indonesia', name: 'ICSB Indonesia', role: 'ACADEMIA', note: 'economic potential mapping', site: null },
  { slug: 'bank-jatim-syariah', name: 'Bank Jatim Syariah', role: 'BUSINESS', note: 'financing', site: null },
  { slug: 'pertamina', name: 'Pertamina', role: 'BUSINESS', note: 'corporate partner', site: 'https://www.pertamina.com' },
  { slug: 'grab', name: 'Grab', role: 'BUSINESS', note: 'delivery and digital marketing', site: 'https://www.grab.com/id/' },
  { slug: 'fokker', name: 'Forum Kerjasama Koppontren (FOKKER)', role: 'COMMUNITY', note: 'pesantren cooperative forum', site: null },
  { slug: 'rmi', name: "Rabithah Ma'ahid Islamiyah (RMI)", role: 'COMMUNITY', note: 'pesantren association', site: null },
  { slug: 'mui', name: 'Majelis Ulama Indonesia (MUI)', role: 'COMMUNITY', note: 'halal guidance', site: 'https://mui.or.id' },
  { slug: 'hipsi', name: 'Himpunan Pengusaha Santri Indonesia (HIPSI)', role: 'COMMUNITY', note: 'santri entrepreneurs association', site: null },
  { slug: 'jtv', name: 'JTV', role: 'MEDIA', note: 'regional television', site: null },
  { slug: 'tv9', name: 'TV9', role: 'MEDIA', note: 'regional television', site: null },
  { slug: 'times-indonesia', name: 'Times Indonesia', role: 'MEDIA', note: 'online news', site: 'https://timesindonesia.co.id' },
  { slug: 'radar96', name: 'Radar96', role: 'MEDIA', note: 'radio', site: null },
  { slug: 'duta-co', name: 'Duta.co', role: 'MEDIA', note: 'online news', site: 'https://duta.co' },
];

interface EngagementTemplate {
  partners: readonly string[];
  aspect: FacilitationAspect;
  titleId: string;
  titleEn: string;
  outcomeId: string;
  outcomeEn: string;
  withProducts: boolean;
}

const ENGAGEMENTS: readonly EngagementTemplate[] = [
  { partners: ['dinas-koperasi-ukm-jatim'], aspect: 'FINANCING', titleId: 'Hibah modal usaha koperasi pesantren', titleEn: 'Business capital grants for pesantren cooperatives', outcomeId: 'Setiap koperasi menerima hibah sekitar Rp50 juta untuk peralatan produksi.', outcomeEn: 'Each cooperative received a grant of about Rp50 million for production equipment.', withProducts: false },
  { partners: ['dinas-koperasi-ukm-jatim'], aspect: 'INSTITUTION', titleId: 'Penguatan kelembagaan kopontren', titleEn: 'Strengthening pesantren cooperatives as institutions', outcomeId: 'Pendampingan tata kelola dan laporan keuangan koperasi.', outcomeEn: 'Coaching on cooperative governance and financial reporting.', withProducts: false },
  { partners: ['dinas-kominfo-jatim'], aspect: 'MARKETING', titleId: 'Bimtek konten digital produk pesantren', titleEn: 'Digital content training for pesantren products', outcomeId: 'Santri membuat foto dan video produk untuk media sosial.', outcomeEn: 'Santri made product photos and videos for social media.', withProducts: true },
  { partners: ['bank-indonesia'], aspect: 'INSTITUTION', titleId: 'Penguatan rantai nilai halal', titleEn: 'Strengthening the halal value chain', outcomeId: 'Pemetaan pemasok bahan baku halal di sekitar pesantren.', outcomeEn: 'Mapped halal raw-material suppliers around the pesantren.', withProducts: false },
  { partners: ['unusa', 'its', 'unisma'], aspect: 'HUMAN_RESOURCES', titleId: 'Pelatihan kewirausahaan santri', titleEn: 'Entrepreneurship training for santri', outcomeId: 'Santri menyusun rencana usaha dan menghitung harga pokok produksi.', outcomeEn: 'Santri wrote business plans and costed their products.', withProducts: false },
  { partners: ['its'], aspect: 'PRODUCT', titleId: 'Desain ulang kemasan produk unggulan', titleEn: 'Redesigning the packaging of featured products', outcomeId: 'Kemasan baru memenuhi syarat label pangan.', outcomeEn: 'New packaging meets food labelling rules.', withProducts: true },
  { partners: ['icsb-indonesia'], aspect: 'INSTITUTION', titleId: 'Pemetaan potensi ekonomi pesantren', titleEn: 'Mapping the economic potential of pesantren', outcomeId: 'Profil potensi ekonomi disusun untuk setiap pesantren peserta.', outcomeEn: 'An economic profile was written for each participating pesantren.', withProducts: false },
  { partners: ['bank-jatim-syariah'], aspect: 'FINANCING', titleId: 'Pembiayaan syariah untuk usaha pesantren', titleEn: 'Sharia financing for pesantren businesses', outcomeId: 'Akad pembiayaan modal kerja untuk koperasi pesantren.', outcomeEn: 'Working-capital financing contracts with pesantren cooperatives.', withProducts: false },
  { partners: ['pertamina'], aspect: 'FINANCING', titleId: 'Program kemitraan usaha santri', titleEn: 'Santri business partnership programme', outcomeId: 'Pinjaman lunak dan pembinaan untuk usaha santri.', outcomeEn: 'Soft loans and coaching for santri businesses.', withProducts: false },
  { partners: ['grab'], aspect: 'MARKETING', titleId: 'Pengiriman dan pemasaran digital produk pesantren', titleEn: 'Delivery and digital marketing for pesantren products', outcomeId: 'Produk pesantren tampil di aplikasi dan bisa dikirim dalam kota.', outcomeEn: 'Pesantren products listed in the app with same-city delivery.', withProducts: true },
  { partners: ['mui'], aspect: 'PRODUCT', titleId: 'Pendampingan sertifikasi halal', titleEn: 'Halal certification mentoring', outcomeId: 'Produk pangan pesantren mengajukan sertifikat halal melalui SIHALAL.', outcomeEn: 'Pesantren food products applied for halal certificates through SIHALAL.', withProducts: true },
  { partners: ['fokker', 'rmi'], aspect: 'INSTITUTION', titleId: 'Forum kerja sama antar koperasi pesantren', titleEn: 'Cooperation forum between pesantren cooperatives', outcomeId: 'Koperasi pesantren saling memasok bahan baku dan produk.', outcomeEn: 'Pesantren cooperatives supply each other with materials and products.', withProducts: false },
  { partners: ['hipsi'], aspect: 'HUMAN_RESOURCES', titleId: 'Mentoring usaha alumni santri', titleEn: 'Business mentoring for santri alumni', outcomeId: 'Alumni mendapat mentor dari pengusaha santri.', outcomeEn: 'Alumni were paired with santri entrepreneurs as mentors.', withProducts: false },
  { partners: ['jtv', 'tv9', 'times-indonesia', 'radar96', 'duta-co'], aspect: 'MARKETING', titleId: 'Liputan produk unggulan OPOP', titleEn: 'Coverage of OPOP featured products', outcomeId: 'Produk unggulan diliput dan dipasang di halaman berita mitra media.', outcomeEn: 'Featured products were covered and embedded on media partners’ pages.', withProducts: true },
];

export interface EngagementRecord {
  id: string;
  partnerSlug: string;
  aspect: FacilitationAspect;
  titleId: string;
  titleEn: string;
  outcomeId: string;
  outcomeEn: string;
  startsOn: string;
  endsOn: string | null;
  pesantrenIds: string[];
  productIds: string[];
}

export type RegionKind = 'PROVINCE' | 'REGENCY' | 'CITY';

export interface RegionRecord {
  name: string;
  kind: RegionKind;
  /** BPS code: 2 digits for a province, 4 for a regency or city. */
  bpsCode: string;
  provinceName: string;
}

/** Who has replicated EKO-TREN, from the programme brief: eight East Java regencies and cities, and Kalimantan Selatan. */
export const REPLICATING_REGIONS: readonly RegionRecord[] = [
  { name: 'Kota Madiun', kind: 'CITY', bpsCode: '3577', provinceName: 'Jawa Timur' },
  { name: 'Kota Probolinggo', kind: 'CITY', bpsCode: '3574', provinceName: 'Jawa Timur' },
  { name: 'Kota Mojokerto', kind: 'CITY', bpsCode: '3576', provinceName: 'Jawa Timur' },
  { name: 'Kabupaten Lamongan', kind: 'REGENCY', bpsCode: '3524', provinceName: 'Jawa Timur' },
  { name: 'Kabupaten Magetan', kind: 'REGENCY', bpsCode: '3520', provinceName: 'Jawa Timur' },
  { name: 'Kabupaten Jombang', kind: 'REGENCY', bpsCode: '3517', provinceName: 'Jawa Timur' },
  { name: 'Kabupaten Gresik', kind: 'REGENCY', bpsCode: '3525', provinceName: 'Jawa Timur' },
  { name: 'Kabupaten Blitar', kind: 'REGENCY', bpsCode: '3505', provinceName: 'Jawa Timur' },
  { name: 'Provinsi Kalimantan Selatan', kind: 'PROVINCE', bpsCode: '63', provinceName: 'Kalimantan Selatan' },
];

export interface FunnelRecord {
  views: { visitorId: string; at: Date }[];
  interests: { id: string; name: string; organisation: string; email: string; region: string; message: string; at: Date }[];
  agreements: { id: string; region: RegionRecord; signedOn: string; note: string }[];
  replications: { id: string; region: RegionRecord; startedOn: string; note: string }[];
}

export interface PartnersWorld {
  engagements: EngagementRecord[];
  funnel: FunnelRecord;
}

const DAY = 86_400_000;

export interface PartnersOptions {
  /**
   * Engagements of each kind per partner: one in the demo world, twelve at programme scale. The
   * bench asks for more to see whether a partner's pages cost more once the data outgrows what
   * they show.
   */
  engagementsPerKind?: number;
}

export function generatePartners(world: DemoWorld, options: PartnersOptions = {}): PartnersWorld {
  const productsByPesantren = new Map<string, string[]>();
  const pesantrenOfSeller = new Map(world.sellers.map((s) => [s.id, s.pesantrenId]));
  for (const product of world.products) {
    if (product.status !== 'FEATURED') continue;
    const pesantrenId = pesantrenOfSeller.get(product.sellerId)!;
    productsByPesantren.set(pesantrenId, [...(productsByPesantren.get(pesantrenId) ?? []), product.id]);
  }
  const perTemplate = options.engagementsPerKind ?? (world.scale === 'full' ? 12 : 1);
  const engagements: EngagementRecord[] = [];
  ENGAGEMENTS.forEach((template, templateIndex) => {
    for (const partnerSlug of template.partners) {
      for (let round = 0; round < perTemplate; round++) {
        const random = Random.for(`engagement:${templateIndex}:${partnerSlug}:${round}`);
        const pesantren = random.sample(world.pesantren, random.int(3, world.scale === 'full' ? 40 : 10));
        const startYear = random.int(2019, 2024);
        const productIds = template.withProducts ? pesantren.flatMap((p) => (productsByPesantren.get(p.id) ?? []).slice(0, 2)) : [];
        engagements.push({
          id: demoId('engagement', `${templateIndex}:${partnerSlug}:${round}`),
          partnerSlug,
          aspect: template.aspect,
          titleId: round === 0 ? template.titleId : `${template.titleId} ${startYear}`,
          titleEn: round === 0 ? template.titleEn : `${template.titleEn} ${startYear}`,
          outcomeId: template.outcomeId,
          outcomeEn: template.outcomeEn,
          startsOn: `${startYear}-${String(random.int(1, 12)).padStart(2, '0')}-01`,
          endsOn: random.chance(0.2) ? null : `${startYear + random.int(0, 1)}-12-31`,
          pesantrenIds: pesantren.map((p) => p.id),
          productIds,
        });
      }
    }
  });

  const random = Random.for('funnel:eko-tren');
  const viewCount = world.scale === 'full' ? 60_000 : 1_500;
  const views = Array.from({ length: viewCount }, (_, index) => ({
    visitorId: demoId('visitor', index % Math.ceil(viewCount * 0.8)),
    at: new Date(Date.UTC(2021, 0, 1) + random.int(0, 1_640) * DAY + index * 997),
  }));
  const organisations = ['Dinas Koperasi dan UKM', 'Bappeda', 'Dinas Perindustrian dan Perdagangan', 'Forum Pesantren'];
  const regions = ['Kabupaten Bojonegoro', 'Kabupaten Tuban', 'Kota Batu', 'Provinsi Jawa Tengah', 'Provinsi Nusa Tenggara Barat', 'Provinsi Kalimantan Timur', 'Kabupaten Sumenep'];
  const interests = Array.from({ length: world.scale === 'full' ? 400 : 60 }, (_, index) => {
    const region = random.pick(regions);
    return {
      id: demoId('interest', index),
      name: `Pengunjung Demo ${index + 1}`,
      organisation: `${random.pick(organisations)} ${region}`,
      email: `demo.${index + 1}@example.org`,
      region,
      message: 'Kami tertarik mempelajari EKO-TREN untuk daerah kami. (Data demo.)',
      at: new Date(Date.UTC(2021, 0, 1) + random.int(0, 1_640) * DAY),
    };
  });
  const agreements = REPLICATING_REGIONS.map((region, index) => ({
    id: demoId('agreement', region.bpsCode),
    region,
    signedOn: `${2021 + Math.floor(index / 3)}-${String(random.int(1, 12)).padStart(2, '0')}-15`,
    note: 'Nota kesepahaman replikasi EKO-TREN (tanggal: data demo).',
  }));
  const replications = agreements.map((agreement) => ({
    id: demoId('replication', agreement.region.bpsCode),
    region: agreement.region,
    startedOn: `${Number(agreement.signedOn.slice(0, 4)) + 1}-02-01`,
    note: 'Replikasi program berbasis pesantren (tanggal: data demo).',
  }));
  return { engagements, funnel: { views, interests, agreements, replications } };
}
