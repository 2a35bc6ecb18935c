import slugify from '@sindresorhus/slugify';
import { CATEGORY_TEMPLATES, PRODUCT_TEMPLATES, type ProductTemplate } from './catalogue-templates.ts';
import { ALUMNI_BRANDS, PESANTREN_NAMES, STREETS, VILLAGE_PARTS, villageName } from './names.ts';
import { Random, demoId } from './random.ts';
import { EAST_JAVA_REGENCIES, regencyDisplayName, type RegencyRecord } from './regencies.ts';
import {
  PILLARS,
  type CategoryRecord,
  type CurationEventRecord,
  type CurationStatus,
  type PesantrenRecord,
  type Pillar,
  type ProductRecord,
  type SellerRecord,
} from './types.ts';

export type Scale = 'demo' | 'medium' | 'full';

/**
 * Sizes of each scale. `full` is the programme's own scale: 4,452 pesantren in East Java (2019)
 * and 100,000 products, well past the 1,000 featured products the programme targets. `medium`
 * (a tenth of it) is what the storefront's build is measured at.
 */
export const SCALES: Record<Scale, { pesantren: number; products: number }> = {
  demo: { pesantren: 64, products: 320 },
  medium: { pesantren: 445, products: 10_000 },
  full: { pesantren: 4_452, products: 100_000 },
};

export interface DemoWorld {
  scale: Scale;
  regencies: readonly RegencyRecord[];
  pesantren: PesantrenRecord[];
  categories: CategoryRecord[];
  sellers: SellerRecord[];
  products: ProductRecord[];
}

/** Shown with every generated product, so nobody mistakes a demo price for a real offer. */
export const DEMO_NOTICE = {
  id: 'Data demo: produk dan harga ini contoh, bukan penawaran nyata.',
  en: 'Demo data: this product and its price are examples, not a real offer.',
};

/** The last day the generator places events on, so output never depends on today's date. */
const GENERATED_UNTIL = Date.UTC(2025, 5, 30);
const DAY = 86_400_000;
const DEMO_ADMIN = 'demo-admin';

interface RealInstitution {
  key: string;
  name: string;
  regencyCode: string;
  village: string;
  district: string;
}

/** Public, well-known pesantren (see shared/domain); their profiles here are demo data. */
const REAL_INSTITUTIONS: readonly RealInstitution[] = [
  { key: 'sidogiri', name: 'Pondok Pesantren Sidogiri', regencyCode: '3514', village: 'Sidogiri', district: 'Kraton' },
  { key: 'sunan-drajat', name: 'Pondok Pesantren Sunan Drajat', regencyCode: '3524', village: 'Banjaranyar', district: 'Paciran' },
  { key: 'gontor', name: 'Pondok Modern Darussalam Gontor', regencyCode: '3502', village: 'Gontor', district: 'Mlarak' },
  { key: 'tebuireng', name: 'Pondok Pesantren Tebuireng', regencyCode: '3517', village: 'Cukir', district: 'Diwek' },
  { key: 'lirboyo', name: 'Pondok Pesantren Lirboyo', regencyCode: '3571', village: 'Lirboyo', district: 'Mojoroto' },
];

const byCode = new Map(EAST_JAVA_REGENCIES.map((regency) => [regency.code, regency]));
const regencyOf = (code: string): RegencyRecord => byCode.get(code)!;

/** Demo phone numbers sit in the unassigned 0800-0 range so no real person gets a demo WhatsApp. */
const demoWhatsapp = (random: Random) => `628000${random.digits(7)}`;

const dateBetween = (random: Random, from: number, to: number) => new Date(from + random.int(0, Math.max(0, Math.floor((to - from) / DAY))) * DAY);

/**
 * Generates the same world for the same scale, every time, on every machine: the catalogue and
 * pesantren subgraphs seed separately and still agree on every pesantren id.
 */
export function generateWorld(scale: Scale): DemoWorld {
  const size = SCALES[scale];
  const pesantren = generatePesantren(size.pesantren);
  const categories = CATEGORY_TEMPLATES.map(
    (template, position): CategoryRecord => ({ id: demoId('category', template.slug), position, ...template }),
  );
  const sellers = pesantren.flatMap(generateSellers);
  const products = generateProducts(sellers, categories, size.products);
  return { scale, regencies: EAST_JAVA_REGENCIES, pesantren, categories, sellers, products };
}

