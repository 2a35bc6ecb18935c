import { generateAcademics, generateWorld, santriBatches, type SantriRecord } from '@opop/demo-data';
import type { EntityReferences, Identity } from '@opop/server-kit';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { adminIdentity, countQueries, identityHeaders, operatorIdentity, schemaDrift, testEngines } from '@opop/server-kit/testing';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAcademics } from '../seeders/academics.seeder.ts';
import { createAcademicsService } from '../src/app.ts';
import { EntrepreneurshipLab, MAX_LAB_ACTIVITIES_LISTED, MAX_LAB_PRODUCTS_LISTED } from '../src/modules/lab/lab.entity.ts';
import { MAX_LABS_PER_PESANTREN } from '../src/modules/lab/lab.repository.ts';
import { Programme } from '../src/modules/programme/programme.entity.ts';
import { MAX_PROGRAMMES_PER_PESANTREN } from '../src/modules/programme/programme.repository.ts';
import { Santri } from '../src/modules/santri/santri.entity.ts';
import { addCells, EMPTY_CELL, publishedCount, publishedToTens, type CellTotal } from '../src/modules/stats/perturbation.ts';
import { cellTotals, enrolmentQueryInput, enrolmentTable } from '../src/modules/stats/enrolment-stats.ts';
import { StatisticsReleases } from '../src/modules/stats/releases.ts';

const world = generateWorld('demo');
const academics = generateAcademics(world);
const santri: SantriRecord[] = [...santriBatches(academics)].flat();
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;
/**
 * What the pesantren subgraph answers about the demo pesantren (the router's suites ask the real
 * one over HTTP): academics checks each new programme's pesantren and regency against it.
 */
const demoPesantrenRegister: EntityReferences = {
  resolve: async <T extends { id: string }>(_typename: string, ids: readonly string[]) =>
    new Map(world.pesantren.filter((p) => ids.includes(p.id)).map((p) => [p.id, { id: p.id, regency: { code: p.regencyCode } } as unknown as T])),
};
const partner = { role: 'academic_partner' as const, subject: 'test-partner', pesantrenId: null, scopes: ['academics:aggregate'] };

type TypeRef = { name: string | null; kind: string; ofType?: TypeRef | null };
const namedType = (type: TypeRef): string | null => (type.ofType ? namedType(type.ofType) : type.name);

type Stats = {
  cells: { key: Record<string, unknown>; count: number }[];
  margins: { dimension: string; cells: { key: Record<string, unknown>; count: number }[] }[];
  total: number;
  threshold: number;
};

const STATS = `query($groupBy: [EnrolmentDimension!]!, $filter: EnrolmentFilter) {
  enrolmentStats(groupBy: $groupBy, filter: $filter) {
    threshold total
    cells { key { regency { code } pesantren { id } programme gender ageBand year } count }
    margins { dimension cells { key { regency { code } pesantren { id } programme gender ageBand year } count } }
  } }`;

const ageBand = (s: SantriRecord) => {
  const age = s.enrolmentYear - s.birthYear;
  return age < 13 ? 'UNDER_13' : age < 16 ? 'AGE_13_TO_15' : age < 19 ? 'AGE_16_TO_18' : 'AGE_19_AND_OVER';
};
const keyOf = (key: Record<string, unknown>) =>
  JSON.stringify([
    (key['regency'] as { code: string } | null)?.code ?? null,
    (key['pesantren'] as { id: string } | null)?.id ?? null,
    key['programme'] ?? null,
    key['gender'] ?? null,
    key['ageBand'] ?? null,
    key['year'] ?? null,
  ]);
