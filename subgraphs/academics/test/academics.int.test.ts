import { generateAcademics, generateWorld, santriBatches, type SantriRecord } from '@opop/demo-data';
import type { Identity, SubgraphService } from '@opop/server-kit';
import {
  adminIdentity,
  countQueries,
  dropTestSchema,
  identityHeaders,
  operatorIdentity,
  postGraphQL,
  schemaDrift,
  testEngines,
  testSubgraphConfig,
  type GraphQLResponse,
} from '@opop/server-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAcademics } from '../seeders/academics.seeder.ts';
import { createAcademicsService } from '../src/app.ts';
import type { AcademicsContext } from '../src/context.ts';
import { Santri } from '../src/modules/santri/santri.entity.ts';
import type { PublishedTable } from '../src/modules/stats/suppression.ts';
import { attack } from './disclosure-attack.ts';

const world = generateWorld('demo');
const academics = generateAcademics(world);
const santri: SantriRecord[] = [...santriBatches(academics)].flat();
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;
const roundToTens = (n: number) => Math.round(n / 10) * 10;
const partner = { role: 'academic_partner' as const, subject: 'test-partner', pesantrenId: null, scopes: ['academics:aggregate'] };

type TypeRef = { name: string | null; kind: string; ofType?: TypeRef | null };
const namedType = (type: TypeRef): string | null => (type.ofType ? namedType(type.ofType) : type.name);

type Count = { value: number | null; suppressed: boolean };
type Stats = {
  cells: { key: Record<string, unknown>; count: Count }[];
  margins: { dimension: string; cells: { key: Record<string, unknown>; count: Count }[] }[];
  total: Count;
  threshold: number;
};

