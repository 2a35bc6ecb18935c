import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAcademics } from '@opop/academics/seeder';
import { loadCatalogue } from '@opop/catalogue/seeder';
import { generatePartners, generateWorld, PARTNERS, PROGRAMME_SCALE_SANTRI, type DemoWorld, type Scale } from '@opop/demo-data';
import { loadMedia } from '@opop/media/seeder';
import { loadPartners } from '@opop/partners/seeder';
import { loadPesantren } from '@opop/pesantren/seeder';
import { createLogger, IN_MEMORY, openDatabase, type EntityManager } from '@opop/server-kit';
import { defaultProtection, SUBGRAPHS } from '@opop/router';
import { entities as academicsEntities } from '../subgraphs/academics/src/entities.ts';
import { migrations as academicsMigrations } from '../subgraphs/academics/migrations/index.ts';
import { entities as catalogueEntities } from '../subgraphs/catalogue/src/entities.ts';
import { migrations as catalogueMigrations } from '../subgraphs/catalogue/migrations/index.ts';
import { entities as mediaEntities } from '../subgraphs/media/src/entities.ts';
import { migrations as mediaMigrations } from '../subgraphs/media/migrations/index.ts';
import { entities as partnersEntities } from '../subgraphs/partners/src/entities.ts';
import { migrations as partnersMigrations } from '../subgraphs/partners/migrations/index.ts';
import { entities as pesantrenEntities } from '../subgraphs/pesantren/src/entities.ts';
import { migrations as pesantrenMigrations } from '../subgraphs/pesantren/migrations/index.ts';
import { ms, percentile, ratio, type BenchResult } from './measure.ts';
import { readyProbe, start, stopAll } from './router.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = 'bench-scale-identity-secret-0123456789abcdef';
/** Growth allowed from the demo data to programme scale, per operation (issue 21). */
const TARGET_GROWTH = 1.5;
/** What the router sends at most by default (router/src/config.ts); the measured router runs with it. */
const ANSWER_CAP_BYTES = defaultProtection('production').maxResponseBytes;
const LISTED = new Set(['SUBMITTED', 'IN_REVIEW', 'FEATURED']);

type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

const LOADERS: Record<SubgraphName, { entities: unknown[]; migrations: unknown[]; load: (em: EntityManager, world: DemoWorld) => Promise<unknown> }> = {
  pesantren: { entities: pesantrenEntities, migrations: pesantrenMigrations, load: loadPesantren },
  catalogue: { entities: catalogueEntities, migrations: catalogueMigrations, load: loadCatalogue },
  academics: { entities: academicsEntities, migrations: academicsMigrations, load: loadAcademics },
  partners: { entities: partnersEntities, migrations: partnersMigrations, load: loadPartners },
  media: { entities: mediaEntities, migrations: mediaMigrations, load: loadMedia },
};

const schemaOf = (scale: Scale, name: SubgraphName) => `scale_${scale}_${name}`;

/**
 * Programme scale a few years on: the same pesantren and products, partners with four times the
 * engagements (48 of each kind, not 12). Measured against programme scale, it shows whether an
 * operation's cost keeps growing once the data outgrows the pages it answers with.
 */
const BUSIER_ENGAGEMENTS_PER_KIND = 48;
const BUSIER_PARTNERS_SCHEMA = 'scale_full_partners_busier';
/** The operations that read engagements, measured on the busier world too. */
const READS_ENGAGEMENTS = new Set(['Product', 'Pesantren', 'StorefrontPesantren', 'Partners', 'Partner', 'StorefrontPartners', 'StorefrontPartner']);

/**
 * Loads a subgraph's data into a schema of its own, once: a marker table says the schema was
 * loaded in full, so an interrupted load is dropped and done again instead of half reused.
 * Resolves with how long the load took, or null when the schema was reused.
 */
