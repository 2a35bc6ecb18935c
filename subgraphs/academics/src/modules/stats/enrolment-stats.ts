import { regencyCode } from '@opop/identifiers';
import { badUserInput, isUuid, type EntityManager } from '@opop/server-kit';
import type { GraphQLError } from 'graphql';
import { z } from 'zod';
import { PROGRAMME_KINDS } from '../programme/programme.entity.ts';
import { GENDERS } from '../santri/santri.entity.ts';
import { addCells, EMPTY_CELL, KEY_MODULUS, publishedCount, THRESHOLD, type CellTotal } from './perturbation.ts';

export const ENROLMENT_DIMENSIONS = ['REGENCY', 'PESANTREN', 'PROGRAMME', 'GENDER', 'AGE_BAND', 'YEAR'] as const;
export type EnrolmentDimension = (typeof ENROLMENT_DIMENSIONS)[number];
export const AGE_BANDS = ['UNDER_13', 'AGE_13_TO_15', 'AGE_16_TO_18', 'AGE_19_AND_OVER'] as const;

const AGE_BAND_SQL = `case when s.intake_year - s.birth_year < 13 then 'UNDER_13'
  when s.intake_year - s.birth_year < 16 then 'AGE_13_TO_15'
  when s.intake_year - s.birth_year < 19 then 'AGE_16_TO_18' else 'AGE_19_AND_OVER' end`;

/** Column of each dimension in both rollups; fixed strings only, never client text. */
const COLUMN: Record<EnrolmentDimension, string> = {
  REGENCY: 'regency_code',
  PESANTREN: 'pesantren_id',
  PROGRAMME: 'programme_kind',
  GENDER: 'gender',
  AGE_BAND: 'age_band',
  YEAR: 'intake_year',
};

/** The rollup rows every enrolment updates, as opposed to a release's frozen copy (releases.ts). */
export const LIVE = 'live';

/**
 * The rollups, written in the transaction of every enrolment and rebuilt from the records after
 * a bulk load, so statistics never scan santri records: per regency (tens of thousands of rows at
 * programme scale, for statistics not broken down by pesantren), per pesantren (the smallest
 * published groups, a few hundred thousand rows), and per pesantren and one other dimension (the
 * common "each pesantren by gender" tables: one row per published group, nothing to add up).
 */
export const ROLLUP_TABLES = [
  { table: 'enrolment_count', keys: ['regency_code', 'programme_kind', 'gender', 'age_band', 'intake_year'], lateral: '' },
  { table: 'pesantren_enrolment_count', keys: ['pesantren_id', 'regency_code', 'programme_kind', 'gender', 'age_band', 'intake_year'], lateral: '' },
  {
    table: 'pesantren_enrolment_margin',
    keys: ['pesantren_id', 'dimension', 'value'],
    lateral: `cross join lateral (values ('ALL', ''), ('PROGRAMME', s.programme_kind), ('GENDER', s.gender), ('AGE_BAND', ${AGE_BAND_SQL}), ('YEAR', s.intake_year::text)) m(dimension, value)`,
  },
] as const;

const SANTRI_KEYS: Record<string, string> = {
  regency_code: 's.regency_code',
  pesantren_id: 's.pesantren_id',
  programme_kind: 's.programme_kind',
  gender: 's.gender',
  age_band: AGE_BAND_SQL,
  intake_year: 's.intake_year',
  dimension: 'm.dimension',
  value: 'm.value',
};

function rollupInsert(schema: string | undefined, rollup: (typeof ROLLUP_TABLES)[number], where: string): string {
  const keys = rollup.keys.join(', ');
  // Position 1 is the release; the keys follow.
  const groups = rollup.keys.map((_, index) => String(index + 2)).join(', ');
  return `insert into "${schema}"."${rollup.table}" (release, ${keys}, santri, key_sum)
    select '${LIVE}', ${rollup.keys.map((key) => SANTRI_KEYS[key]).join(', ')}, count(*), sum(s.record_key) % ${KEY_MODULUS}
    from "${schema}"."santri" s ${rollup.lateral} ${where} group by ${groups}`;
}