function generatePesantren(count: number): PesantrenRecord[] {
  const uncovered = EAST_JAVA_REGENCIES.filter((regency) => !REAL_INSTITUTIONS.some((real) => real.regencyCode === regency.code));
  const serials = new Map<string, number>();
  const slugs = new Set<string>();
  const result: PesantrenRecord[] = [];

  for (let index = 0; index < count; index++) {
    const random = Random.for(`pesantren:${index}`);
    const real = REAL_INSTITUTIONS[index];
    // Every regency gets at least one pesantren before density decides the rest.
    const regency = real
      ? regencyOf(real.regencyCode)
      : (uncovered[index - REAL_INSTITUTIONS.length] ?? random.weighted(EAST_JAVA_REGENCIES, (r) => r.weight));
    const village = real?.village ?? villageName(random.int(0, VILLAGE_PARTS.heads - 1), random.int(0, VILLAGE_PARTS.tails - 1));
    const district = real?.district ?? villageName(random.int(0, VILLAGE_PARTS.heads - 1), random.int(0, VILLAGE_PARTS.tails - 1));
    const shortName = real ? real.name.replace(/^Pondok (Pesantren|Modern) /, '') : `${random.pick(PESANTREN_NAMES)} ${village}`;
    const name = real ? real.name : `Pondok Pesantren ${shortName}`;
    let slug = slugify(name, { customReplacements: [["'", '']] });
    if (slugs.has(slug)) slug = `${slug}-${slugify(regency.name)}`;
    for (let n = 2; slugs.has(slug); n++) slug = `${slug.replace(/-\d+$/, '')}-${n}`;
    slugs.add(slug);

    const serial = (serials.get(regency.code) ?? 0) + 1;
    serials.set(regency.code, serial);

    const pillars: Pillar[] = real
      ? [...PILLARS]
      : PILLARS.filter((pillar) => random.chance({ PESANTRENPRENEUR: 0.7, SANTRIPRENEUR: 0.6, SOSIOPRENEUR: 0.35 }[pillar]));
    if (pillars.length === 0) pillars.push('PESANTRENPRENEUR');

    const memberSince = real ? 2019 : random.int(2019, 2024);
    const hasCooperative = pillars.includes('PESANTRENPRENEUR') || random.chance(0.5);
    const legalYear = random.int(1995, 2022);
    const cooperative = hasCooperative
      ? {
          name: `Kopontren ${shortName}`,
          legalNumber:
            legalYear < 2015
              ? `${random.int(100, 999)}/BH/XVI.${random.int(1, 40)}/${legalYear}`
              : `AHU-00${random.digits(5)}.AH.01.26.TAHUN ${legalYear}`,
        }
      : null;
    const awards = random.chance(real ? 0.8 : 0.12)
      ? [{ year: random.int(Math.max(memberSince, 2020), 2024), category: random.pick(pillars), rank: random.int(1, 3) as 1 | 2 | 3 }]
      : [];

    result.push({
      id: demoId('pesantren', index),
      // NSPP: 5100, the four-digit BPS code of the regency, a serial: the shape of 510035780004.
      nspp: `5100${regency.code}${String(serial).padStart(4, '0')}`,
      name,
      slug,
      regencyCode: regency.code,
      address: `Jl. ${random.pick(STREETS)} No. ${random.int(1, 120)}, Desa ${village}, Kec. ${district}, ${regencyDisplayName(regency)}`,
      pillars,
      cooperative,
      whatsapp: demoWhatsapp(random),
      memberSince,
      awards,
      createdAt: dateBetween(random, Date.UTC(memberSince, 0, 15), Date.UTC(memberSince, 11, 15)),
    });
  }
  return result;
}