async function ensureSchemaLoaded(databaseUrl: string, name: SubgraphName, schema: string, load: (em: EntityManager) => Promise<unknown>): Promise<string | null> {
  const logger = createLogger('bench', 'warn');
  const { entities, migrations } = LOADERS[name];
  const config = { url: databaseUrl, schema, dataDir: IN_MEMORY, poolMax: 4, logSql: false };
  // Opening migrates (idempotent), so the marker table can be looked for in a schema that exists.
  const probe = await openDatabase({ service: name, config, entities: entities as never, migrations: migrations as never, logger });
  const connection = probe.orm.em.getConnection();
  const marked = (await connection.execute<{ n: number }[]>(`select count(*)::int as n from information_schema.tables where table_schema = ? and table_name = 'bench_loaded'`, [schema]))[0]!.n > 0;
  if (marked) {
    await probe.close();
    return null;
  }
  await connection.execute(`drop schema if exists "${schema}" cascade`);
  await probe.close();
  const started = performance.now();
  const database = await openDatabase({ service: name, config, entities: entities as never, migrations: migrations as never, logger });
  try {
    await load(database.fork());
    await database.orm.em.getConnection().execute(`analyze`);
    await database.orm.em.getConnection().execute(`create table "${schema}".bench_loaded (loaded_at timestamptz not null default now())`);
    await database.orm.em.getConnection().execute(`insert into "${schema}".bench_loaded default values`);
  } finally {
    await database.close();
  }
  return `${name} ${((performance.now() - started) / 1000).toFixed(0)} s`;
}

/** Loads a world into schemas of its own (one per subgraph), once. */
export async function ensureLoaded(databaseUrl: string, scale: Scale, world: DemoWorld): Promise<string> {
  const loaded: string[] = [];
  for (const name of Object.keys(LOADERS) as SubgraphName[]) {
    const took = await ensureSchemaLoaded(databaseUrl, name, schemaOf(scale, name), (em) => LOADERS[name].load(em, world));
    if (took) loaded.push(took);
  }
  return loaded.length ? `loaded in this run: ${loaded.join(', ')}` : 'already loaded, reused';
}

interface Operation {
  name: string;
  /** What a client asks for, drawn from the world at hand. */
  variables: (world: DemoWorld) => Record<string, unknown>;
  note?: string;
}

/** An operation's row: its name, and its note where one document is measured with other variables too. */
const labelOf = (operation: Operation) => (operation.note ? `${operation.name} (${operation.note})` : operation.name);

const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)]!;
const listedSlugs = new WeakMap<DemoWorld, string[]>();
const productSlug = (world: DemoWorld) => {
  let slugs = listedSlugs.get(world);
  if (!slugs) listedSlugs.set(world, (slugs = world.products.filter((p) => LISTED.has(p.status)).map((p) => p.slug)));
  return pick(slugs);
};
const pesantrenSlug = (world: DemoWorld) => pick(world.pesantren).slug;
const engagementIds = new WeakMap<DemoWorld, string[]>();
const engagementId = (world: DemoWorld) => {
  let ids = engagementIds.get(world);
  if (!ids) engagementIds.set(world, (ids = generatePartners(world).engagements.map((engagement) => engagement.id)));
  return pick(ids);
};
const SEARCHES = ['madu', 'kopi', 'batik', 'keripik tempe', 'sarung', 'kerupuk', 'sambal', 'gula aren'];

/**
 * Our clients' public read operations (storefront, widgets, SDK) as they call them. Left out: the
 * order status (it needs a token from an order), the santri statistics (academic partners only,
 * with a key; their cost at programme scale has its own section), the publisher's reads of one
 * changed product or pesantren by id (the same reads as `Product` and `WidgetPesantrenBadge`, by
 * slug) and the mutations.
 */
