import { createAcademicsService } from '@opop/academics/app';
import { loadAcademics } from '@opop/academics/seeder';
import { generateWorld, PROGRAMME_SCALE_SANTRI } from '@opop/demo-data';
import { createLogger, IN_MEMORY, openDatabase, signForwardedIdentity, type Database } from '@opop/server-kit';
import { entities } from '../subgraphs/academics/src/entities.ts';
import { migrations } from '../subgraphs/academics/migrations/index.ts';
import { measure, ms, ratio, type BenchResult } from './measure.ts';

const SCHEMA = 'academics_bench';
const SECRET = 'bench-identity-secret-0123456789abcdefgh';
const TARGET_P95_MS = 100;

const STATS = `query($groupBy: [EnrolmentDimension!]!, $filter: EnrolmentFilter) {
  enrolmentStats(groupBy: $groupBy, filter: $filter) { total { value suppressed } cells { count { value suppressed } } } }`;

/**
 * The enrolment aggregate over all of East Java at programme scale (761,777 santri), grouped by
 * regency and programme, end to end through the academics subgraph over HTTP, next to the raw
 * scan of the santri records it would otherwise take, in the same run on the same data.
 */
export async function academicsAggregate(databaseUrl: string | undefined): Promise<BenchResult> {
  const logger = createLogger('bench', 'warn');
  const config = { url: databaseUrl, schema: SCHEMA, dataDir: IN_MEMORY, poolMax: 4, logSql: false };
  const database: Database = await openDatabase({ service: 'academics', config, entities, migrations, logger });
  const connection = database.orm.em.getConnection();
  const santriTable = `"${SCHEMA}"."santri"`;
  let existing = 0;
  let loadSeconds: number | null = null;
  try {
    existing = (await connection.execute<{ n: number }[]>(`select count(*)::int as n from ${santriTable}`))[0]?.n ?? 0;
    if (existing !== PROGRAMME_SCALE_SANTRI) {
      const started = performance.now();
      await loadAcademics(database.fork(), generateWorld('full'));
      loadSeconds = (performance.now() - started) / 1000;
    }
    if (database.kind === 'postgresql') await connection.execute(`vacuum analyze ${santriTable}`);
  } finally {
    await database.close();
  }

  const service = await createAcademicsService(
    { service: 'academics', environment: 'test', logLevel: 'warn', host: '127.0.0.1', port: 0, database: config, identitySecret: SECRET, seedDemoData: false },
    logger,
  );
  try {
    const url = await service.server.listen('127.0.0.1', 0);
    const identity = await signForwardedIdentity({ role: 'academic_partner', subject: 'bench', pesantrenId: null, scopes: ['academics:aggregate'] }, SECRET);
    const ask = (variables: object) => async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-opop-identity': identity }, body: JSON.stringify({ query: STATS, variables }) });
      const body = (await response.json()) as { errors?: unknown };
      if (body.errors) throw new Error(JSON.stringify(body.errors));
    };
    const sql = (text: string) => () => service.database.orm.em.getConnection().execute(text);

    const api = await measure(ask({ groupBy: ['REGENCY', 'PROGRAMME'] }));
    const rollup = await measure(sql(`select regency_code, programme_kind, sum(santri) from "${SCHEMA}".enrolment_count group by 1, 2`));
    const scan = await measure(sql(`select regency_code, programme_kind, count(*) from ${santriTable} group by 1, 2`), { warmup: 5, iterations: 60 });
    const perPesantren = await measure(ask({ groupBy: ['PESANTREN', 'GENDER'], filter: { regencyCodes: ['3509', '3529'] } }));
    const engine = service.database.kind === 'postgresql' ? 'PostgreSQL' : 'PGlite (no PostgreSQL URL was given)';
    const row = (name: string, t: { p50: number; p95: number; p99: number }, vs: string) => `| ${name} | ${ms(t.p50)} | ${ms(t.p95)} | ${ms(t.p99)} | ${vs} |`;
    const verdict =
      service.database.kind === 'postgresql'
        ? api.p95 < TARGET_P95_MS
          ? `**Target met:** p95 ${ms(api.p95)} < ${TARGET_P95_MS} ms on PostgreSQL.`
          : `**Target missed:** p95 ${ms(api.p95)} ≥ ${TARGET_P95_MS} ms on PostgreSQL.`
        : 'The target is stated for PostgreSQL; set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to measure it.';
    return {
      title: 'Enrolment statistics at programme scale (issue 4)',
      body: [
        `${PROGRAMME_SCALE_SANTRI.toLocaleString('en')} generated santri on ${engine}, schema \`${SCHEMA}\`` +
          engineLoad(existing, loadSeconds),
        '',
        '| query | p50 | p95 | p99 | compared with |',
        '|---|---|---|---|---|',
        row('`enrolmentStats(groupBy: [REGENCY, PROGRAMME])`, HTTP → GraphQL → SQL → suppression', api, `${ratio(api.p95 / scan.p95)} the raw scan's p95`),
        row('its SQL alone, on the `enrolment_count` rollup', rollup, `${ratio(rollup.p95 / scan.p95)} the raw scan's p95`),
        row('baseline: the same aggregate scanning every santri record', scan, '1.00×'),
        row('`enrolmentStats(groupBy: [PESANTREN, GENDER])` for 2 regencies (reads the records)', perPesantren, `${ratio(perPesantren.p95 / scan.p95)} the raw scan's p95`),
        '',
        `${api.iterations} sequential requests after 20 warm-up requests (the raw scan: 60 after 5). ${verdict}`,
      ].join('\n'),
    };
  } finally {
    await service.server.close();
  }
}

function engineLoad(existing: number, seconds: number | null): string {
  return seconds === null ? ` (already loaded: ${existing.toLocaleString('en')} rows reused).` : ` (loaded in this run: ${seconds.toFixed(0)} s).`;
}