function generateSellers(pesantren: PesantrenRecord, index: number): SellerRecord[] {
  const shortName = pesantren.name.replace(/^Pondok (Pesantren|Modern) /, '');
  const regency = regencyDisplayName(regencyOf(pesantren.regencyCode));
  return pesantren.pillars.map((pillar) => {
    const random = Random.for(`seller:${index}:${pillar}`);
    const id = demoId('seller', `${pesantren.id}:${pillar}`);
    const profile: Record<Pillar, { name: string; id: string; en: string }> = {
      PESANTRENPRENEUR: {
        name: pesantren.cooperative?.name ?? `Unit Usaha ${shortName}`,
        id: `Koperasi pondok pesantren ${shortName} di ${regency}, mengelola usaha bersama pesantren dan santri.`,
        en: `The cooperative of ${shortName} in ${regency}, running the pesantren's shared businesses.`,
      },
      SANTRIPRENEUR: {
        name: `Santripreneur ${shortName}`,
        id: `Laboratorium kewirausahaan santri ${shortName}: produk karya santri yang belajar berwirausaha.`,
        en: `The santri entrepreneurship lab of ${shortName}: products made by santri learning to run a business.`,
      },
      SOSIOPRENEUR: {
        name: `${random.pick(ALUMNI_BRANDS)} (Alumni ${shortName})`,
        id: `Usaha alumni ${shortName} yang bermitra dengan pesantren dan masyarakat sekitar.`,
        en: `A business of ${shortName} alumni, working with the pesantren and its community.`,
      },
    };
    const chosen = profile[pillar];
    return {
      id,
      pesantrenId: pesantren.id,
      name: chosen.name,
      slug: `${slugify(chosen.name, { customReplacements: [["'", '']] })}-${id.slice(0, 6)}`,
      pillar,
      regencyCode: pesantren.regencyCode,
      whatsapp: pillar === 'PESANTRENPRENEUR' ? pesantren.whatsapp : demoWhatsapp(random),
      descriptionId: chosen.id,
      descriptionEn: chosen.en,
      createdAt: new Date(pesantren.createdAt.getTime() + random.int(1, 60) * DAY),
    };
  });
}

function generateProducts(sellers: SellerRecord[], categories: CategoryRecord[], target: number): ProductRecord[] {
  const categoryBySlug = new Map(categories.map((category) => [category.slug, category]));
  const fits = (template: ProductTemplate, seller: SellerRecord) => template.pillars.includes(seller.pillar);
  const regional = (template: ProductTemplate, seller: SellerRecord) => template.regencies?.includes(seller.regencyCode) ?? false;
  const templateWeight = (seller: SellerRecord) => (template: ProductTemplate) =>
    regional(template, seller) ? 12 : template.regencies ? 1 : 4;

  const assignments: [SellerRecord, ProductTemplate][] = [];
  // Every kind of product appears at least once, sold where it is known for when possible.
  for (const [index, template] of PRODUCT_TEMPLATES.entries()) {
    const random = Random.for(`cover:${index}`);
    const candidates = sellers.filter((seller) => fits(template, seller));
    const local = candidates.filter((seller) => regional(template, seller));
    assignments.push([random.pick(local.length ? local : candidates), template]);
  }
  // Every seller sells something.
  for (const seller of sellers) {
    if (assignments.length >= target) break;
    const random = Random.for(`first:${seller.id}`);
    assignments.push([seller, random.weighted(PRODUCT_TEMPLATES.filter((t) => fits(t, seller)), templateWeight(seller))]);
  }
  for (let index = assignments.length; index < target; index++) {
    const random = Random.for(`fill:${index}`);
    const seller = random.pick(sellers);
    assignments.push([seller, random.weighted(PRODUCT_TEMPLATES.filter((t) => fits(t, seller)), templateWeight(seller))]);
  }

  return assignments.map(([seller, template], index) => buildProduct(index, seller, template, categoryBySlug.get(template.categorySlug)!));
}