const STATS = `query($groupBy: [EnrolmentDimension!]!, $filter: EnrolmentFilter) {
  enrolmentStats(groupBy: $groupBy, filter: $filter) {
    threshold total { value suppressed }
    cells { key { regency { code } pesantren { id } programme gender ageBand year } count { value suppressed } }
    margins { dimension cells { key { regency { code } pesantren { id } programme gender ageBand year } count { value suppressed } } }
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
const recordKey = (s: SantriRecord, dims: string[]) =>
  JSON.stringify([
    dims.includes('REGENCY') ? s.regencyCode : null,
    dims.includes('PESANTREN') ? s.pesantrenId : null,
    dims.includes('PROGRAMME') ? s.programmeKind : null,
    dims.includes('GENDER') ? s.gender : null,
    dims.includes('AGE_BAND') ? ageBand(s) : null,
    dims.includes('YEAR') ? s.enrolmentYear : null,
  ]);

function expectError(response: GraphQLResponse, code: string, field?: string) {
  expect(response.errors?.[0]?.extensions?.['code'], JSON.stringify(response.errors)).toBe(code);
  if (field) expect(response.errors?.[0]?.extensions?.['field']).toBe(field);
}

/** The same table as the attacker sees it, rebuilt from the API response. */
function asTable(stats: Stats, dims: string[]): PublishedTable {
  const keyFor = (key: Record<string, unknown>) => {
    const full = JSON.parse(keyOf(key)) as unknown[];
    const index = { REGENCY: 0, PESANTREN: 1, PROGRAMME: 2, GENDER: 3, AGE_BAND: 4, YEAR: 5 } as Record<string, number>;
    return dims.map((d) => String(full[index[d]!]));
  };
  return {
    cells: stats.cells.map((c) => ({ key: keyFor(c.key), count: c.count })),
    margins: stats.margins.map((m) => m.cells.map((c) => ({ key: keyFor(c.key).filter((_, i) => dims[i] === m.dimension), count: c.count }))),
    total: stats.total,
  };
}

describe.each(testEngines())('academics subgraph on $name', (engine) => {
  let service: SubgraphService<AcademicsContext>;
  let url: string;
  const gql = <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) =>
    postGraphQL<T>(url, query, variables, headers);

  beforeAll(async () => {
    if (engine.skip) return;
    service = await createAcademicsService(testSubgraphConfig('academics', engine));
    await loadAcademics(service.database.fork(), world);
    url = await service.server.listen('127.0.0.1', 0);
  });

  afterAll(async () => {
    if (!service) return;
    await dropTestSchema(service.database);
    await service.server.close();
  });

  describe.skipIf(Boolean(engine.skip))('public summaries', () => {
    it('migrations build exactly the schema the entities describe', async () => {
      expect(await schemaDrift(service.database)).toBe('');
    });

    it('summarises every pesantren’s education in three batched SQL queries, counts rounded to tens', async () => {
      const representations = world.pesantren.map((p) => ({ __typename: 'Pesantren', id: p.id }));
      const { result, queries } = await countQueries(service.database, () =>
        gql<{ _entities: { academics: { santriCount: number; programmes: { kind: string; santriCount: number }[]; labs: { name: string; products: { id: string }[] }[] } }[] }>(
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Pesantren { academics { santriCount programmes { kind santriCount } labs { name products { id } } } } } }',
          { r: representations },
        ),
      );
      expect(result.errors).toBeUndefined();
      expect(queries.length).toBeLessThanOrEqual(3);
      world.pesantren.forEach((pesantren, index) => {
        const summary = result.data!._entities[index]!.academics;
        expect(summary.santriCount).toBe(roundToTens(santri.filter((s) => s.pesantrenId === pesantren.id).length));
        expect(summary.santriCount % 10).toBe(0);
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
      // The scope alone is not enough: an operator holding it is still refused, by the resolver's own role check.
      expectError(await ask({ ...operatorIdentity(sidogiri.id), scopes: ['academics:aggregate'] }), 'FORBIDDEN');
      expect((await ask(partner)).errors).toBeUndefined();
      expect((await ask({ ...adminIdentity(), scopes: ['academics:aggregate'] })).errors).toBeUndefined();
    });

    it.each([
      [['REGENCY', 'PROGRAMME'], null],
      [['GENDER', 'AGE_BAND', 'YEAR'], null],
      [['PESANTREN', 'GENDER'], { regencyCodes: ['3514', '3529', '3526'] }],
      [['PROGRAMME', 'YEAR'], { pesantrenIds: [sidogiri.id] }],
    ])('grouped by %j (filter %j): true where published, suppressed under 10, and nothing recoverable', async (dims, filter) => {
      const response = await gql<{ enrolmentStats: Stats }>(STATS, { groupBy: dims, filter }, await identityHeaders(partner));
      expect(response.errors).toBeUndefined();
      const stats = response.data!.enrolmentStats;
      const only = filter as { regencyCodes?: string[]; pesantrenIds?: string[] } | null;
      const matching = santri.filter(
        (s) => (!only?.regencyCodes || only.regencyCodes.includes(s.regencyCode)) && (!only?.pesantrenIds || only.pesantrenIds.includes(s.pesantrenId)),
      );
      const truth = new Map<string, number>();
      for (const s of matching) truth.set(recordKey(s, dims), (truth.get(recordKey(s, dims)) ?? 0) + 1);
      expect(stats.cells).toHaveLength(truth.size);
      for (const cell of stats.cells) {
        const actual = truth.get(keyOf(cell.key))!;
        if (cell.count.suppressed) expect(cell.count.value).toBeNull();
        else expect(cell.count.value).toBe(actual);
        if (actual < 10) expect(cell.count.suppressed).toBe(true);
      }
      expect(stats.total.suppressed ? null : stats.total.value).toBe(matching.length < 10 ? null : matching.length);
      expect(attack(asTable(stats, dims), dims.length)).toBe(0);
    });

    it.each([
      ['a repeated dimension', { groupBy: ['GENDER', 'GENDER'] }, 'arguments.groupBy'],
      ['too many dimensions', { groupBy: ['REGENCY', 'PESANTREN', 'PROGRAMME', 'GENDER', 'YEAR'] }, 'arguments.groupBy'],
      ['a malformed regency', { groupBy: ['YEAR'], filter: { regencyCodes: ["35' or '1'='1"] } }, 'arguments.filter.regencyCodes.0'],
      ['an injected pesantren id', { groupBy: ['YEAR'], filter: { pesantrenIds: ["x') union select * from santri --"] } }, 'arguments.filter.pesantrenIds.0'],
      ['an impossible year', { groupBy: ['YEAR'], filter: { years: [1850] } }, 'arguments.filter.years.0'],
    ])('refuse %s as BAD_USER_INPUT', async (_name, variables, field) => {
      expectError(await gql(STATS, variables, await identityHeaders(partner)), 'BAD_USER_INPUT', field);
    });
  });

  describe.skipIf(Boolean(engine.skip))('keeping the records', () => {
    const enrol = `mutation($input: EnrolSantriInput!) { enrolSantri(input: $input) { pseudonymousId programme { kind } consents { purpose granted since } } }`;
    const programme = () => academics.programmes.find((p) => p.pesantrenId === sidogiri.id && p.kind !== 'ENTREPRENEURSHIP_LAB')!;
    const count = () => service.database.fork().count(Santri, {});

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

    it('keeps the enrolment rollup equal to the santri records, enrolments included', async () => {
      const schema = service.database.schema;
      const connection = service.database.orm.em.getConnection();
      const fromRecords = await connection.execute<{ n: number }[]>(
        `select regency_code, programme_kind, gender, intake_year, count(*)::int as n from "${schema}".santri group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
      );
      const fromRollup = await connection.execute(
        `select regency_code, programme_kind, gender, intake_year, sum(santri)::int as n from "${schema}".enrolment_count group by 1, 2, 3, 4 order by 1, 2, 3, 4`,
      );
      expect(fromRollup).toEqual(fromRecords);
      expect(fromRecords.reduce((sum, row) => sum + row.n, 0)).toBe(santri.length + 1);
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
});