export const OPERATIONS: Operation[] = [
  { name: 'WidgetProductCard', variables: (w) => ({ slug: productSlug(w) }) },
  { name: 'StorefrontProductStock', variables: (w) => ({ slug: productSlug(w) }) },
  { name: 'Product', variables: (w) => ({ slug: productSlug(w) }) },
  { name: 'StorefrontSearch', variables: () => ({ query: pick(SEARCHES), filters: {}, sort: 'RELEVANCE', page: 1, pageSize: 20 }) },
  { name: 'SearchProducts', variables: () => ({ query: pick(SEARCHES) }) },
  { name: 'WidgetSearch', variables: () => ({ query: pick(SEARCHES) }) },
  { name: 'EmbedProductPicker', variables: () => ({ query: pick(SEARCHES) }) },
  { name: 'WidgetPesantrenBadge', variables: (w) => ({ slug: pesantrenSlug(w) }) },
  { name: 'WidgetPesantrenGrid', variables: (w) => ({ slug: pesantrenSlug(w), first: 6 }) },
  { name: 'Pesantren', variables: (w) => ({ slug: pesantrenSlug(w) }) },
  { name: 'WidgetCategoryGrid', variables: (w) => ({ category: pick(w.categories).slug, first: 6 }) },
  { name: 'Products', variables: () => ({ first: 20 }), note: 'first page, with totalCount' },
  { name: 'StorefrontProducts', variables: () => ({ first: 100 }), note: 'first page of the build' },
  { name: 'PesantrenList', variables: () => ({ first: 20 }), note: 'first page, with totalCount' },
  // The build asks 100 a page; the demo data has only 64 pesantren and 48 articles, so a page of 100
  // would compare a part-filled page with a full one. 40, a page both fill, measures the cost of
  // the same answer as the data grows.
  { name: 'StorefrontPesantren', variables: () => ({ first: 40 }), note: 'a page of 40 of the build' },
  { name: 'Articles', variables: () => ({ first: 10 }) },
  { name: 'StorefrontArticles', variables: () => ({ first: 40 }), note: 'a page of 40 of the build' },
  { name: 'Categories', variables: () => ({}) },
  { name: 'StorefrontCategories', variables: () => ({}) },
  { name: 'Regencies', variables: () => ({}) },
  { name: 'StorefrontRegencies', variables: () => ({}) },
  { name: 'Partners', variables: () => ({}) },
  // The demo world has one engagement of each kind per partner, so most partners fill one of the
  // default three places; programme scale fills all three. One each is a page both scales fill:
  // the cost of the same answer as the data grows.
  { name: 'Partners', variables: () => ({ engagementsEach: 1 }), note: 'engagementsEach: 1, a page both scales fill' },
  { name: 'Partner', variables: () => ({ slug: pick(PARTNERS).slug }) },
  { name: 'StorefrontPartners', variables: () => ({}) },
  { name: 'StorefrontPartner', variables: () => ({ slug: pick(PARTNERS).slug }), note: 'every engagement of a partner' },
  { name: 'StorefrontEngagementPesantren', variables: (w) => ({ id: engagementId(w) }), note: 'every pesantren of an engagement' },
  { name: 'StorefrontOutlets', variables: () => ({}) },
  { name: 'Innovation', variables: () => ({}) },
  { name: 'StorefrontInnovation', variables: () => ({}) },
];

interface Measured {
  p50: number;
  p95: number;
  /** The largest answer in bytes (uncompressed JSON) of the measured requests. */
  bytes: number;
  error?: string;
}

interface Stack {
  /** Asks the router for an operation with fresh variables; resolves with the answer's size in bytes. */
  ask(operation: Operation): Promise<number>;
  /** Where each subgraph of the stack answers. */
  urls: Record<SubgraphName, string>;
}

interface StackPlan {
  label: string;
  /** The schema each subgraph this stack starts reads. */
  schemaOf: (name: SubgraphName) => string;
  world: DemoWorld;
  /** Subgraphs another stack already runs on the same schemas: asked, not started again. */
  shared?: Partial<Record<SubgraphName, string>>;
}

/** Starts a stack's subgraphs (those not shared) and our router (cache off) over them, as processes. */
async function startStack(databaseUrl: string, plan: StackPlan, documents: Map<string, string>, children: ChildProcess[]): Promise<Stack> {
  const urls: Partial<Record<SubgraphName, string>> = { ...plan.shared };
  const startSubgraph = async (name: SubgraphName, extra: Record<string, string> = {}) => {
    if (urls[name]) return;
    const service = await start(
      `${name} (${plan.label})`,
      `subgraphs/${name}/src/server.ts`,
      { NODE_ENV: 'production', LOG_LEVEL: 'warn', ROUTER_IDENTITY_SECRET: SECRET, PSEUDONYM_SECRET: SECRET, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: plan.schemaOf(name), SEED_DEMO_DATA: 'false', SEARCH_POLL_MS: '60000', ...extra },
      readyProbe,
    );
    children.push(service.child);
    urls[name] = service.url;
  };
  await startSubgraph('pesantren');
  await startSubgraph('catalogue', { PESANTREN_URL: urls.pesantren! });
  for (const name of ['academics', 'partners', 'media'] as const) await startSubgraph(name, { PESANTREN_URL: urls.pesantren!, CATALOGUE_URL: urls.catalogue! });
  const router = await start(
    `router (${plan.label})`,
    'router/src/server.ts',
    {
      ...Object.fromEntries(SUBGRAPHS.map(({ name, urlVariable }) => [urlVariable, urls[name]!])),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ROUTER_IDENTITY_SECRET: SECRET,
      RESPONSE_CACHE: 'false',
      ROUTER_WORKERS: '1',
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
    },
    readyProbe,
  );
  children.push(router.child);
  const ask = async (operation: Operation) => {
    const response = await fetch(router.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: documents.get(operation.name), variables: operation.variables(plan.world) }),
    });
    const text = await response.text();
    const json = JSON.parse(text) as { errors?: { message: string }[] };
    if (!response.ok || json.errors) throw new Error(json.errors?.[0]?.message ?? `HTTP ${response.status}`);
    return Buffer.byteLength(text);
  };
  // The catalogue answers before its search index is built: wait for search.
  const search = OPERATIONS.find((operation) => operation.name === 'StorefrontSearch')!;
  const deadline = Date.now() + 300_000;
  while (!(await ask(search).then(() => true, () => false))) {
    if (Date.now() > deadline) await ask(search);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { ask, urls: urls as Record<SubgraphName, string> };
}

