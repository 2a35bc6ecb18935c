import { isUuid, type EntityManager } from '@opop/server-kit';
import { regencyCode } from '@opop/identifiers';
import { z } from 'zod';
import { PROGRAMME_KINDS } from '../programme/programme.entity.ts';
import { GENDERS } from '../santri/santri.entity.ts';
import type { CountCell } from './suppression.ts';

export const ENROLMENT_DIMENSIONS = ['REGENCY', 'PESANTREN', 'PROGRAMME', 'GENDER', 'AGE_BAND', 'YEAR'] as const;
export type EnrolmentDimension = (typeof ENROLMENT_DIMENSIONS)[number];
export const AGE_BANDS = ['UNDER_13', 'AGE_13_TO_15', 'AGE_16_TO_18', 'AGE_19_AND_OVER'] as const;

/** Publication threshold: a count of fewer people than this is never shown. */
export const SUPPRESSION_THRESHOLD = 10;

const AGE_BAND_SQL = `case when s.intake_year - s.birth_year < 13 then 'UNDER_13'
  when s.intake_year - s.birth_year < 16 then 'AGE_13_TO_15'
  when s.intake_year - s.birth_year < 19 then 'AGE_16_TO_18' else 'AGE_19_AND_OVER' end`;

/** Column (or expression) of each dimension over `santri s`; fixed strings only, never client text. */
const SANTRI_SQL: Record<EnrolmentDimension, string> = {
  REGENCY: 's.regency_code',
  PESANTREN: 's.pesantren_id',
  PROGRAMME: 's.programme_kind',
  GENDER: 's.gender',
  AGE_BAND: AGE_BAND_SQL,
  YEAR: 's.intake_year',
};

/** The same dimensions over the `enrolment_count c` rollup, which has no pesantren. */
const ROLLUP_SQL: Record<Exclude<EnrolmentDimension, 'PESANTREN'>, string> = {
  REGENCY: 'c.regency_code',
  PROGRAMME: 'c.programme_kind',
  GENDER: 'c.gender',
  AGE_BAND: 'c.age_band',
  YEAR: 'c.intake_year',
};

/** Adds (or creates) the rollup rows of the given santri; run in the transaction that writes them. */
export async function addToEnrolmentCounts(em: EntityManager, santriIds: readonly string[]): Promise<void> {
  const schema = em.config.get('schema');
  await em.getConnection().execute(
    `insert into "${schema}"."enrolment_count" (regency_code, programme_kind, gender, age_band, intake_year, santri)
     select s.regency_code, s.programme_kind, s.gender, ${AGE_BAND_SQL}, s.intake_year, count(*)
     from "${schema}"."santri" s where s.id in (${santriIds.map(() => '?').join(', ')})
     group by 1, 2, 3, 4, 5
     on conflict (regency_code, programme_kind, gender, age_band, intake_year)
     do update set santri = "enrolment_count".santri + excluded.santri`,
    [...santriIds],
    'run',
    em.getTransactionContext(),
  );
}

/** Rebuilds the whole rollup from the santri records (after a bulk load). */
export async function rebuildEnrolmentCounts(em: EntityManager): Promise<void> {
  const schema = em.config.get('schema');
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  await connection.execute(`delete from "${schema}"."enrolment_count"`, [], 'run', ctx);
  await connection.execute(
    `insert into "${schema}"."enrolment_count" (regency_code, programme_kind, gender, age_band, intake_year, santri)
     select s.regency_code, s.programme_kind, s.gender, ${AGE_BAND_SQL}, s.intake_year, count(*)
     from "${schema}"."santri" s group by 1, 2, 3, 4, 5`,
    [],
    'run',
    ctx,
  );
}

/** A filter's list of values: absent, or 1 to 100 of them. */
export const filterList = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must not be empty when given').max(100, 'must list at most 100 values').nullish();

export const enrolmentQueryInput = z.object({
  groupBy: z
    .array(z.enum(ENROLMENT_DIMENSIONS))
    .max(4, 'must group by at most 4 dimensions')
    .refine((dimensions) => new Set(dimensions).size === dimensions.length, 'must not repeat a dimension'),
  filter: z
    .object({
      regencyCodes: filterList(regencyCode),
      pesantrenIds: filterList(z.string().refine(isUuid, 'must be valid ids')),
      programmeKinds: filterList(z.enum(PROGRAMME_KINDS)),
      genders: filterList(z.enum(GENDERS)),
      ageBands: filterList(z.enum(AGE_BANDS)),
      years: filterList(z.number().int().min(2000, 'must be 2000 or later').max(2100, 'must be a real year')),
    })
    .nullish(),
});
export type EnrolmentQuery = z.infer<typeof enrolmentQueryInput>;

/**
 * Counts per group, before any suppression: never return these to a client. Queries that neither
 * group nor filter by pesantren read the rollup (tens of thousands of rows at programme scale);
 * the others read the santri records, narrowed by their pesantren filter.
 */
export async function rawEnrolmentCounts(em: EntityManager, query: EnrolmentQuery): Promise<CountCell[]> {
  const schema = em.config.get('schema');
  const filter = query.filter ?? {};
  const perPesantren = query.groupBy.includes('PESANTREN') || Boolean(filter.pesantrenIds?.length);
  const column = (dimension: EnrolmentDimension) =>
    perPesantren || dimension === 'PESANTREN' ? SANTRI_SQL[dimension] : ROLLUP_SQL[dimension as Exclude<EnrolmentDimension, 'PESANTREN'>];
  const conditions: string[] = [];
  const params: unknown[] = [];
  const anyOf = (dimension: EnrolmentDimension, values: readonly unknown[] | null | undefined) => {
    if (!values?.length) return;
    conditions.push(`(${column(dimension)}) in (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  anyOf('REGENCY', filter.regencyCodes);
  anyOf('PESANTREN', filter.pesantrenIds?.map((id) => id.toLowerCase()));
  anyOf('PROGRAMME', filter.programmeKinds);
  anyOf('GENDER', filter.genders);
  anyOf('AGE_BAND', filter.ageBands);
  anyOf('YEAR', filter.years);

  const columns = query.groupBy.map((dimension, index) => `${column(dimension)} as d${index}`);
  const groups = query.groupBy.map((_, index) => String(index + 1));
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(
    `select ${[...columns, perPesantren ? 'count(*)::int as n' : 'coalesce(sum(c.santri), 0)::int as n'].join(', ')}
     from ${perPesantren ? `"${schema}"."santri" s` : `"${schema}"."enrolment_count" c`}
     ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
     ${groups.length ? `group by ${groups.join(', ')} order by ${groups.join(', ')}` : ''}`,
    params,
  );
  return rows
    .map((row) => ({ key: query.groupBy.map((_, index) => String(row[`d${index}`])), count: Number(row['n']) }))
    .filter((cell) => cell.count > 0);
}
