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

/** Column (or expression) of each dimension; fixed strings only, never client text. */
const DIMENSION_SQL: Record<EnrolmentDimension, string> = {
  REGENCY: 's.regency_code',
  PESANTREN: 's.pesantren_id',
  PROGRAMME: 's.programme_kind',
  GENDER: 's.gender',
  AGE_BAND: AGE_BAND_SQL,
  YEAR: 's.intake_year',
};

const list = <T extends z.ZodType>(item: T) => z.array(item).min(1, 'must not be empty when given').max(100, 'must list at most 100 values').nullish();

export const enrolmentQueryInput = z.object({
  groupBy: z
    .array(z.enum(ENROLMENT_DIMENSIONS))
    .max(4, 'must group by at most 4 dimensions')
    .refine((dimensions) => new Set(dimensions).size === dimensions.length, 'must not repeat a dimension'),
  filter: z
    .object({
      regencyCodes: list(regencyCode),
      pesantrenIds: list(z.string().refine(isUuid, 'must be valid ids')),
      programmeKinds: list(z.enum(PROGRAMME_KINDS)),
      genders: list(z.enum(GENDERS)),
      ageBands: list(z.enum(AGE_BANDS)),
      years: list(z.number().int().min(2000, 'must be 2000 or later').max(2100, 'must be a real year')),
    })
    .nullish(),
});
export type EnrolmentQuery = z.infer<typeof enrolmentQueryInput>;

/** Counts per group, straight from the database, before any suppression: never return these to a client. */
export async function rawEnrolmentCounts(em: EntityManager, query: EnrolmentQuery): Promise<CountCell[]> {
  const schema = em.config.get('schema');
  const conditions: string[] = [];
  const params: unknown[] = [];
  const anyOf = (sql: string, values: readonly unknown[] | null | undefined) => {
    if (!values?.length) return;
    conditions.push(`${sql} in (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  const filter = query.filter ?? {};
  anyOf('s.regency_code', filter.regencyCodes);
  anyOf('s.pesantren_id', filter.pesantrenIds?.map((id) => id.toLowerCase()));
  anyOf('s.programme_kind', filter.programmeKinds);
  anyOf('s.gender', filter.genders);
  anyOf(`(${AGE_BAND_SQL})`, filter.ageBands);
  anyOf('s.intake_year', filter.years);

  const columns = query.groupBy.map((dimension, index) => `${DIMENSION_SQL[dimension]} as d${index}`);
  const groups = query.groupBy.map((_, index) => String(index + 1));
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(
    `select ${[...columns, 'count(*)::int as n'].join(', ')}
     from "${schema}"."santri" s
     ${conditions.length ? `where ${conditions.join(' and ')}` : ''}
     ${groups.length ? `group by ${groups.join(', ')} order by ${groups.join(', ')}` : ''}`,
    params,
  );
  return rows
    .map((row) => ({ key: query.groupBy.map((_, index) => String(row[`d${index}`])), count: Number(row['n']) }))
    .filter((cell) => cell.count > 0);
}