/** Adds the given santri to every rollup; run in the transaction that writes them. */
export async function addToEnrolmentCounts(em: EntityManager, santriIds: readonly string[]): Promise<void> {
  const schema = em.config.get('schema');
  for (const rollup of ROLLUP_TABLES) {
    await em.getConnection().execute(
      `${rollupInsert(schema, rollup, `where s.id in (${santriIds.map(() => '?').join(', ')})`)}
       on conflict (release, ${rollup.keys.join(', ')})
       do update set santri = "${rollup.table}".santri + excluded.santri,
         key_sum = ("${rollup.table}".key_sum + excluded.key_sum) % ${KEY_MODULUS}`,
      [...santriIds],
      'run',
      em.getTransactionContext(),
    );
  }
}

/** Rebuilds every rollup from the santri records (after a bulk load), releases dropped: the next read takes a new one. */
export async function rebuildEnrolmentCounts(em: EntityManager): Promise<void> {
  const schema = em.config.get('schema');
  const connection = em.getConnection();
  const ctx = em.getTransactionContext();
  await connection.execute(`delete from "${schema}"."statistics_release"`, [], 'run', ctx);
  for (const rollup of ROLLUP_TABLES) {
    await connection.execute(`delete from "${schema}"."${rollup.table}"`, [], 'run', ctx);
    await connection.execute(rollupInsert(schema, rollup, ''), [], 'run', ctx);
  }
}

/**
 * A filter fixes a dimension to one value. Several values are not taken: the union of any subset
 * of values would be a new group with noise of its own, and enough different unions that all
 * contain one small group would let its noise be averaged away. Group by the dimension instead
 * and add the published cells you need.
 */
const enrolmentFilter = z
  .object({
    regencyCode: regencyCode.nullish(),
    pesantrenId: z.string().refine(isUuid, 'must be a valid id').transform((id) => id.toLowerCase()).nullish(),
    programmeKind: z.enum(PROGRAMME_KINDS).nullish(),
    gender: z.enum(GENDERS).nullish(),
    ageBand: z.enum(AGE_BANDS).nullish(),
    year: z.number().int().min(2000, 'must be 2000 or later').max(2100, 'must be a real year').nullish(),
  })
  .nullish();

export const enrolmentQueryInput = z.object({
  groupBy: z
    .array(z.enum(ENROLMENT_DIMENSIONS))
    .max(4, 'must group by at most 4 dimensions')
    .refine((dimensions) => new Set(dimensions).size === dimensions.length, 'must not repeat a dimension'),
  filter: enrolmentFilter,
});
export type EnrolmentQuery = z.infer<typeof enrolmentQueryInput>;

/** The filter as dimension → value, the value as the database and the cell keys spell it. */
export type FixedValues = Partial<Record<EnrolmentDimension, string>>;

const FILTER_FIELDS = {
  REGENCY: 'regencyCode',
  PESANTREN: 'pesantrenId',
  PROGRAMME: 'programmeKind',
  GENDER: 'gender',
  AGE_BAND: 'ageBand',
  YEAR: 'year',
} as const satisfies Record<EnrolmentDimension, keyof NonNullable<EnrolmentQuery['filter']>>;

export function fixedValues(filter: EnrolmentQuery['filter']): FixedValues {
  const fixed: FixedValues = {};
  for (const dimension of ENROLMENT_DIMENSIONS) {
    const value = filter?.[FILTER_FIELDS[dimension]];
    if (value !== null && value !== undefined) fixed[dimension] = String(value);
  }
  return fixed;
}

