import type { Identity } from '@opop/server-kit';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { adminIdentity, identityHeaders, operatorIdentity, testEngines, type GraphQLResponse } from '@opop/server-kit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAcademicsService } from '../src/app.ts';
import { SantriPseudonyms, type PseudonymAudience } from '../src/modules/records/pseudonyms.ts';

/**
 * Record-level santri data: only santri whose guardian consented to the purpose asked for, under
 * per-partner pseudonyms, places pooled where a regency holds few pesantren, and an append-only
 * audit row for every request, refused ones included. The santri are enrolled here through the
 * API, so every consent history is known.
 */

const SECRET = 'test-pseudonym-secret-0123456789abcdef';
const PESANTREN = '0f6b2f4e-3c1d-4a5b-8c7d-9e0f1a2b3c4d';
/** The pesantren of each regency the cases are enrolled in: a pesantren lies in one regency. */
const PESANTREN_OF: Record<string, string> = { '3524': PESANTREN, '3517': '0f6b2f4e-3c1d-4a5b-8c7d-9e0f1a2b3c4e' };
const PARTNER_A = '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d';
const PARTNER_B = '2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e';

const researcher = (partnerId: string | null, scopes = ['academics:records']): Identity => ({
  role: 'academic_partner',
  subject: partnerId ? `apikey:key-of-${partnerId.slice(0, 8)}` : 'test-partner-user',
  pesantrenId: null,
  scopes,
  partnerId,
});
const office: Identity = { ...adminIdentity('test-office'), scopes: ['academics:records'] };

type Consent = { purpose: 'RESEARCH' | 'PROGRAMME_EVALUATION'; grantedOn: string; withdrawnOn?: string; regrantedOn?: string };
interface Enrolled {
  label: string;
  id: string;
  birthYear: number;
  gender: 'FEMALE' | 'MALE';
  intakeYear: number;
  regencyCode: string;
  kind: string;
  consents: Consent[];
}

/** Who is enrolled, with which consent history: each row is one case the listing must get right. */
const CASES: Omit<Enrolled, 'id' | 'kind'>[] = [
  { label: 'research', birthYear: 2011, gender: 'FEMALE', intakeYear: 2024, regencyCode: '3517', consents: [{ purpose: 'RESEARCH', grantedOn: '2024-07-01' }] },
  { label: 'research, withdrawn', birthYear: 2012, gender: 'MALE', intakeYear: 2025, regencyCode: '3517', consents: [{ purpose: 'RESEARCH', grantedOn: '2025-07-01', withdrawnOn: '2025-09-01' }] },
  { label: 'evaluation only', birthYear: 2010, gender: 'FEMALE', intakeYear: 2023, regencyCode: '3517', consents: [{ purpose: 'PROGRAMME_EVALUATION', grantedOn: '2023-07-01' }] },
  { label: 'no consent', birthYear: 2011, gender: 'MALE', intakeYear: 2024, regencyCode: '3517', consents: [] },
  {
    label: 'both purposes',
    birthYear: 2009,
    gender: 'MALE',
    intakeYear: 2022,
    regencyCode: '3517',
    consents: [{ purpose: 'RESEARCH', grantedOn: '2022-07-01' }, { purpose: 'PROGRAMME_EVALUATION', grantedOn: '2022-07-01' }],
  },
  { label: 'research, withdrawn, granted again', birthYear: 2012, gender: 'FEMALE', intakeYear: 2025, regencyCode: '3517', consents: [{ purpose: 'RESEARCH', grantedOn: '2025-07-01', withdrawnOn: '2025-08-01', regrantedOn: '2025-10-01' }] },
  ...[2008, 2009, 2010, 2011, 2012].map((birthYear, index) => ({
    label: `research in Lamongan ${index + 1}`,
    birthYear,
    gender: index % 2 ? ('MALE' as const) : ('FEMALE' as const),
    intakeYear: birthYear + 13,
    regencyCode: '3524',
    consents: [{ purpose: 'RESEARCH' as const, grantedOn: '2025-01-15' }],
  })),
];