/**
 * The stacks run at once and are measured in turns: round after round, every operation is asked
 * of one stack and then the others (which goes first rotates), one request at a time. Measured
 * one scale after the other, minutes apart, a p95 of 150 requests moved past 1.5x for operations
 * whose p50 did not grow at all (StorefrontOutlets: p50 1.06x, p95 2.38x): this machine's load
 * changed between the two halves, not the operation. In turns, whatever the machine does falls
 * on every stack alike. A stack may be asked only some of the operations.
 */
async function measureInTurns(stacks: Map<string, { stack: Stack; asks: (operation: Operation) => boolean }>): Promise<Map<string, Map<string, Measured>>> {
  const WARMUP = 10;
  // 300: the p95 is then the 15th-worst request. With 150 (the 8th-worst) a few young-generation
  // collections (10-15 ms each in a router or subgraph) landing on one operation's requests moved
  // operations with a flat p50 past 1.5x at p95 from one run to the next.
  const ROUNDS = 300;
  const labels = [...stacks.keys()];
  // One tally per stack and operation: its samples, its largest answer, its first failure.
  const tallies = new Map(labels.map((label) => [label, new Map(OPERATIONS.map((operation) => [labelOf(operation), { samples: [] as number[], bytes: 0, error: undefined as string | undefined }]))]));
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const operation of OPERATIONS) {
      const order = labels.map((_, index) => labels[(index + round) % labels.length]!);
      for (const label of order) {
        const { stack, asks } = stacks.get(label)!;
        if (!asks(operation)) continue;
        const tally = tallies.get(label)!.get(labelOf(operation))!;
        if (tally.error) continue;
        const started = performance.now();
        try {
          const size = await stack.ask(operation);
          const elapsed = performance.now() - started;
          if (round < WARMUP) continue;
          tally.samples.push(elapsed);
          tally.bytes = Math.max(tally.bytes, size);
        } catch (error) {
          tally.error = (error as Error).message.slice(0, 120);
        }
      }
    }
  }
  return new Map(
    [...tallies].map(([label, byOperation]) => [
      label,
      new Map(
        [...byOperation].map(([name, { samples, bytes, error }]): [string, Measured] => {
          const sorted = samples.sort((a, b) => a - b);
          return [name, error ? { p50: Number.NaN, p95: Number.NaN, bytes, error } : { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), bytes }];
        }),
      ),
    ]),
  );
}

