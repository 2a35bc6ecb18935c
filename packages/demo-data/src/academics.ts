import { Random, demoId } from './random.ts';
import type { DemoWorld } from './world.ts';

/**
 * The academic side of the demo world: programmes per pesantren, Santripreneur labs linked to the
 * products their santri make, and fictional santri with guardian consent records. Santri carry
 * only a pseudonymous id, birth year, gender, programme and intake year: never names, NIK, NISN
 * or health data.
 */

export const PROGRAMME_KINDS = ['MTS', 'MA', 'SMK', 'DINIYAH', 'TAHFIDZ', 'VOCATIONAL_TRAINING', 'ENTREPRENEURSHIP_LAB'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];
export const GENDERS = ['FEMALE', 'MALE'] as const;
export type Gender = (typeof GENDERS)[number];
export const CONSENT_PURPOSES = ['RESEARCH', 'PROGRAMME_EVALUATION'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
export const LAB_FOCUSES = ['FOOD_PROCESSING', 'FASHION', 'CRAFTS', 'AGRICULTURE', 'PERSONAL_CARE'] as const;
export type LabFocus = (typeof LAB_FOCUSES)[number];
export const LAB_ACTIVITY_KINDS = ['TRAINING', 'PRODUCTION', 'MENTORING', 'EXHIBITION', 'MARKETING'] as const;
export type LabActivityKind = (typeof LAB_ACTIVITY_KINDS)[number];

/** Santri in East Java in 2019, the programme's own figure. */
export const PROGRAMME_SCALE_SANTRI = 761_777;
/** The demo keeps the programme's average of about 171 santri per pesantren. */
const SANTRI_PER_PESANTREN = PROGRAMME_SCALE_SANTRI / 4_452;

export interface ProgrammeRecord {
  id: string;
  pesantrenId: string;
  regencyCode: string;
  kind: ProgrammeKind;
  name: string;
  establishedYear: number;
}

export interface LabActivityRecord {
  kind: LabActivityKind;
  titleId: string;
  titleEn: string;
  on: string;
  participants: number;
}

export interface LabRecord {
  id: string;
  pesantrenId: string;
  programmeId: string;
  name: string;
  focus: LabFocus;
  productIds: string[];
  activities: LabActivityRecord[];
}

export interface SantriRecord {
  id: string;
  pesantrenId: string;
  programmeId: string;
  regencyCode: string;
  programmeKind: ProgrammeKind;
  birthYear: number;
  gender: Gender;
  enrolmentYear: number;
  /** Purposes the guardian consented to, with the consent form's reference; empty when none. */
  consents: { purpose: ConsentPurpose; relationship: 'FATHER' | 'MOTHER' | 'GUARDIAN'; evidence: string; grantedOn: string }[];
}

export interface AcademicsWorld {
  programmes: ProgrammeRecord[];
  labs: LabRecord[];
  /** How many santri each programme has; `santriBatches` yields them without holding all in memory. */
  santriPerProgramme: Map<string, number>;
  santriCount: number;
}

const PROGRAMME_NAMES: Record<ProgrammeKind, string> = {
  MTS: 'Madrasah Tsanawiyah',
  MA: 'Madrasah Aliyah',
  SMK: 'SMK',
  DINIYAH: 'Madrasah Diniyah',
  TAHFIDZ: "Program Tahfidz Al-Qur'an",
  VOCATIONAL_TRAINING: 'Balai Latihan Kerja Komunitas',
  ENTREPRENEURSHIP_LAB: 'Lab Santripreneur',
};

/** Age at intake for each kind of programme: [youngest, oldest]. */
const INTAKE_AGE: Record<ProgrammeKind, readonly [number, number]> = {
  MTS: [12, 13],
  MA: [15, 16],
  SMK: [15, 16],
  DINIYAH: [7, 17],
  TAHFIDZ: [9, 20],
  VOCATIONAL_TRAINING: [16, 24],
  ENTREPRENEURSHIP_LAB: [14, 22],
};

/** Relative size of each kind of programme within a pesantren. */
const PROGRAMME_WEIGHT: Record<ProgrammeKind, number> = {
  MTS: 30,
  MA: 25,
  SMK: 15,
  DINIYAH: 40,
  TAHFIDZ: 10,
  VOCATIONAL_TRAINING: 6,
  ENTREPRENEURSHIP_LAB: 4,
};

const LAB_ACTIVITIES: readonly { kind: LabActivityKind; id: string; en: string }[] = [
  { kind: 'TRAINING', id: 'Bimtek desain kemasan produk', en: 'Technical training on product packaging' },
  { kind: 'TRAINING', id: 'Pelatihan pemasaran digital', en: 'Digital marketing training' },
  { kind: 'MENTORING', id: 'Pendampingan sertifikasi halal', en: 'Halal certification mentoring' },
  { kind: 'MENTORING', id: 'Pendampingan izin P-IRT', en: 'P-IRT permit mentoring' },
  { kind: 'PRODUCTION', id: 'Produksi bersama santri', en: 'Production run with santri' },
  { kind: 'EXHIBITION', id: 'Pameran produk OPOP Jawa Timur', en: 'OPOP East Java product exhibition' },
  { kind: 'MARKETING', id: 'Bazar produk santri', en: 'Santri product bazaar' },
];

const FOCUS_BY_CATEGORY: Record<string, LabFocus> = {
  'makanan-ringan': 'FOOD_PROCESSING', 'kopi-teh': 'FOOD_PROCESSING', 'madu-herbal': 'FOOD_PROCESSING', 'bumbu-olahan': 'FOOD_PROCESSING',
  'kue-jajanan': 'FOOD_PROCESSING', 'air-minum': 'FOOD_PROCESSING', sarung: 'FASHION', batik: 'FASHION', 'peci-songkok': 'FASHION',
  pakaian: 'FASHION', kaligrafi: 'CRAFTS', 'anyaman-kayu': 'CRAFTS', 'kitab-buku': 'CRAFTS', 'beras-palawija': 'AGRICULTURE',
  'hasil-ternak': 'AGRICULTURE', 'pupuk-organik': 'AGRICULTURE', 'sabun-minyak-herbal': 'PERSONAL_CARE',
};

const isoDate = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

export function generateAcademics(world: DemoWorld): AcademicsWorld {
  const regencyOf = new Map(world.pesantren.map((p) => [p.id, p.regencyCode]));
  const programmes: ProgrammeRecord[] = [];
  const labs: LabRecord[] = [];
  for (const pesantren of world.pesantren) {
    const random = Random.for(`programmes:${pesantren.id}`);
    const shortName = pesantren.name.replace(/^Pondok (Pesantren|Modern) /, '');
    const kinds = PROGRAMME_KINDS.filter((kind) =>
      kind === 'ENTREPRENEURSHIP_LAB'
        ? pesantren.pillars.includes('SANTRIPRENEUR')
        : random.chance({ MTS: 0.6, MA: 0.5, SMK: 0.2, DINIYAH: 0.85, TAHFIDZ: 0.4, VOCATIONAL_TRAINING: 0.25 }[kind]),
    );
    if (!kinds.some((kind) => kind !== 'ENTREPRENEURSHIP_LAB')) kinds.unshift('DINIYAH');
    for (const kind of kinds) {
      programmes.push({
        id: demoId('programme', `${pesantren.id}:${kind}`),
        pesantrenId: pesantren.id,
        regencyCode: regencyOf.get(pesantren.id)!,
        kind,
        name: `${PROGRAMME_NAMES[kind]} ${shortName}`,
        establishedYear: kind === 'ENTREPRENEURSHIP_LAB' ? random.int(pesantren.memberSince, 2024) : random.int(1950, 2018),
      });
    }
  }

  const productsBySeller = Map.groupBy(world.products, (product) => product.sellerId);
  for (const programme of programmes.filter((p) => p.kind === 'ENTREPRENEURSHIP_LAB')) {
    const random = Random.for(`lab:${programme.id}`);
    const seller = world.sellers.find((s) => s.pesantrenId === programme.pesantrenId && s.pillar === 'SANTRIPRENEUR');
    const products = seller ? (productsBySeller.get(seller.id) ?? []).slice(0, 6) : [];
    const activities = random.sample(LAB_ACTIVITIES, random.int(3, 5)).map((activity) => {
      const year = random.int(Math.max(programme.establishedYear, 2020), 2025);
      return { kind: activity.kind, titleId: activity.id, titleEn: activity.en, on: isoDate(year, random.int(1, year === 2025 ? 6 : 12), random.int(1, 28)), participants: random.int(12, 80) };
    });
    labs.push({
      id: demoId('lab', programme.id),
      pesantrenId: programme.pesantrenId,
      programmeId: programme.id,
      name: programme.name,
      focus: FOCUS_BY_CATEGORY[products[0]?.categorySlug ?? ''] ?? random.pick(LAB_FOCUSES),
      productIds: products.map((product) => product.id),
      activities: activities.sort((a, b) => a.on.localeCompare(b.on)),
    });
  }

  const target = world.scale === 'full' ? PROGRAMME_SCALE_SANTRI : Math.round(world.pesantren.length * SANTRI_PER_PESANTREN);
  const wellKnown = new Set(world.pesantren.slice(0, 5).map((p) => p.id));
  const santriPerProgramme = distribute(target, programmes, (programme) => {
    const random = Random.for(`size:${programme.pesantrenId}`);
    // Most pesantren are small; a few are very large (the well-known ones among them).
    const pesantrenSize = random.chance(0.06) || wellKnown.has(programme.pesantrenId) ? random.int(800, 3_000) : random.int(20, 260);
    return pesantrenSize * PROGRAMME_WEIGHT[programme.kind];
  });
  return { programmes, labs, santriPerProgramme, santriCount: target };
}

/** Splits `total` over the items in proportion to their weights, exactly (largest remainders). */
function distribute<T extends { id: string }>(total: number, items: readonly T[], weight: (item: T) => number): Map<string, number> {
  const weights = items.map(weight);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let remainder = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((value, index) => [value - Math.floor(value), index] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, index] of order) {
    if (remainder-- <= 0) break;
    counts[index]! += 1;
  }
  return new Map(items.map((item, index) => [item.id, counts[index]!]));
}