function buildProduct(index: number, seller: SellerRecord, template: ProductTemplate, category: CategoryRecord): ProductRecord {
  const random = Random.for(`product:${index}`);
  const id = demoId('product', index);
  const [variantId, variantEn] = random.pick(template.variants);
  const nameId = variantId === 'Original' ? template.nameId : `${template.nameId} ${variantId}`;
  const nameEn = variantEn === 'Original' ? template.nameEn : `${template.nameEn}, ${variantEn}`;
  const regency = regencyDisplayName(regencyOf(seller.regencyCode));

  const bpomNumber = template.permit === 'BPOM' || (category.foodPermit !== 'NONE' && random.chance(0.15)) ? `MD${random.digits(12)}` : null;
  const pirtNumber = !bpomNumber && template.permit === 'PIRT' && random.chance(0.92) ? `206${seller.regencyCode}${random.digits(6)}${random.int(20, 25)}` : null;
  const sniCertificateNumber = category.requiresSni && random.chance(0.9) ? `SPPT-SNI 3553:2015/${random.digits(5)}` : null;
  const halal = category.requiresHalal ? random.chance(0.88) : random.chance(0.1);
  const halalCertificateNumber = halal ? `ID35${seller.regencyCode.slice(2)}${random.digits(13)}` : null;
  const halalSelfDeclared = halal && random.chance(0.4);

  const meetsRules =
    (!category.requiresHalal || halalCertificateNumber !== null) &&
    (category.foodPermit === 'NONE' || (category.foodPermit === 'BPOM' ? bpomNumber : bpomNumber ?? pirtNumber) !== null) &&
    (!category.requiresSni || sniCertificateNumber !== null);
  const status: CurationStatus = meetsRules
    ? random.weighted<CurationStatus>(['FEATURED', 'SUBMITTED', 'IN_REVIEW', 'DRAFT', 'NEEDS_REVISION'], (s) => ({ FEATURED: 75, SUBMITTED: 8, IN_REVIEW: 5, DRAFT: 7, NEEDS_REVISION: 5 })[s])
    : random.weighted<CurationStatus>(['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_REVISION'], (s) => ({ DRAFT: 30, SUBMITTED: 25, IN_REVIEW: 10, NEEDS_REVISION: 35, FEATURED: 0 })[s]);

  const createdAt = dateBetween(random, seller.createdAt.getTime(), GENERATED_UNTIL - 30 * DAY);
  const history = curationHistory(random, status, createdAt, `demo-operator-${seller.pesantrenId.slice(0, 8)}`, meetsRules, category);
  const rupiah = Math.round(random.int(template.rupiah[0], template.rupiah[1]) / 500) * 500;
  return {
    id,
    sellerId: seller.id,
    categorySlug: category.slug,
    slug: `${slugify(nameId)}-${id.slice(0, 8)}`,
    nameId,
    nameEn,
    descriptionId: `${template.descriptionId} Diproduksi oleh ${seller.name}, ${regency}. ${DEMO_NOTICE.id}`,
    descriptionEn: `${template.descriptionEn} Made by ${seller.name}, ${regency}. ${DEMO_NOTICE.en}`,
    priceRupiah: rupiah,
    stock: random.chance(0.05) ? 0 : random.int(1, 500),
    unit: template.unit,
    weightGrams: Math.round(random.int(template.grams[0], template.grams[1]) / 10) * 10,
    halalCertificateNumber,
    halalSelfDeclared,
    bpomNumber,
    pirtNumber,
    sniCertificateNumber,
    status,
    viewCount: status === 'FEATURED' ? random.int(40, 3_000) : random.int(0, 400),
    history,
    createdAt,
    updatedAt: history.at(-1)?.at ?? createdAt,
  };
}

function curationHistory(
  random: Random,
  status: CurationStatus,
  createdAt: Date,
  operator: string,
  meetsRules: boolean,
  category: CategoryRecord,
): CurationEventRecord[] {
  const path: Record<CurationStatus, CurationStatus[]> = {
    DRAFT: [],
    SUBMITTED: ['SUBMITTED'],
    IN_REVIEW: ['SUBMITTED', 'IN_REVIEW'],
    FEATURED: ['SUBMITTED', 'IN_REVIEW', 'FEATURED'],
    NEEDS_REVISION: ['SUBMITTED', 'IN_REVIEW', 'NEEDS_REVISION'],
  };
  const revisionReason = !meetsRules
    ? category.requiresHalal
      ? 'Nomor sertifikat halal atau izin edar belum dilengkapi.'
      : 'Izin edar belum dilengkapi.'
    : 'Foto dan deskripsi kemasan perlu diperbaiki.';
  const events: CurationEventRecord[] = [];
  let at = createdAt.getTime();
  let from: CurationStatus = 'DRAFT';
  for (const to of path[status]) {
    at = Math.min(at + random.int(1, 20) * DAY, GENERATED_UNTIL);
    events.push({
      fromStatus: from,
      toStatus: to,
      note: to === 'FEATURED' ? 'Lolos kurasi produk unggulan OPOP.' : to === 'NEEDS_REVISION' ? revisionReason : null,
      actor: to === 'SUBMITTED' ? operator : DEMO_ADMIN,
      at: new Date(at),
    });
    from = to;
  }
  return events;
}