/** One operation's row comparing two stacks: p50 / p95 of each, growth at p95 (bold past the target) and at p50, answer sizes. */
function growthRow(label: string, before: Measured, after: Measured): { growth: number; p50Growth: number; answerGrowth: number; line: string } {
  const growth = after.p95 / before.p95;
  const cell = (m: Measured) => (m.error ? `fails: ${m.error}` : `${ms(m.p50)} / ${ms(m.p95)}`);
  const failed = Boolean(before.error || after.error);
  const verdict = failed ? '—' : growth <= TARGET_GROWTH ? ratio(growth) : `**${ratio(growth)}**`;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)}`;
  return {
    growth: failed ? Number.POSITIVE_INFINITY : growth,
    p50Growth: failed ? Number.POSITIVE_INFINITY : after.p50 / before.p50,
    answerGrowth: after.bytes / before.bytes,
    line: `| ${label} | ${cell(before)} | ${cell(after)} | ${verdict} | ${failed ? '—' : ratio(after.p50 / before.p50)} | ${failed ? '—' : `${kib(before.bytes)} → ${kib(after.bytes)}`} |`,
  };
}

/**
 * Issue 21: what each client operation costs as the data grows, from the demo data to the
 * programme's scale (100,000 products, 4,452 pesantren, 761,777 santri), through our router with
 * its response cache off (the first request after a change, signed-in callers, the console), one
 * request at a time, every service a process of its own on PostgreSQL; and, for the operations
 * that read engagements, from programme scale to four times its engagements.
 */
export async function costAtScale(databaseUrl: string | undefined): Promise<BenchResult> {
  const title = 'Cost per operation, demo data against programme scale (issue 21)';
  if (!databaseUrl) return { title, body: '_Not measured: programme-scale data needs PostgreSQL (set BENCH_DATABASE_URL or TEST_DATABASE_URL)._' };
  const manifest = JSON.parse(await readFile(join(ROOT, 'schema/persisted-operations.json'), 'utf8')) as Record<string, string>;
  const documents = new Map(OPERATIONS.map(({ name }) => [name, Object.values(manifest).find((text) => new RegExp(`\\bquery ${name}\\b`).test(text))!]));
  const missing = OPERATIONS.filter(({ name }) => !documents.get(name)).map(({ name }) => name);
  if (missing.length) throw new Error(`not in schema/persisted-operations.json: ${missing.join(', ')}`);
  const scales: Scale[] = ['demo', 'full'];
  const loads: string[] = [];
  const worlds = new Map(scales.map((scale) => [scale, generateWorld(scale)]));
  for (const scale of scales) {
    console.log(`  ${scale}: loading …`);
    loads.push(`${scale}: ${await ensureLoaded(databaseUrl, scale, worlds.get(scale)!)}`);
  }
  const full = worlds.get('full')!;
  console.log('  full, busier partners: loading …');
  const busierLoad = await ensureSchemaLoaded(databaseUrl, 'partners', BUSIER_PARTNERS_SCHEMA, (em) => loadPartners(em, full, { engagementsPerKind: BUSIER_ENGAGEMENTS_PER_KIND }));
  loads.push(`full with busier partners: ${busierLoad ? `loaded in this run: ${busierLoad}` : 'already loaded, reused'}`);
  const children: ChildProcess[] = [];
  let measured: Map<string, Map<string, Measured>>;
  try {
    const stacks = new Map<string, { stack: Stack; asks: (operation: Operation) => boolean }>();
    for (const scale of scales) {
      console.log(`  ${scale}: starting …`);
      const stack = await startStack(databaseUrl, { label: scale, schemaOf: (name) => schemaOf(scale, name), world: worlds.get(scale)! }, documents, children);
      stacks.set(scale, { stack, asks: () => true });
    }
    console.log('  full, busier partners: starting …');
    const { urls } = stacks.get('full')!.stack;
    const busier = await startStack(
      databaseUrl,
      { label: 'busier', schemaOf: () => BUSIER_PARTNERS_SCHEMA, world: full, shared: { pesantren: urls.pesantren, catalogue: urls.catalogue, academics: urls.academics, media: urls.media } },
      documents,
      children,
    );
    stacks.set('busier', { stack: busier, asks: (operation) => READS_ENGAGEMENTS.has(operation.name) });
    console.log('  measuring the stacks in turns …');
    measured = await measureInTurns(stacks);
  } finally {
    await stopAll(children);
  }
  const atDemo = measured.get('demo')!;
  const atFull = measured.get('full')!;
  const atBusier = measured.get('busier')!;
  const rows = OPERATIONS.map((operation) => ({ name: labelOf(operation), ...growthRow(labelOf(operation), atDemo.get(labelOf(operation))!, atFull.get(labelOf(operation))!) }));
  const busierRows = OPERATIONS.filter((operation) => READS_ENGAGEMENTS.has(operation.name)).map((operation) => ({ name: labelOf(operation), ...growthRow(labelOf(operation), atFull.get(labelOf(operation))!, atBusier.get(labelOf(operation))!) }));
  const over = rows.filter((row) => !(row.growth <= TARGET_GROWTH));
  const busierOver = busierRows.filter((row) => !(row.growth <= TARGET_GROWTH));
  // An answer that grows with the data fails outright once it passes the router's cap
  // (RESPONSE_TOO_LARGE): the storefront's partners page did, before it asked for fewer pesantren.
  const largest = (name: string) => Math.max(atFull.get(name)?.bytes ?? 0, atBusier.get(name)?.bytes ?? 0);
  const crowded = OPERATIONS.map(labelOf).filter((name) => largest(name) > ANSWER_CAP_BYTES / 2).map((name) => `${name} (${Math.round(largest(name) / 1024)} KiB)`);
  // With how much its answer grew: an operation whose answer is the same size at both scales and
  // costs more is a cost that grows with the data; one whose answer grew is read by that first.
  type Row = (typeof rows)[number];
  const listOver = (list: Row[], growthOf: (row: Row) => number = (row) => row.growth) =>
    list.map((row) => `${row.name} (${Number.isFinite(growthOf(row)) ? `${ratio(growthOf(row))}, its answer ${ratio(row.answerGrowth)} the size` : 'failed'})`).join(', ');
  // The p95 of 300 requests moves from run to run by more than the target's margin (the partners
  // listing's went from 1.00x to 2.06x on one day's runs, its p50 from 1.68x to 1.85x): the p50
  // verdict is said beside it, so a lucky p95 does not read as a cost that stopped growing.
  const overAtP50 = rows.filter((row) => !(row.p50Growth <= TARGET_GROWTH));
  const atP50 = overAtP50.length === 0 ? `At p50 too, every operation grows by at most ${TARGET_GROWTH}×.` : `At p50, over ${TARGET_GROWTH}×: ${listOver(overAtP50, (row) => row.p50Growth)}.`;
  const body = [
    `Our clients' public read operations (storefront, widgets, SDK; left out: the order status, which needs an order's token, the santri statistics, which need a partner's key and have their own section, and mutations) through our router with its response cache off, one worker, to the five subgraphs, every service a process of its own with production settings on PostgreSQL; the stacks running at once and asked in turns (every operation of one stack, then of the others, round after round), one request at a time, 10 warm-up and 300 measured rounds, variables drawn at random from the world at hand (listed products, pesantren, categories, search words). Demo: ${generateWorld('demo').products.length.toLocaleString('en')} products, ${generateWorld('demo').pesantren.length} pesantren, one engagement of each kind per partner. Programme scale: 100,000 products, 4,452 pesantren, ${PROGRAMME_SCALE_SANTRI.toLocaleString('en')} santri, 12 engagements of each kind per partner. Data ${loads.join('; ')}.`,
    '',
    `${over.length === 0 ? '**Target met at p95.**' : '**Target not met.**'} ${rows.length - over.length} of ${rows.length} operations grow by at most ${TARGET_GROWTH}× at p95 from the demo data to programme scale${over.length ? `; over it: ${listOver(over)}` : ''}. ${atP50}`,
    '',
    `${crowded.length ? `**Near the router's answer cap** (over half of its ${ANSWER_CAP_BYTES / 1024} KiB; past it the operation fails): ${crowded.join(', ')}.` : `No answer at programme scale, nor with busier partners, is over half of the router's ${ANSWER_CAP_BYTES / 1024} KiB cap.`}`,
    '',
    "The p50 growth and the answer size are there to read the p95 verdict by: an answer that grows with the data (every engagement of a partner; the partners listing, whose three places per partner the demo world fills one of) costs more to build and send, and a p95 ratio far from the p50 one is this machine's scheduling, not the operation.",
    '',
    '| operation | demo p50 / p95 | programme scale p50 / p95 | growth at p95 | growth at p50 | largest answer KiB, demo → programme |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => row.line),
    '',
    `**Past programme scale: partners with four times the engagements** (${BUSIER_ENGAGEMENTS_PER_KIND} of each kind instead of 12; the same pesantren and products), the operations that read engagements, measured in the same turns. ${busierOver.length === 0 ? `Each grows by at most ${TARGET_GROWTH}× at p95.` : `Over ${TARGET_GROWTH}× at p95: ${listOver(busierOver)}.`} ${busierRows.some((row) => !(row.p50Growth <= TARGET_GROWTH)) ? `At p50, over ${TARGET_GROWTH}×: ${listOver(busierRows.filter((row) => !(row.p50Growth <= TARGET_GROWTH)), (row) => row.p50Growth)}.` : `At p50 too, each grows by at most ${TARGET_GROWTH}×.`} The partners listings answer with a fixed page (a partner's newest few engagements) and stay the size they were; lists shown whole up to the schema's 100 (a partner's engagements on \`Partner\` and \`StorefrontPartner\`, a pesantren's on \`Pesantren\` and \`StorefrontPesantren\`, a product's on \`Product\`) grow with the engagements until they reach it.`,
    '',
    '| operation | programme scale p50 / p95 | busier partners p50 / p95 | growth at p95 | growth at p50 | largest answer KiB, programme → busier |',
    '|---|---|---|---|---|---|',
    ...busierRows.map((row) => row.line),
  ].join('\n');
  return { title, body };
}