const RECORD_FIELDS = 'pseudonym birthYear gender programmeKind intakeYear regency { code } area { code generalised regencies { code } minPesantren }';
const RECORDS = `query($purpose: ConsentPurpose!, $filter: SantriRecordFilter, $first: Int, $after: String) {
  santriRecords(purpose: $purpose, filter: $filter, first: $first, after: $after) {
    nodes { ${RECORD_FIELDS} } pageInfo { hasNextPage endCursor } } }`;

type Area = { code: string; generalised: boolean; regencies: { code: string }[]; minPesantren: number };
type SantriRecord = { pseudonym: string; birthYear: number; gender: string; programmeKind: string; intakeYear: number; regency: { code: string } | null; area: Area };

/**
 * Other pesantren with santri (none consenting), so that Lamongan holds five pesantren running an
 * MTs and is shown as itself, kind included, while Jombang's one is pooled with Sidoarjo's four
 * into their area, where it is the only MTs: its records do not say MTS.
 */
const NEIGHBOURS: { regencyCode: string; pesantrenId: string; kind: string }[] = [
  ...[1, 2, 3, 4].map((n) => ({ regencyCode: '3524', pesantrenId: `3c4d5e6f-7a8b-4c3d-8e4f-5a6b7c8d9e0${n}`, kind: 'MTS' })),
  ...[1, 2, 3, 4].map((n) => ({ regencyCode: '3515', pesantrenId: `4d5e6f7a-8b9c-4d4e-9f5a-6b7c8d9e0f1${n}`, kind: 'DINIYAH' })),
];
const JOMBANG_AREA = { code: 'W-SURABAYA', generalised: true, regencies: [{ code: '3515' }, { code: '3517' }], minPesantren: 5 };
type RecordPage = { santriRecords: { nodes: SantriRecord[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount?: number } };
type AuditRow = {
  subject: string;
  role: string;
  partner_id: string | null;
  purpose: string;
  filter: Record<string, unknown>;
  fields: string[];
  record_count: number;
  santri_ids: string[];
  refusal: string | null;
};

describe.each(testEngines())('santri records on $name', (engine) => {
  const subgraph = useTestSubgraph('academics', engine, { create: (config) => createAcademicsService({ ...config, pseudonymSecret: SECRET }) });
  const enrolled: Enrolled[] = [];
  const gql = async <T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, identity?: Identity) =>
    subgraph.gql<T>(query, variables, identity ? await identityHeaders(identity) : {});
  const sql = <T = Record<string, unknown>>(text: string) => {
    const { database } = subgraph.service;
    return database.orm.em.getConnection().execute<T[]>(text.replaceAll('$schema', `"${database.schema}"`));
  };
  const auditRows = () => sql<AuditRow & { n: number }>('select * from $schema.santri_record_access order by "at", id');
  const auditCount = async () => (await sql<{ n: number }>('select count(*)::int as n from $schema.santri_record_access'))[0]!.n;
  const pseudonymsFor = (audience: PseudonymAudience, labels: string[]) =>
    enrolled.filter((s) => labels.includes(s.label)).map((s) => new SantriPseudonyms(SECRET).for(audience).pseudonym(s.id)).sort();
  const labelsWhere = (test: (s: (typeof CASES)[number]) => boolean) => CASES.filter(test).map((s) => s.label);
  const consentedTo = (purpose: Consent['purpose']) => labelsWhere((s) => s.consents.some((c) => c.purpose === purpose && (!c.withdrawnOn || c.regrantedOn)));

  /** Every page of a listing, following endCursor. */
  async function allRecords(identity: Identity, purpose: string, filter: Record<string, unknown> | null, first: number): Promise<SantriRecord[]> {
    const records: SantriRecord[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const response: GraphQLResponse<RecordPage> = await gql<RecordPage>(RECORDS, { purpose, filter, first, after }, identity);
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      const { nodes, pageInfo } = response.data!.santriRecords;
      records.push(...nodes);
      if (!pageInfo.hasNextPage) return records;
      after = pageInfo.endCursor;
    }
    throw new Error('the listing never ended');
  }

  beforeAll(async () => {
    if (engine.skip) return;
    const operatorOf = (regencyCode: string) => operatorIdentity(PESANTREN_OF[regencyCode]!);
    // One pesantren with one programme per regency.
    const programmes = new Map<string, { id: string; kind: string }>();
    for (const regencyCode of ['3517', '3524']) {
      const created = await gql<{ createProgramme: { id: string; kind: string } }>(
        `mutation { createProgramme(input: { pesantrenId: "${PESANTREN_OF[regencyCode]}", regencyCode: "${regencyCode}", kind: MTS, name: "MTs Uji Coba ${regencyCode}" }) { id kind } }`,
        {},
        operatorOf(regencyCode),
      );
      expect(created.errors).toBeUndefined();
      programmes.set(regencyCode, created.data!.createProgramme);
    }
    for (const santri of CASES) {
      const operator = operatorOf(santri.regencyCode);
      const guardianConsents = santri.consents.map((c) => ({ purpose: c.purpose, relationship: 'MOTHER', evidence: `FPW-${santri.birthYear}-${c.purpose}`, grantedOn: c.grantedOn }));
      const receipt = await gql<{ enrolSantri: { pseudonymousId: string } }>(
        'mutation($input: EnrolSantriInput!) { enrolSantri(input: $input) { pseudonymousId } }',
        { input: { programmeId: programmes.get(santri.regencyCode)!.id, birthYear: santri.birthYear, gender: santri.gender, intakeYear: santri.intakeYear, guardianConsents } },
        operator,
      );
      expect(receipt.errors).toBeUndefined();
      const id = receipt.data!.enrolSantri.pseudonymousId;
      for (const consent of santri.consents) {
        if (consent.withdrawnOn) {
          const withdrawn = await gql(`mutation { withdrawGuardianConsent(pseudonymousId: "${id}", purpose: ${consent.purpose}, withdrawnOn: "${consent.withdrawnOn}") { granted } }`, {}, operator);
          expect(withdrawn.errors).toBeUndefined();
        }
        if (consent.regrantedOn) {
          const regranted = await gql(
            `mutation { recordGuardianConsent(pseudonymousId: "${id}", consent: { purpose: ${consent.purpose}, relationship: FATHER, evidence: "FPW-again", grantedOn: "${consent.regrantedOn}" }) { granted } }`,
            {},
            operator,
          );
          expect(regranted.errors).toBeUndefined();
        }
      }
      enrolled.push({ ...santri, id, kind: programmes.get(santri.regencyCode)!.kind });
    }
    for (const neighbour of NEIGHBOURS) {
      const created = await gql<{ createProgramme: { id: string } }>(
        `mutation { createProgramme(input: { pesantrenId: "${neighbour.pesantrenId}", regencyCode: "${neighbour.regencyCode}", kind: ${neighbour.kind}, name: "Program Tetangga" }) { id } }`,
        {},
        adminIdentity(),
      );
      expect(created.errors).toBeUndefined();
      const receipt = await gql('mutation($input: EnrolSantriInput!) { enrolSantri(input: $input) { pseudonymousId } }', { input: { programmeId: created.data!.createProgramme.id, birthYear: 2012, gender: 'MALE', intakeYear: 2024 } }, adminIdentity());
      expect(receipt.errors).toBeUndefined();
    }
  });

  describe.skipIf(Boolean(engine.skip))('reading records', () => {
    it('gives a partner exactly the santri consented to RESEARCH today: not withdrawn, not consented to another purpose only', async () => {
      const records = await allRecords(researcher(PARTNER_A), 'RESEARCH', null, 100);
      expect(records.map((r) => r.pseudonym).sort()).toEqual(pseudonymsFor({ kind: 'partner', partnerId: PARTNER_A }, consentedTo('RESEARCH')));
      expect(consentedTo('RESEARCH')).toEqual(expect.arrayContaining(['research', 'both purposes', 'research, withdrawn, granted again']));
      expect(consentedTo('RESEARCH')).not.toContain('research, withdrawn');
      expect(consentedTo('RESEARCH')).not.toContain('evaluation only');
    });

    it('gives the programme office exactly the santri consented to PROGRAMME_EVALUATION', async () => {
      const records = await allRecords(office, 'PROGRAMME_EVALUATION', null, 100);
      expect(records.map((r) => r.pseudonym).sort()).toEqual(pseudonymsFor({ kind: 'programme_office' }, ['evaluation only', 'both purposes']));
    });

    it('discloses only birth year, gender, programme kind, intake year and the place: a regency with five pesantren or more, else its area', async () => {
      const records = await allRecords(researcher(PARTNER_A), 'RESEARCH', null, 100);
      const keys = new SantriPseudonyms(SECRET).for({ kind: 'partner', partnerId: PARTNER_A });
      for (const record of records) {
        expect(Object.keys(record).sort()).toEqual(['area', 'birthYear', 'gender', 'intakeYear', 'programmeKind', 'pseudonym', 'regency']);
        const santri = enrolled.find((s) => keys.pseudonym(s.id) === record.pseudonym)!;
        const ownRegency = santri.regencyCode === '3524';
        expect(record).toEqual({
          pseudonym: record.pseudonym,
          birthYear: santri.birthYear,
          gender: santri.gender,
          programmeKind: ownRegency ? santri.kind : null,
          intakeYear: santri.intakeYear,
          regency: ownRegency ? { code: '3524' } : null,
          area: ownRegency ? { code: '3524', generalised: false, regencies: [{ code: '3524' }], minPesantren: 5 } : JOMBANG_AREA,
        });
      }
      expect(records.some((r) => r.regency === null)).toBe(true);
    });

    it('refuses a pooled regency as a filter, naming its area, and filters by the area instead', async () => {
      const refused = await gql<RecordPage>(RECORDS, { purpose: 'RESEARCH', filter: { regencyCodes: ['3517'] } }, researcher(PARTNER_A));
      expectError(refused, 'BAD_USER_INPUT');
      expect(refused.errors![0]!.message).toContain('W-SURABAYA');
      const byArea = await allRecords(researcher(PARTNER_A), 'RESEARCH', { areaCodes: ['W-SURABAYA'] }, 100);
      expect(byArea.map((r) => r.pseudonym).sort()).toEqual(
        pseudonymsFor({ kind: 'partner', partnerId: PARTNER_A }, consentedTo('RESEARCH').filter((label) => CASES.find((c) => c.label === label)!.regencyCode === '3517')),
      );
      expectError(await gql(RECORDS, { purpose: 'RESEARCH', filter: { areaCodes: ['W-NOWHERE'] } }, researcher(PARTNER_A)), 'BAD_USER_INPUT');
    });

    it('finds by programme kind only the records that show it: a withheld kind is not found by filtering on it', async () => {
      const mts = await allRecords(researcher(PARTNER_A), 'RESEARCH', { programmeKinds: ['MTS'] }, 100);
      expect(mts.map((r) => r.pseudonym).sort()).toEqual(
        pseudonymsFor({ kind: 'partner', partnerId: PARTNER_A }, consentedTo('RESEARCH').filter((label) => CASES.find((c) => c.label === label)!.regencyCode === '3524')),
      );
      expect(mts.every((r) => r.programmeKind === 'MTS')).toBe(true);
      expect(await allRecords(researcher(PARTNER_A), 'RESEARCH', { areaCodes: ['W-SURABAYA'], programmeKinds: ['MTS'] }, 100)).toEqual([]);
    });

    it('lists no record of a pesantren that joined after the year’s statistics release (it has no place yet)', async () => {
      const before = (await allRecords(researcher(PARTNER_A), 'RESEARCH', null, 100)).length;
      const newcomer = '5e6f7a8b-9c0d-4e5f-8a6b-7c8d9e0f1a2b';
      const created = await gql<{ createProgramme: { id: string } }>(
        `mutation { createProgramme(input: { pesantrenId: "${newcomer}", regencyCode: "3509", kind: MA, name: "MA Baru" }) { id } }`,
        {},
        adminIdentity(),
      );
      const input = { programmeId: created.data!.createProgramme.id, birthYear: 2009, gender: 'FEMALE', intakeYear: 2025, guardianConsents: [{ purpose: 'RESEARCH', relationship: 'MOTHER', evidence: 'FPW-NEW-1', grantedOn: '2025-07-01' }] };
      expect((await gql('mutation($input: EnrolSantriInput!) { enrolSantri(input: $input) { pseudonymousId } }', { input }, adminIdentity())).errors).toBeUndefined();
      expect(await allRecords(researcher(PARTNER_A), 'RESEARCH', null, 100)).toHaveLength(before);
      expect(await allRecords(researcher(PARTNER_A), 'RESEARCH', { regencyCodes: ['3509'] }, 100)).toEqual([]);
    });

    it('fixes a pesantren’s regency with its first programme, even when two first programmes race', async () => {
      const racer = '6f7a8b9c-0d1e-4f5a-9b6c-8d9e0f1a2b3c';
      const attempts = await Promise.all(
        ['3509', '3510', '3511', '3512'].map((regencyCode) =>
          gql(`mutation { createProgramme(input: { pesantrenId: "${racer}", regencyCode: "${regencyCode}", kind: DINIYAH, name: "Diniyah ${regencyCode}" }) { id } }`, {}, adminIdentity()),
        ),
      );
      expect(attempts.filter((attempt) => !attempt.errors)).toHaveLength(1);
      for (const refused of attempts.filter((attempt) => attempt.errors)) expect(refused.errors?.[0]?.extensions?.['field']).toBe('input.regencyCode');
      const regencies = await sql<{ regency_code: string }>(`select distinct regency_code from $schema.programme where pesantren_id = '${racer}'`);
      expect(regencies).toHaveLength(1);
    });

    it('keeps pseudonyms stable per partner, different across partners and the office, and never the stored id', async () => {
      const first = (await allRecords(researcher(PARTNER_A), 'RESEARCH', null, 100)).map((r) => r.pseudonym).sort();
      const again = (await allRecords(researcher(PARTNER_A), 'RESEARCH', null, 100)).map((r) => r.pseudonym).sort();
      const other = (await allRecords(researcher(PARTNER_B), 'RESEARCH', null, 100)).map((r) => r.pseudonym).sort();
      const ofOffice = (await allRecords(office, 'PROGRAMME_EVALUATION', null, 100)).map((r) => r.pseudonym);
      expect(again).toEqual(first);
      expect(other).toHaveLength(first.length);
      expect(other.filter((p) => first.includes(p))).toEqual([]);
      expect(ofOffice.filter((p) => first.includes(p) || other.includes(p))).toEqual([]);
      const storedIds = enrolled.map((s) => s.id);
      for (const pseudonym of [...first, ...other, ...ofOffice]) {
        expect(storedIds).not.toContain(pseudonym);
        expect(storedIds.some((id) => id.replaceAll('-', '') === pseudonym.toLowerCase())).toBe(false);
      }
    });

    it('filters and pages, with cursors that work for the same caller and listing only', async () => {
      const filter = { regencyCodes: ['3524'] };
      const pages: RecordPage[] = [];
      let after: string | null = null;
      do {
        const response: GraphQLResponse<RecordPage> = await gql<RecordPage>(RECORDS, { purpose: 'RESEARCH', filter, first: 2, after }, researcher(PARTNER_A));
        expect(response.errors).toBeUndefined();
        pages.push(response.data!);
        after = response.data!.santriRecords.pageInfo.hasNextPage ? response.data!.santriRecords.pageInfo.endCursor : null;
      } while (after);
      expect(pages.map((p) => p.santriRecords.nodes.length)).toEqual([2, 2, 1]);
      const pseudonyms = pages.flatMap((p) => p.santriRecords.nodes.map((r) => r.pseudonym)).sort();
      expect(pseudonyms).toEqual(pseudonymsFor({ kind: 'partner', partnerId: PARTNER_A }, labelsWhere((s) => s.regencyCode === '3524')));

      const cursor = pages[0]!.santriRecords.pageInfo.endCursor!;
      // The cursor hides the internal id it stands for.
      for (const santri of enrolled) expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain(santri.id);
      const before = (await auditRows()).length;
      expectError(await gql(RECORDS, { purpose: 'RESEARCH', filter, first: 2, after: cursor }, researcher(PARTNER_B)), 'BAD_USER_INPUT');
      expectError(await gql(RECORDS, { purpose: 'RESEARCH', filter: { genders: ['MALE'] }, first: 2, after: cursor }, researcher(PARTNER_A)), 'BAD_USER_INPUT');
      const tampered = `${cursor.slice(0, -2)}${cursor.endsWith('AA') ? 'BB' : 'AA'}`;
      expectError(await gql(RECORDS, { purpose: 'RESEARCH', filter, first: 2, after: tampered }, researcher(PARTNER_A)), 'BAD_USER_INPUT');
      // Each refused attempt is audited, with no record disclosed.
      const refused = (await auditRows()).slice(before);
      expect(refused.map((row) => [row.record_count, row.santri_ids, /not a cursor/.test(row.refusal ?? '')])).toEqual([
        [0, [], true],
        [0, [], true],
        [0, [], true],
      ]);
    });

    it('refuses bad filters before reading anything, and audits the attempt', async () => {
      const before = await auditCount();
      expectError(await gql(RECORDS, { purpose: 'RESEARCH', filter: { regencyCodes: ["35' or '1'='1"] } }, researcher(PARTNER_A)), 'BAD_USER_INPUT');
      expectError(await gql(RECORDS, { purpose: 'RESEARCH', first: 101 }, researcher(PARTNER_A)), 'BAD_USER_INPUT');
      const rows = (await auditRows()).slice(before);
      expect(rows.map((row) => [row.partner_id, row.record_count, row.refusal?.split(':')[0]])).toEqual([
        [PARTNER_A, 0, 'BAD_USER_INPUT'],
        [PARTNER_A, 0, 'BAD_USER_INPUT'],
      ]);
    });
  });

  describe.skipIf(Boolean(engine.skip))('who may read records', () => {
    it.each([
      ['an anonymous caller', undefined, 'RESEARCH', 'UNAUTHENTICATED'],
      ['a partner without the academics:records scope', researcher(PARTNER_A, ['academics:aggregate']), 'RESEARCH', 'FORBIDDEN'],
      ['an operator, even holding the scope', { ...operatorIdentity(PESANTREN), scopes: ['academics:records'] }, 'RESEARCH', 'FORBIDDEN'],
      ['a media partner holding the scope', { role: 'media_partner', subject: 'media', pesantrenId: null, scopes: ['academics:records'], partnerId: PARTNER_A } as Identity, 'RESEARCH', 'FORBIDDEN'],
      ['a programme admin without the scope', adminIdentity(), 'PROGRAMME_EVALUATION', 'FORBIDDEN'],
      ['a partner asking for another purpose than research', researcher(PARTNER_A), 'PROGRAMME_EVALUATION', 'FORBIDDEN'],
      ['the programme office asking for research data', office, 'RESEARCH', 'FORBIDDEN'],
      ['a partner credential that names no partner', researcher(null), 'RESEARCH', 'FORBIDDEN'],
    ] as const)('refuses %s, returns nothing, and audits the refusal', async (_name, identity, purpose, code) => {
      const before = await auditCount();
      const response = await gql<RecordPage>(RECORDS, { purpose }, identity);
      expectError(response, code);
      expect(response.data?.santriRecords ?? null).toBeNull();
      const rows = (await auditRows()).slice(before);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ role: identity?.role ?? 'anonymous', purpose, record_count: 0, santri_ids: [] });
      expect(rows[0]!.refusal).toMatch(new RegExp(`^${code}: `));
    });
  });

  describe.skipIf(Boolean(engine.skip))('the audit trail', () => {
    it('writes exactly one row per read: who, purpose, filter, selected fields, how many records and whose', async () => {
      const before = await auditRows();
      const query = `query($filter: SantriRecordFilter) { santriRecords(purpose: RESEARCH, filter: $filter, first: 3) {
          totalCount renamed: nodes { ...Basics regency { code } } pageInfo { endCursor } } }
        fragment Basics on SantriRecord { pseudonym birthYear __typename }`;
      const response = await gql<{ santriRecords: { totalCount: number; renamed: SantriRecord[] } }>(query, { filter: { regencyCodes: ['3524'], genders: ['FEMALE'] } }, researcher(PARTNER_A));
      expect(response.errors).toBeUndefined();
      expect(response.data!.santriRecords.renamed).toHaveLength(3);
      expect(response.data!.santriRecords.totalCount).toBe(3);
      const after = await auditRows();
      expect(after).toHaveLength(before.length + 1);
      const row = after.at(-1)!;
      const disclosed = enrolled.filter((s) => s.regencyCode === '3524' && s.gender === 'FEMALE').map((s) => s.id).sort();
      expect({ ...row, santri_ids: [...row.santri_ids].sort() }).toMatchObject({
        subject: `apikey:key-of-${PARTNER_A.slice(0, 8)}`,
        role: 'academic_partner',
        partner_id: PARTNER_A,
        purpose: 'RESEARCH',
        filter: { regencyCodes: ['3524'], areaCodes: null, programmeKinds: null, genders: ['FEMALE'], birthYears: null, intakeYears: null },
        fields: ['nodes.birthYear', 'nodes.pseudonym', 'nodes.regency.code', 'pageInfo.endCursor', 'totalCount'],
        record_count: 3,
        santri_ids: disclosed,
        refusal: null,
      });
    });

    it('records no disclosed santri for a request that asked only for the count', async () => {
      const before = await auditCount();
      const response = await gql<{ santriRecords: { totalCount: number } }>('{ santriRecords(purpose: RESEARCH, first: 5) { totalCount } }', {}, researcher(PARTNER_A));
      expect(response.data!.santriRecords.totalCount).toBeGreaterThan(0);
      const row = (await auditRows()).at(-1)!;
      expect(await auditCount()).toBe(before + 1);
      expect(row).toMatchObject({ record_count: 0, santri_ids: [], fields: ['totalCount'] });
    });

    it('audits a read that finds nobody, too', async () => {
      const before = await auditCount();
      const response = await gql<RecordPage>(RECORDS, { purpose: 'RESEARCH', filter: { regencyCodes: ['3578'] } }, researcher(PARTNER_B));
      expect(response.data!.santriRecords.nodes).toEqual([]);
      expect(await auditCount()).toBe(before + 1);
      expect((await auditRows()).at(-1)).toMatchObject({ partner_id: PARTNER_B, record_count: 0, santri_ids: [] });
    });

    it('returns no record when the audit row cannot be written', async () => {
      await sql(`create function $schema.refuse_for_test() returns trigger language plpgsql as $$ begin raise exception 'audit unavailable'; end $$`);
      await sql(`create trigger refuse_for_test before insert on $schema.santri_record_access for each row execute function $schema.refuse_for_test()`);
      try {
        const before = await auditCount();
        const response = await gql<RecordPage>(RECORDS, { purpose: 'RESEARCH' }, researcher(PARTNER_A));
        expectError(response, 'INTERNAL_SERVER_ERROR');
        expect(response.data?.santriRecords ?? null).toBeNull();
        expect(await auditCount()).toBe(before);
      } finally {
        await sql('drop trigger refuse_for_test on $schema.santri_record_access');
        await sql('drop function $schema.refuse_for_test()');
      }
    });

    it.each([
      ['UPDATE', "update $schema.santri_record_access set record_count = 0, subject = 'someone-else'"],
      ['DELETE', 'delete from $schema.santri_record_access'],
      ['TRUNCATE', 'truncate $schema.santri_record_access'],
    ])('is append-only in the database itself: %s fails', async (_operation, statement) => {
      const before = await auditRows();
      expect(before.length).toBeGreaterThan(0);
      await expect(sql(statement)).rejects.toThrow(/append-only/);
      expect(await auditRows()).toEqual(before);
    });

    const LOG = `query($first: Int, $after: String, $partnerId: ID) {
      santriRecordAccessLog(first: $first, after: $after, partnerId: $partnerId) {
        totalCount nodes { id at subject role partnerId purpose fields recordCount
          filter { regencyCodes programmeKinds genders birthYears intakeYears } }
        pageInfo { hasNextPage endCursor } } }`;
    type Log = {
      santriRecordAccessLog: {
        totalCount: number;
        nodes: { id: string; at: string; subject: string; partnerId: string | null; recordCount: number; filter: Record<string, unknown> }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };

    it.each([
      ['an anonymous caller', undefined, {}, 'UNAUTHENTICATED'],
      ['an operator', operatorIdentity(PESANTREN), {}, 'FORBIDDEN'],
      ['a media partner', { role: 'media_partner', subject: 'media', pesantrenId: null, scopes: ['academics:records'], partnerId: PARTNER_A } as Identity, {}, 'FORBIDDEN'],
      ['an academic partner asking for another partner’s entries', researcher(PARTNER_A), { partnerId: PARTNER_B }, 'FORBIDDEN'],
      ['an academic partner credential that names no partner', researcher(null), {}, 'FORBIDDEN'],
    ] as const)('cannot be read by %s', async (_name, identity, variables, code) => {
      const response = await gql<Log>(LOG, variables, identity);
      expectError(response, code);
      expect(response.data?.santriRecordAccessLog ?? null).toBeNull();
    });

    it('is read by an academic partner, its own partner’s entries only, whether it names its partner or not', async () => {
      const rows = (await auditRows()).reverse();
      const own = rows.filter((row) => row.partner_id === PARTNER_A);
      expect(own.length).toBeGreaterThan(0);
      expect(rows.some((row) => row.partner_id !== PARTNER_A)).toBe(true);
      // Without any scope: the trail of one's own reads needs none.
      for (const variables of [{}, { partnerId: PARTNER_A }, { partnerId: PARTNER_A.toUpperCase() }]) {
        const seen: Log['santriRecordAccessLog']['nodes'] = [];
        let after: string | null = null;
        do {
          const response: GraphQLResponse<Log> = await gql<Log>(LOG, { ...variables, first: 3, after }, researcher(PARTNER_A, []));
          expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
          const log = response.data!.santriRecordAccessLog;
          expect(log.totalCount).toBe(own.length);
          seen.push(...log.nodes);
          after = log.pageInfo.hasNextPage ? log.pageInfo.endCursor : null;
        } while (after);
        expect(seen.map((entry) => [entry.subject, entry.partnerId, entry.recordCount])).toEqual(own.map((row) => [row.subject, row.partner_id, row.record_count]));
      }
      // Partner B sees B's entries, never A's.
      const ofB = await gql<Log>(LOG, { first: 100 }, researcher(PARTNER_B));
      expect(ofB.data!.santriRecordAccessLog.nodes.length).toBeGreaterThan(0);
      expect(new Set(ofB.data!.santriRecordAccessLog.nodes.map((entry) => entry.partnerId))).toEqual(new Set([PARTNER_B]));
    });

    it('is read by programme admins, newest first, page by page, and per partner', async () => {
      const expected = (await auditRows()).reverse();
      const seen: Log['santriRecordAccessLog']['nodes'] = [];
      let after: string | null = null;
      do {
        const response: GraphQLResponse<Log> = await gql<Log>(LOG, { first: 4, after }, adminIdentity());
        expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
        const log = response.data!.santriRecordAccessLog;
        expect(log.totalCount).toBe(expected.length);
        seen.push(...log.nodes);
        after = log.pageInfo.hasNextPage ? log.pageInfo.endCursor : null;
      } while (after);
      expect(seen.map((entry) => [entry.subject, entry.partnerId, entry.recordCount])).toEqual(expected.map((row) => [row.subject, row.partner_id, row.record_count]));
      expect(seen.map((entry) => entry.at)).toEqual([...seen.map((entry) => entry.at)].sort().reverse());

      const ofB = await gql<Log>(LOG, { partnerId: PARTNER_B, first: 100 }, adminIdentity());
      expect(ofB.data!.santriRecordAccessLog.nodes.map((entry) => entry.partnerId)).toEqual(expected.filter((row) => row.partner_id === PARTNER_B).map(() => PARTNER_B));
      expect(ofB.data!.santriRecordAccessLog.nodes.length).toBeGreaterThan(0);
    });

    it('has no mutation that could change it', async () => {
      const { data } = await gql<{ __type: { fields: { name: string; type: { name: string | null; ofType: { name: string | null } | null } }[] } }>(
        '{ __type(name: "Mutation") { fields { name type { name ofType { name } } } } }',
      );
      expect(data!.__type.fields.filter((f) => /access|audit/i.test(`${f.name} ${f.type.name ?? f.type.ofType?.name}`))).toEqual([]);
    });
  });
});