/**
 * Yields the santri of every programme in batches, generated on the fly: programme scale is
 * 761,777 records, which the seeders stream into the database instead of holding in memory.
 */
export function* santriBatches(academics: AcademicsWorld, batchSize = 5_000): Generator<SantriRecord[]> {
  let batch: SantriRecord[] = [];
  for (const programme of academics.programmes) {
    const count = academics.santriPerProgramme.get(programme.id) ?? 0;
    const random = Random.for(`santri:${programme.id}`);
    const femaleShare = random.int(20, 80) / 100;
    for (let index = 0; index < count; index++) {
      const enrolmentYear = random.int(2019, 2025);
      const [youngest, oldest] = INTAKE_AGE[programme.kind];
      const consents = CONSENT_PURPOSES.filter((purpose) => random.chance(purpose === 'RESEARCH' ? 0.55 : 0.7)).map((purpose) => ({
        purpose,
        relationship: random.pick(['FATHER', 'MOTHER', 'GUARDIAN'] as const),
        evidence: `FPW-${enrolmentYear}-${random.digits(6)}`,
        grantedOn: isoDate(enrolmentYear, random.int(6, 8), random.int(1, 28)),
      }));
      batch.push({
        id: demoId('santri', `${programme.id}:${index}`),
        pesantrenId: programme.pesantrenId,
        programmeId: programme.id,
        regencyCode: programme.regencyCode,
        programmeKind: programme.kind,
        birthYear: enrolmentYear - random.int(youngest, oldest),
        gender: random.chance(femaleShare) ? 'FEMALE' : 'MALE',
        enrolmentYear,
        consents,
      });
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}