/** Why a query is refused: `extensions.reason` of the BAD_USER_INPUT error, stable for clients. */
export const REFUSAL_REASONS = ['GROUPED_AND_FILTERED', 'IDENTIFYING_DIMENSIONS', 'POPULATION_BELOW_THRESHOLD', 'COMPLEMENT_BELOW_THRESHOLD', 'TOO_MANY_CELLS'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

const refusal = (reason: RefusalReason, message: string, field: string): GraphQLError => badUserInput(message, field, undefined, { reason });

/**
 * Refusals that depend on the shape of the query alone. A pesantren lies in one regency, and many
 * regencies hold only a few pesantren: REGENCY next to PESANTREN would publish a pesantren's count
 * under its regency's name, so the two are never combined, grouped or filtered.
 */
export function checkQueryShape(query: EnrolmentQuery): void {
  const fixed = fixedValues(query.filter);
  for (const dimension of query.groupBy) {
    if (fixed[dimension] !== undefined) {
      throw refusal('GROUPED_AND_FILTERED', `${dimension} is both grouped by and filtered to one value: do one or the other`, `filter.${FILTER_FIELDS[dimension]}`);
    }
  }
  const uses = (dimension: EnrolmentDimension) => query.groupBy.includes(dimension) || fixed[dimension] !== undefined;
  if (uses('REGENCY') && uses('PESANTREN')) {
    throw refusal(
      'IDENTIFYING_DIMENSIONS',
      'REGENCY and PESANTREN cannot be combined: a pesantren lies in one regency, and in a regency with few pesantren one would stand for the other. Use PESANTREN alone (each pesantren belongs to one regency), or REGENCY alone',
      query.groupBy.includes('PESANTREN') ? 'groupBy' : 'filter',
    );
  }
}

/**
 * Counts and cell keys per group of the given dimensions, among the santri matching `fixed`. Raw
 * totals: never return these to a client, only what `publishedCount` makes of them. Read from the
 * regency rollup unless the query groups or filters by pesantren.
 */
export async function cellTotals(em: EntityManager, release: string, fixed: FixedValues, groupBy: readonly EnrolmentDimension[]): Promise<{ key: string[]; total: CellTotal }[]> {
  const schema = em.config.get('schema');
  const perPesantren = groupBy.includes('PESANTREN') || fixed.PESANTREN !== undefined;
  // Each pesantren alone, or by one other dimension: read as they are from the margin rollup.
  const others = [...new Set([...groupBy, ...(Object.keys(fixed) as EnrolmentDimension[])])].filter((d) => d !== 'PESANTREN');
  if (perPesantren && others.length <= 1) {
    const dimension = others[0];
    const conditions = ['c.release = ?', `c.dimension = ?`, ...(fixed.PESANTREN !== undefined ? ['c.pesantren_id = ?'] : []), ...(dimension && fixed[dimension] !== undefined ? ['c.value = ?'] : [])];
    const params = [release, dimension ?? 'ALL', ...(fixed.PESANTREN !== undefined ? [fixed.PESANTREN] : []), ...(dimension && fixed[dimension] !== undefined ? [fixed[dimension]] : [])];
    const columns = groupBy.map((d, index) => `${d === 'PESANTREN' ? 'c.pesantren_id' : 'c.value'} as d${index}`);
    const rows = await em.getConnection().execute<Record<string, unknown>[]>(
      `select ${[...columns, 'c.santri as n', 'c.key_sum::text as k'].join(', ')}
       from "${schema}"."pesantren_enrolment_margin" c where ${conditions.join(' and ')}
       ${columns.length ? `order by ${columns.map((_, index) => String(index + 1)).join(', ')}` : ''}`,
      params,
      'all',
      em.getTransactionContext(),
    );
    if (groupBy.length === 0) {
      // One pesantren (filtered), possibly by a fixed value of another dimension: at most one row.
      const total = rows.reduce<CellTotal>((sum, row) => addCells(sum, { count: Number(row['n']), keySum: Number(row['k']) }), EMPTY_CELL);
      return total.count > 0 ? [{ key: [], total }] : [];
    }
    return rows.map((row) => ({ key: groupBy.map((_, index) => String(row[`d${index}`])), total: { count: Number(row['n']), keySum: Number(row['k']) } }));
  }
  const conditions: string[] = ['c.release = ?'];
  const params: unknown[] = [release];
  for (const dimension of ENROLMENT_DIMENSIONS) {
    const value = fixed[dimension];
    if (value === undefined) continue;
    conditions.push(`c.${COLUMN[dimension]} = ?`);
    params.push(dimension === 'YEAR' ? Number(value) : value);
  }
  const columns = groupBy.map((dimension, index) => `c.${COLUMN[dimension]} as d${index}`);
  const groups = groupBy.map((_, index) => String(index + 1));
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(
    `select ${[...columns, `coalesce(sum(c.santri), 0)::int as n, (coalesce(sum(c.key_sum), 0) % ${KEY_MODULUS})::text as k`].join(', ')}
     from "${schema}"."${perPesantren ? 'pesantren_enrolment_count' : 'enrolment_count'}" c
     where ${conditions.join(' and ')}
     ${groups.length ? `group by ${groups.join(', ')} order by ${groups.join(', ')}` : ''}`,
    params,
    'all',
    em.getTransactionContext(),
  );
  return rows
    .map((row) => ({ key: groupBy.map((_, index) => String(row[`d${index}`])), total: { count: Number(row['n']), keySum: Number(row['k']) } }))
    .filter((cell) => cell.total.count > 0);
}

const cellOf = async (em: EntityManager, release: string, fixed: FixedValues): Promise<CellTotal> => (await cellTotals(em, release, fixed, []))[0]?.total ?? EMPTY_CELL;

/** A published number of the table; cells under the threshold are left out, not listed as hidden. */
export interface PublishedCell {
  key: readonly string[];
  count: number;
}

export interface PublishedTable {
  cells: PublishedCell[];
  /** margins[d]: the published total of each value of grouped dimension d; empty below two dimensions. */
  margins: PublishedCell[][];
  total: number;
}

/**
 * The refusals that depend on the data, as statistical agencies apply them to ad-hoc tables: the
 * santri a filter selects must be at least the threshold, and so must the santri each filter
 * condition leaves out of the table it narrows (otherwise "everyone but a few" would describe the
 * few). Both are judged on published numbers only, so a refusal says nothing that the published
 * numbers do not.
 */
async function checkPopulation(em: EntityManager, release: string, fixed: FixedValues): Promise<number> {
  const population = publishedCount(await cellOf(em, release, fixed));
  if (population === null) {
    throw refusal('POPULATION_BELOW_THRESHOLD', `The filter selects fewer than ${THRESHOLD} santri (or none): widen it`, 'filter');
  }
  for (const dimension of Object.keys(fixed) as EnrolmentDimension[]) {
    const { [dimension]: _dropped, ...wider } = fixed;
    const widerPopulation = publishedCount(await cellOf(em, release, wider));
    if (widerPopulation === null || widerPopulation - population < THRESHOLD) {
      throw refusal(
        'COMPLEMENT_BELOW_THRESHOLD',
        `The condition ${FILTER_FIELDS[dimension]} leaves out fewer than ${THRESHOLD} santri of the rest of the filter, who could be worked out by subtraction: drop this condition`,
        `filter.${FILTER_FIELDS[dimension]}`,
      );
    }
  }
  return population;
}

/**
 * One statistics table: every group of the grouped dimensions (the cells), the totals of each
 * grouped dimension's values (the margins, when grouping by two or more) and the grand total, each
 * published by the cell key method. Every number is the perturbed count of one group of santri,
 * the same number any other query about the same santri gets.
 */
/**
 * The most numbers one table (its cells, or one margin) may publish: the maximum the SDL declares
 * with @listSize, which the router's cost model multiplies by. Checked on the published numbers, so
 * a refusal says no more than the answer would have (that it holds over this many numbers).
 */
export const MAX_ENROLMENT_CELLS = 5000;

export async function enrolmentTable(em: EntityManager, release: string, query: EnrolmentQuery, maxCells = MAX_ENROLMENT_CELLS): Promise<PublishedTable> {
  checkQueryShape(query);
  const fixed = fixedValues(query.filter);
  const total = await checkPopulation(em, release, fixed);
  if (query.groupBy.length === 0) return { cells: [], margins: [], total };

  const rows = await cellTotals(em, release, fixed, query.groupBy);
  const publish = (cells: readonly { key: readonly string[]; total: CellTotal }[]): PublishedCell[] =>
    cells.flatMap((cell) => {
      const count = publishedCount(cell.total);
      return count === null ? [] : [{ key: cell.key, count }];
    });
  const margins =
    query.groupBy.length < 2
      ? []
      : query.groupBy.map((_, d) => {
          const byValue = new Map<string, CellTotal>();
          for (const row of rows) byValue.set(row.key[d]!, addCells(byValue.get(row.key[d]!) ?? EMPTY_CELL, row.total));
          return publish([...byValue].sort(([a], [b]) => a.localeCompare(b)).map(([value, cell]) => ({ key: [value], total: cell })));
        });
  const cells = publish(rows);
  if ([cells, ...margins].some((list) => list.length > maxCells)) {
    throw refusal('TOO_MANY_CELLS', `The table would publish more than ${maxCells} numbers: group by fewer dimensions, or filter`, 'groupBy');
  }
  return { cells, margins, total };
}