describe.each(testEngines())('academics subgraph on $name', (engine) => {
  const subgraph = useTestSubgraph('academics', engine, {
    create: (config) => createAcademicsService(config, undefined, { pesantrenReferences: demoPesantrenRegister }),
    seed: (em) => loadAcademics(em, world),
  });
  const { gql } = subgraph;
  /** Each santri's dimensions as the statistics read them, with the record key the database drew. */
  let records: { regency: string; pesantren: string; programme: string; gender: string; ageBand: string; year: number; recordKey: number }[] = [];
  const groupOf = (keep: (record: (typeof records)[number]) => boolean): CellTotal =>
    records.filter(keep).reduce((total, record) => addCells(total, { count: 1, keySum: record.recordKey }), EMPTY_CELL);

  beforeAll(async () => {
    if (engine.skip) return;
    const { database } = subgraph.service;
    const rows = await database.orm.em
      .getConnection()
      .execute<Record<string, string | number>[]>(`select regency_code, pesantren_id, programme_kind, gender, birth_year, intake_year, record_key::text as k from "${database.schema}".santri`);
    records = rows.map((row) => ({
      regency: String(row['regency_code']),
      pesantren: String(row['pesantren_id']),
      programme: String(row['programme_kind']),
      gender: String(row['gender']),
      ageBand: ageBand({ enrolmentYear: Number(row['intake_year']), birthYear: Number(row['birth_year']) } as SantriRecord),
      year: Number(row['intake_year']),
      recordKey: Number(row['k']),
    }));
  });

  describe.skipIf(Boolean(engine.skip))('public summaries', () => {
    it('migrations build exactly the schema the entities describe', async () => {
      expect(await schemaDrift(subgraph.service.database)).toBe('');
    });

    it('summarises every pesantren’s education in three batched SQL queries, counts perturbed and rounded to tens', async () => {
      const representations = world.pesantren.map((p) => ({ __typename: 'Pesantren', id: p.id }));
      // The first read of the year takes the statistics release; count the queries of the reads after it.
      await gql(`{ _entities(representations: [{ __typename: "Pesantren", id: "${sidogiri.id}" }]) { ... on Pesantren { academics { santriCount } } } }`);
      const { result, queries } = await countQueries(subgraph.service.database, () =>
        gql<{ _entities: { academics: { santriCount: number | null; programmes: { kind: string; santriCount: number | null }[]; labs: { name: string; products: { id: string }[] }[] } }[] }>(
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Pesantren { academics { santriCount programmes { kind santriCount } labs { name products { id } } } } } }',
          { r: representations },
        ),
      );
      expect(result.errors).toBeUndefined();
      expect(queries.length).toBeLessThanOrEqual(3);
      world.pesantren.forEach((pesantren, index) => {
        const summary = result.data!._entities[index]!.academics;
        expect(summary.santriCount).toBe(publishedToTens(groupOf((r) => r.pesantren === pesantren.id)));
        expect((summary.santriCount ?? 0) % 10).toBe(0);
        for (const programme of summary.programmes) expect(programme.santriCount).toBe(publishedToTens(groupOf((r) => r.pesantren === pesantren.id && r.programme === programme.kind)));
        expect(summary.programmes.map((p) => p.kind).sort()).toEqual(academics.programmes.filter((p) => p.pesantrenId === pesantren.id).map((p) => p.kind).sort());
      });
      const lab = result.data!._entities[0]!.academics.labs[0]!;
      expect(lab.products.map((p) => p.id)).toEqual(academics.labs.find((l) => l.pesantrenId === sidogiri.id)!.productIds);
    });

    it('shows santri records only through santriRecords, and never the operator’s pseudonymous id or consent evidence', async () => {
      const { data } = await gql<{ __schema: { types: { name: string; kind: string; fields: { name: string; type: TypeRef }[] | null }[] } }>(
        '{ __schema { types { name kind fields { name type { name kind ofType { name kind ofType { name kind ofType { name kind } } } } } } } }',
      );
      const objects = data!.__schema.types.filter((t) => t.kind === 'OBJECT');
      const outputFields = objects.flatMap((t) => (t.fields ?? []).map((f) => `${t.name}.${f.name}`));
      // Only the operator's own receipt carries the pseudonymous id; nothing anywhere returns consent evidence.
      expect(outputFields.filter((f) => /evidence/i.test(f))).toEqual([]);
      expect(outputFields.filter((f) => /pseudonymous/i.test(f))).toEqual(['EnrolmentReceipt.pseudonymousId']);
      expect(outputFields.filter((f) => /\.(birthYear|intakeYear)$/i.test(f)).sort()).toEqual(['SantriRecord.birthYear', 'SantriRecord.intakeYear']);
      expect(data!.__schema.types.some((t) => t.name === 'Santri')).toBe(false);
      // The record type is reachable from one field only (its page), and that page from santriRecords only.
      const returning = (typeName: string) =>
        objects.flatMap((t) => (t.fields ?? []).filter((f) => namedType(f.type) === typeName).map((f) => `${t.name}.${f.name}`));
      expect(returning('SantriRecord')).toEqual(['SantriRecordConnection.nodes']);
      expect(returning('SantriRecordConnection')).toEqual(['Query.santriRecords']);
    });

    it('serves santri records without a PSEUDONYM_SECRET outside production, under a key of its own', async () => {
      const researcher = { ...partner, scopes: ['academics:records'], partnerId: '5c1b7d2e-4a4f-4e8a-9b0e-2f3d4c5b6a7e' };
      const response = await gql<{ santriRecords: { nodes: { pseudonym: string }[] } }>(
        `{ santriRecords(purpose: RESEARCH, first: 50) { nodes { pseudonym } } }`,
        {},
        await identityHeaders(researcher),
      );
      expect(response.errors).toBeUndefined();
      const pseudonyms = response.data!.santriRecords.nodes.map((r) => r.pseudonym);
      expect(pseudonyms).toHaveLength(50);
      const ids = new Set(santri.map((s) => s.id));
      expect(pseudonyms.filter((p) => ids.has(p))).toEqual([]);
    });
  });

  describe.skipIf(Boolean(engine.skip))('enrolment statistics', () => {
    it('need the academics:aggregate scope, held by an academic partner or a programme admin', async () => {
      const ask = async (identity?: Identity) => gql(STATS, { groupBy: ['REGENCY'] }, identity ? await identityHeaders(identity) : {});
      expectError(await ask(), 'UNAUTHENTICATED');
      expectError(await ask({ ...partner, scopes: [] }), 'FORBIDDEN');
      expectError(await ask(operatorIdentity(sidogiri.id)), 'FORBIDDEN');
      // The scope alone is not enough: an operator holding it is still refused, by the field's @policy.
      expectError(await ask({ ...operatorIdentity(sidogiri.id), scopes: ['academics:aggregate'] }), 'FORBIDDEN');
      expect((await ask(partner)).errors).toBeUndefined();
      expect((await ask({ ...adminIdentity(), scopes: ['academics:aggregate'] })).errors).toBeUndefined();
    });

    it.each([
      [['REGENCY', 'PROGRAMME'], null],
      [['GENDER', 'AGE_BAND', 'YEAR'], null],
      [['PESANTREN', 'GENDER'], { programmeKind: 'MA' }],
      [['PROGRAMME', 'YEAR'], { pesantrenId: sidogiri.id }],
    ])('grouped by %j (filter %j): every group’s perturbed count, none under 10, the same number by any route', async (dims, filter) => {
      const response = await gql<{ enrolmentStats: Stats }>(STATS, { groupBy: dims, filter }, await identityHeaders(partner));
      expect(response.errors).toBeUndefined();
      const stats = response.data!.enrolmentStats;
      const only = (filter ?? {}) as { programmeKind?: string; pesantrenId?: string };
      const inFilter = (r: (typeof records)[number]) => (!only.programmeKind || r.programme === only.programmeKind) && (!only.pesantrenId || r.pesantren === only.pesantrenId);
      const valueOf = (r: (typeof records)[number], dimension: string) =>
        ({ REGENCY: r.regency, PESANTREN: r.pesantren, PROGRAMME: r.programme, GENDER: r.gender, AGE_BAND: r.ageBand, YEAR: r.year })[dimension];
      const keyOfRecord = (r: (typeof records)[number], grouped: string[]) =>
        JSON.stringify(['REGENCY', 'PESANTREN', 'PROGRAMME', 'GENDER', 'AGE_BAND', 'YEAR'].map((d) => (grouped.includes(d) ? valueOf(r, d) : null)));
      const groups = new Map<string, CellTotal>();
      for (const r of records.filter(inFilter)) groups.set(keyOfRecord(r, dims), addCells(groups.get(keyOfRecord(r, dims)) ?? EMPTY_CELL, { count: 1, keySum: r.recordKey }));
      const expected = [...groups].flatMap(([key, total]) => (publishedCount(total) === null ? [] : [[key, publishedCount(total)]]));
      expect(new Map(stats.cells.map((cell) => [keyOf(cell.key), cell.count]))).toEqual(new Map(expected as [string, number][]));
      expect(stats.cells.every((cell) => cell.count >= stats.threshold)).toBe(true);
      expect(stats.total).toBe(publishedCount(groupOf(inFilter)));
      for (const margin of stats.margins) {
        for (const cell of margin.cells) expect(cell.count).toBe(publishedCount(groupOf((r) => inFilter(r) && String(valueOf(r, margin.dimension)) === String(JSON.parse(keyOf(cell.key)).find((v: unknown) => v !== null)))));
      }
      // The same group asked for directly, as a filter, gets the same number as its cell.
      const [first] = stats.cells;
      if (first && dims.length === 2) {
        const values = JSON.parse(keyOf(first.key)) as (string | number | null)[];
        const fields = ['regencyCode', 'pesantrenId', 'programmeKind', 'gender', 'ageBand', 'year'];
        const direct = Object.fromEntries(values.flatMap((v, i) => (v === null ? [] : [[fields[i]!, v]])));
        const again = await gql<{ enrolmentStats: Stats }>(STATS, { groupBy: [], filter: { ...only, ...direct } }, await identityHeaders(partner));
        if (!again.errors) expect(again.data!.enrolmentStats.total).toBe(first.count);
        else expect(again.errors[0]!.extensions?.['reason']).toBe('COMPLEMENT_BELOW_THRESHOLD');
      }
    });

    it('refuses a table that would publish more numbers than the SDL declares, judged on what it would publish', async () => {
      const em = subgraph.service.database.fork();
      const release = await new StatisticsReleases().current(em);
      const query = enrolmentQueryInput.parse({ groupBy: ['PESANTREN', 'GENDER'], filter: {} });
      const table = await enrolmentTable(em, release, query);
      expect(table.cells.length).toBeGreaterThan(1);
      // At exactly its size the table is answered; one number fewer allowed and it is refused.
      await expect(enrolmentTable(em, release, query, table.cells.length)).resolves.toEqual(table);
      await expect(enrolmentTable(em, release, query, table.cells.length - 1)).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', reason: 'TOO_MANY_CELLS', field: 'groupBy' },
      });
    });

    it('refuses a filter that selects fewer than 10, or leaves fewer than 10 out, saying why and nothing more', async () => {
      const headers = await identityHeaders(partner);
      const pesantrenSizes = new Map<string, number>();
      for (const r of records) pesantrenSizes.set(r.pesantren, (pesantrenSizes.get(r.pesantren) ?? 0) + 1);
      // A lab of a pesantren with a small lab: its population is under the threshold.
      const smallLab = [...new Set(records.filter((r) => r.programme === 'ENTREPRENEURSHIP_LAB').map((r) => r.pesantren))].find(
        (p) => publishedCount(groupOf((r) => r.pesantren === p && r.programme === 'ENTREPRENEURSHIP_LAB')) === null,
      );
      if (smallLab) {
        const refused = await gql(STATS, { groupBy: ['GENDER'], filter: { pesantrenId: smallLab, programmeKind: 'ENTREPRENEURSHIP_LAB' } }, headers);
        expectError(refused, 'BAD_USER_INPUT', 'filter');
        expect(refused.errors![0]!.extensions?.['reason']).toBe('POPULATION_BELOW_THRESHOLD');
      }
      // A pesantren almost all of one gender: "MALE only" would describe the few others by subtraction.
      const lopsided = [...pesantrenSizes.keys()].find((p) => {
        const all = publishedCount(groupOf((r) => r.pesantren === p));
        const male = publishedCount(groupOf((r) => r.pesantren === p && r.gender === 'MALE'));
        return all !== null && male !== null && all - male < 10;
      });
      if (lopsided) {
        const refused = await gql(STATS, { groupBy: ['YEAR'], filter: { pesantrenId: lopsided, gender: 'MALE' } }, headers);
        expect(refused.errors![0]!.extensions?.['reason']).toBe('COMPLEMENT_BELOW_THRESHOLD');
        expect(refused.errors![0]!.extensions?.['field']).toBe('filter.gender');
      }
      expect(Boolean(smallLab || lopsided)).toBe(true);
    });

    it.each([
      ['a repeated dimension', { groupBy: ['GENDER', 'GENDER'] }, 'arguments.groupBy'],
      ['too many dimensions', { groupBy: ['REGENCY', 'PESANTREN', 'PROGRAMME', 'GENDER', 'YEAR'] }, 'arguments.groupBy'],
      ['a malformed regency', { groupBy: ['YEAR'], filter: { regencyCode: "35' or '1'='1" } }, 'arguments.filter.regencyCode'],
      ['an injected pesantren id', { groupBy: ['YEAR'], filter: { pesantrenId: "x') union select * from santri --" } }, 'arguments.filter.pesantrenId'],
      ['an impossible year', { groupBy: ['GENDER'], filter: { year: 1850 } }, 'arguments.filter.year'],
      ['a dimension grouped and filtered', { groupBy: ['YEAR'], filter: { year: 2020 } }, 'filter.year'],
      ['REGENCY with PESANTREN', { groupBy: ['REGENCY', 'PESANTREN'] }, 'groupBy'],
    ])('refuse %s as BAD_USER_INPUT', async (_name, variables, field) => {
      expectError(await gql(STATS, variables, await identityHeaders(partner)), 'BAD_USER_INPUT', field);
    });
  });

  describe.skipIf(Boolean(engine.skip))('keeping the records', () => {
    const enrol = `mutation($input: EnrolSantriInput!) { enrolSantri(input: $input) { pseudonymousId programme { kind } consents { purpose granted since } } }`;
    const programme = () => academics.programmes.find((p) => p.pesantrenId === sidogiri.id && p.kind !== 'ENTREPRENEURSHIP_LAB')!;
    const count = () => subgraph.service.database.fork().count(Santri, {});

    it('lets an operator enrol a santri with the guardian’s consent, then withdraw it, keeping both events', async () => {
      const operator = await identityHeaders(operatorIdentity(sidogiri.id));
      const input = {
        programmeId: programme().id,
        birthYear: 2012,
        gender: 'FEMALE',
        intakeYear: 2025,
        guardianConsents: [{ purpose: 'RESEARCH', relationship: 'MOTHER', evidence: 'FPW-2025-000001', grantedOn: '2025-07-01' }],
      };
      const enrolled = await gql<{ enrolSantri: { pseudonymousId: string; consents: { purpose: string; granted: boolean; since: string }[] } }>(enrol, { input }, operator);
      expect(enrolled.errors).toBeUndefined();
      expect(enrolled.data?.enrolSantri.consents).toEqual([{ purpose: 'RESEARCH', granted: true, since: '2025-07-01' }]);
      const id = enrolled.data!.enrolSantri.pseudonymousId;
      const withdrawn = await gql<{ withdrawGuardianConsent: { purpose: string; granted: boolean; since: string }[] }>(
        `mutation { withdrawGuardianConsent(pseudonymousId: "${id}", purpose: RESEARCH, withdrawnOn: "2025-08-01") { purpose granted since } }`,
        {},
        operator,
      );
      expect(withdrawn.data?.withdrawGuardianConsent).toEqual([{ purpose: 'RESEARCH', granted: false, since: '2025-08-01' }]);
      const other = world.pesantren.find((p) => p.id !== sidogiri.id)!;
      expectError(
        await gql(`mutation { withdrawGuardianConsent(pseudonymousId: "${id}", purpose: RESEARCH, withdrawnOn: "2025-08-01") { granted } }`, {}, await identityHeaders(operatorIdentity(other.id))),
        'NOT_FOUND',
      );
    });

    it.each([
      ['a birth year that makes a toddler', { birthYear: 2023 }, 'input.birthYear'],
      ['a consent dated in the future', { guardianConsents: [{ purpose: 'RESEARCH', relationship: 'FATHER', evidence: 'FPW-1', grantedOn: '2999-01-01' }] }, 'input.guardianConsents.0.grantedOn'],
      ['a consent without evidence', { guardianConsents: [{ purpose: 'RESEARCH', relationship: 'FATHER', evidence: '', grantedOn: '2025-01-01' }] }, 'input.guardianConsents.0.evidence'],
      ['an unknown programme', { programmeId: '00000000-0000-4000-8000-000000000000' }, 'input.programmeId'],
    ])('refuses %s and writes nothing', async (_name, change, field) => {
      const before = await count();
      const input = { programmeId: programme().id, birthYear: 2012, gender: 'MALE', intakeYear: 2025, ...change };
      expectError(await gql(enrol, { input }, await identityHeaders(operatorIdentity(sidogiri.id))), 'BAD_USER_INPUT', field);
      expect(await count()).toBe(before);
    });

    it('keeps an operator to their own programmes', async () => {
      const other = world.pesantren.find((p) => p.id !== sidogiri.id)!;
      const input = { programmeId: programme().id, birthYear: 2012, gender: 'MALE', intakeYear: 2025 };
      expectError(await gql(enrol, { input }, await identityHeaders(operatorIdentity(other.id))), 'FORBIDDEN');
    });

    it('publishes statistics from the year’s release: enrolments show in the next academic year’s, not before', async () => {
      const ask = async () => (await gql<{ enrolmentStats: Stats }>(STATS, { groupBy: [] }, await identityHeaders(partner))).data!.enrolmentStats.total;
      const em = subgraph.service.database.fork();
      const thisYear = await new StatisticsReleases().current(em);
      const before = await ask();
      const input = { programmeId: programme().id, birthYear: 2012, gender: 'MALE', intakeYear: 2025 };
      for (let i = 0; i < 3; i++) expect((await gql(enrol, { input }, await identityHeaders(operatorIdentity(sidogiri.id)))).errors).toBeUndefined();
      // However many santri are enrolled, this year's numbers (and their noise) stay as released.
      expect(await ask()).toBe(before);
      const nextYear = new Date(Date.now() + 366 * 86_400_000);
      const next = await new StatisticsReleases(() => nextYear).current(em);
      expect(next).not.toBe(thisYear);
      const [total] = await cellTotals(em, next, {}, []);
      const [live] = await cellTotals(em, 'live', {}, []);
      expect(total!.total).toEqual(live!.total);
      const releases = await em.getConnection().execute<{ release: string }[]>(`select distinct release from "${subgraph.service.database.schema}".enrolment_count order by 1`);
      expect(releases.map((r) => r.release)).toEqual([next, 'live'].sort());
      // The planner knows the new release's rows from the moment it is taken: with statistics that
      // knew none, a programme-scale page read all of a release's rows for its 40 pesantren.
      const schema = subgraph.service.database.schema;
      for (const table of ['enrolment_count', 'pesantren_enrolment_count', 'pesantren_enrolment_margin']) {
        const [explained] = await em.getConnection().execute<{ 'QUERY PLAN': unknown }[]>(`explain (format json) select * from "${schema}".${table} where release = ?`, [next]);
        const raw = explained!['QUERY PLAN'];
        const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: { 'Plan Rows': number } }[];
        const [counted] = await em.getConnection().execute<{ n: number }[]>(`select count(*)::int as n from "${schema}".${table} where release = ?`, [next]);
        const n = counted!.n;
        expect(n, table).toBeGreaterThan(10);
        expect(plan[0]!.Plan['Plan Rows'], table).toBeGreaterThan(n / 2);
      }
    });

    it('keeps every rollup equal to the santri records, counts and key sums, the four enrolments above included', async () => {
      const schema = subgraph.service.database.schema;
      const connection = subgraph.service.database.orm.em.getConnection();
      const band = `case when intake_year - birth_year < 13 then 'UNDER_13' when intake_year - birth_year < 16 then 'AGE_13_TO_15' when intake_year - birth_year < 19 then 'AGE_16_TO_18' else 'AGE_19_AND_OVER' end`;
      for (const [table, keys] of [
        ['enrolment_count', 'regency_code, programme_kind, gender'],
        ['pesantren_enrolment_count', 'pesantren_id, regency_code, programme_kind, gender'],
      ] as const) {
        const positions = [...keys.split(', '), 'age_band', 'intake_year'].map((_, index) => index + 1).join(', ');
        const fromRecords = await connection.execute<{ n: number }[]>(
          `select ${keys}, ${band} as age_band, intake_year, count(*)::int as n, (sum(record_key) % ${2 ** 52})::text as k from "${schema}".santri group by ${positions} order by ${positions}`,
        );
        const fromRollup = await connection.execute(`select ${keys}, age_band, intake_year, santri::int as n, key_sum::text as k from "${schema}".${table} where release = 'live' order by ${positions}`);
        expect(fromRollup).toEqual(fromRecords);
        expect(fromRecords.reduce((sum, row) => sum + row.n, 0)).toBe(santri.length + 4);
      }
      const margins = await connection.execute(`select dimension, pesantren_id, value, santri::int as n, key_sum::text as k from "${schema}".pesantren_enrolment_margin where release = 'live' order by 1, 2, 3`);
      const expected = await connection.execute(
        `select m.dimension, s.pesantren_id, m.value, count(*)::int as n, (sum(record_key) % ${2 ** 52})::text as k from "${schema}".santri s
         cross join lateral (values ('ALL', ''), ('PROGRAMME', s.programme_kind), ('GENDER', s.gender), ('AGE_BAND', ${band}), ('YEAR', s.intake_year::text)) m(dimension, value)
         group by 1, 2, 3 order by 1, 2, 3`,
      );
      expect(margins).toEqual(expected);
      expect(margins.length).toBeGreaterThan(world.pesantren.length * 5);
    });

    it('places a programme only in its pesantren’s regency: unknown codes and other regencies are refused, nothing written', async () => {
      const countProgrammes = () => subgraph.service.database.fork().count(Programme, {});
      const before = await countProgrammes();
      // A pesantren with no programme yet: only the pesantren subgraph knows its regency.
      const withoutProgrammes = world.pesantren.find((p) => !academics.programmes.some((programme) => programme.pesantrenId === p.id));
      if (withoutProgrammes) {
        const elsewhere = withoutProgrammes.regencyCode === '3578' ? '3514' : '3578';
        const refused = await gql(
          `mutation { createProgramme(input: { pesantrenId: "${withoutProgrammes.id}", regencyCode: "${elsewhere}", kind: TAHFIDZ, name: "Tahfidz di tempat lain" }) { id } }`,
          {},
          await identityHeaders(adminIdentity()),
        );
        expectError(refused, 'BAD_USER_INPUT', 'input.regencyCode');
      }
      const unknown = await gql(
        `mutation { createProgramme(input: { pesantrenId: "00000000-0000-4000-8000-00000000beef", regencyCode: "3514", kind: TAHFIDZ, name: "Tahfidz tanpa pesantren" }) { id } }`,
        {},
        await identityHeaders(adminIdentity()),
      );
      expectError(unknown, 'BAD_USER_INPUT', 'input.pesantrenId');
      for (const regencyCode of ['9999', '3578']) {
        const refused = await gql(
          `mutation { createProgramme(input: { pesantrenId: "${sidogiri.id}", regencyCode: "${regencyCode}", kind: TAHFIDZ, name: "Tahfidz di tempat lain" }) { id } }`,
          {},
          await identityHeaders(operatorIdentity(sidogiri.id)),
        );
        expectError(refused, 'BAD_USER_INPUT', 'input.regencyCode');
      }
      expect(await countProgrammes()).toBe(before);
    });

    it('opens a lab with an entrepreneurship programme and records its activities', async () => {
      const created = await gql<{ createProgramme: { id: string; kind: string } }>(
        `mutation { createProgramme(input: { pesantrenId: "${sidogiri.id}", regencyCode: "3514", kind: ENTREPRENEURSHIP_LAB, name: "Lab Kopi Santri", labFocus: FOOD_PROCESSING }) { id kind } }`,
        {},
        await identityHeaders(adminIdentity()),
      );
      expect(created.errors).toBeUndefined();
      const labs = await gql<{ _entities: { academics: { labs: { id: string; name: string }[] } }[] }>(
        `{ _entities(representations: [{ __typename: "Pesantren", id: "${sidogiri.id}" }]) { ... on Pesantren { academics { labs { id name } } } } }`,
      );
      const lab = labs.data!._entities[0]!.academics.labs.find((l) => l.name === 'Lab Kopi Santri')!;
      const recorded = await gql<{ recordLabActivity: { activities: { title: { indonesian: string }; participants: number }[] } }>(
        `mutation { recordLabActivity(labId: "${lab.id}", activity: { kind: TRAINING, titleIndonesian: "Pelatihan sangrai kopi", on: "2025-03-01", participants: 23 }) { activities { title { indonesian } participants } } }`,
        {},
        await identityHeaders(operatorIdentity(sidogiri.id)),
      );
      expect(recorded.data?.recordLabActivity.activities).toEqual([{ title: { indonesian: 'Pelatihan sangrai kopi' }, participants: 20 }]);
      expectError(
        await gql(`mutation { createProgramme(input: { pesantrenId: "${sidogiri.id}", regencyCode: "3514", kind: ENTREPRENEURSHIP_LAB, name: "Lab Tanpa Fokus" }) { id } }`, {}, await identityHeaders(adminIdentity())),
        'BAD_USER_INPUT',
        'input.labFocus',
      );
    });
  });

  describe.skipIf(Boolean(engine.skip))('list maxima the SDL declares', () => {
    it(`lists at most ${MAX_PROGRAMMES_PER_PESANTREN} programmes and ${MAX_LABS_PER_PESANTREN} labs of a pesantren, a lab's newest ${MAX_LAB_ACTIVITIES_LISTED} activities and ${MAX_LAB_PRODUCTS_LISTED} products`, async () => {
      const crowded = randomUUID();
      const em = subgraph.service.database.fork();
      const many = Math.max(MAX_PROGRAMMES_PER_PESANTREN, MAX_LABS_PER_PESANTREN) + 5;
      const name = (i: number) => `Lab Uji ${String(i).padStart(2, '0')}`;
      for (let i = 1; i <= many; i++) {
        const programme = em.create(Programme, { pesantrenId: crowded, regencyCode: '3514', kind: 'ENTREPRENEURSHIP_LAB', name: name(i), establishedYear: 2020 });
        em.create(EntrepreneurshipLab, {
          programme,
          pesantrenId: crowded,
          name: name(i),
          focus: 'CRAFTS',
          productIds: i === 1 ? Array.from({ length: MAX_LAB_PRODUCTS_LISTED + 10 }, () => randomUUID()) : [],
          activities:
            i === 1
              ? Array.from({ length: MAX_LAB_ACTIVITIES_LISTED + 10 }, (_, day) => ({
                  kind: 'TRAINING' as const,
                  titleIndonesian: `Pelatihan ${day}`,
                  titleEnglish: null,
                  on: `2025-01-${String(day + 1).padStart(2, '0')}`,
                  participants: 20,
                }))
              : [],
        });
      }
      await em.flush();
      const { data, errors } = await gql<{ _entities: { academics: { programmes: { name: string }[]; labs: { name: string; activities: { on: string }[]; products: { id: string }[] }[] } }[] }>(
        `{ _entities(representations: [{ __typename: "Pesantren", id: "${crowded}" }]) { ... on Pesantren { academics { programmes { name } labs { name activities { on } products { id } } } } } }`,
      );
      expect(errors).toBeUndefined();
      const summary = data!._entities[0]!.academics;
      expect(summary.programmes.map((p) => p.name)).toEqual(Array.from({ length: MAX_PROGRAMMES_PER_PESANTREN }, (_, i) => name(i + 1)));
      expect(summary.labs.map((l) => l.name)).toEqual(Array.from({ length: MAX_LABS_PER_PESANTREN }, (_, i) => name(i + 1)));
      const lab = summary.labs[0]!;
      expect(lab.activities).toHaveLength(MAX_LAB_ACTIVITIES_LISTED);
      expect(lab.activities[0]!.on).toBe(`2025-01-${MAX_LAB_ACTIVITIES_LISTED + 10}`);
      expect(lab.products).toHaveLength(MAX_LAB_PRODUCTS_LISTED);
    });
  });
});
