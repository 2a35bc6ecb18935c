import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { isDeepStrictEqual } from 'node:util';
import type { EntityClass } from '@mikro-orm/core';
import type { Database, DatabaseConfig, EntityManager } from './database.ts';
import { IN_MEMORY } from './database.ts';
import { readRecords } from './records.ts';
import type { LogLevel } from './config.ts';
import type { SubgraphConfig } from './subgraph.ts';
import { ANONYMOUS, IDENTITY_HEADER, signForwardedIdentity, type Identity } from './identity.ts';
import { signVisitor, VISITOR_HEADER } from './visitor.ts';

/**
 * Test helpers shared by the subgraphs' and router's suites. Every data-layer suite runs on
 * embedded PGlite and, when TEST_DATABASE_URL is set, on that PostgreSQL too, in a schema of its
 * own that is dropped afterwards.
 */

export interface TestEngine {
  name: 'pglite' | 'postgresql';
  /** Set when the engine cannot run here; the suite is reported as skipped, with this reason. */
  skip: string | undefined;
  url: string | undefined;
}

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'] || undefined;

export const testEngines = (): TestEngine[] => [
  { name: 'pglite', skip: undefined, url: undefined },
  {
    name: 'postgresql',
    skip: TEST_DATABASE_URL ? undefined : 'TEST_DATABASE_URL is not set, so the PostgreSQL run of this suite is skipped',
    url: TEST_DATABASE_URL,
  },
];

/** A schema name no other test file uses, so suites can run in parallel on one PostgreSQL. */
export const uniqueSchema = (service: string) => `${service}_test_${randomBytes(4).toString('hex')}`;

export function testDatabaseConfig(service: string, engine: TestEngine): DatabaseConfig {
  return {
    url: engine.url,
    schema: engine.url ? uniqueSchema(service) : service,
    dataDir: IN_MEMORY,
    poolMax: 4,
    logSql: false,
  };
}

export function testSubgraphConfig(service: string, engine: TestEngine, overrides: Partial<SubgraphConfig> = {}): SubgraphConfig {
  return {
    service,
    environment: 'test',
    logLevel: (process.env['TEST_LOG_LEVEL'] as LogLevel | undefined) ?? 'silent',
    host: '127.0.0.1',
    port: 0,
    database: testDatabaseConfig(service, engine),
    identitySecret: TEST_IDENTITY_SECRET,
    seedDemoData: false,
    ...overrides,
  };
}

/** Fixed secrets for tests only; real deployments are refused without their own. */
export const TEST_IDENTITY_SECRET = 'test-identity-secret-0123456789abcdef';
export const TEST_ACCESS_TOKEN_SECRET = 'test-access-token-secret-0123456789abcdef';

/** Drops a test schema on PostgreSQL (PGlite in memory vanishes by itself). */
export async function dropTestSchema(database: Database): Promise<void> {
  if (database.kind !== 'postgresql') return;
  // A service's job queue (pg-boss) keeps its tables in a schema beside the service's.
  await database.orm.em.getConnection().execute(`drop schema if exists "${database.schema}" cascade`);
  await database.orm.em.getConnection().execute(`drop schema if exists "${database.schema}_jobs" cascade`);
}

/** Counts the SQL statements a piece of work sends, e.g. to prove a request is batched. */
export async function countQueries<T>(database: Database, work: () => Promise<T>): Promise<{ result: T; queries: string[] }> {
  const queries: string[] = [];
  // A background job's turn (runAsBackgroundWork) that falls inside the window is not the work's.
  const stop = database.onQuery((sql, origin) => !origin.background && queries.push(sql));
  try {
    return { result: await work(), queries };
  } finally {
    stop();
  }
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null | undefined;
  errors: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[] | undefined;
}

export interface PostOptions {
  /**
   * Sends the signed anonymous identity a subgraph expects from the router when `headers` carry
   * none (default true, so tests may call subgraphs directly). The router ignores the header: it
   * signs its own. False sends no identity at all, as an attacker bypassing the router would.
   */
  signedAnonymous?: boolean;
}

/** Posts an operation to a GraphQL endpoint over HTTP, as a client would. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  options: PostOptions = {},
): Promise<GraphQLResponse<T>> {
  const identity = (options.signedAnonymous ?? true) && !(IDENTITY_HEADER in headers) ? await identityHeaders(ANONYMOUS) : {};
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...identity, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T | null; errors?: GraphQLResponse['errors'] };
  return { status: response.status, data: body.data, errors: body.errors };
}

/** Headers a subgraph accepts as a visitor the router derived (see visitor.ts): `id` for one browser, `network` for its address. */
export function visitorHeaders(visitor: { id: string; network?: string }): Record<string, string> {
  return { [VISITOR_HEADER]: signVisitor({ network: visitor.network ?? `net-${visitor.id}`, id: visitor.id }, TEST_IDENTITY_SECRET) };
}

/** Headers a subgraph accepts as the router-forwarded identity of `identity`. */
export async function identityHeaders(identity: Identity): Promise<Record<string, string>> {
  return { [IDENTITY_HEADER]: await signForwardedIdentity(identity, TEST_IDENTITY_SECRET) };
}

export const adminIdentity = (subject = 'test-admin'): Identity => ({ role: 'programme_admin', subject, pesantrenId: null, scopes: [] });
export const operatorIdentity = (pesantrenId: string, subject = 'test-operator'): Identity => ({
  role: 'pesantren_operator',
  subject,
  pesantrenId,
  scopes: [],
});

/**
 * SQL that would bring this service's schema in line with its entities; empty when the committed
 * migrations produce exactly what the entities describe. Only the service's own schema is
 * compared, so other suites' schemas in the same database do not count.
 */
export async function schemaDrift(database: Database): Promise<string> {
  // MikroORM reads every schema's tables before comparing ours, so another test file running at
  // the same time can drop its schema between the listing and the read. PostgreSQL then says
  // "schema … does not exist", naming the other schema, or, when the table went between the
  // catalogue scan and reading its indexes, "could not open relation with OID …", naming none.
  // When an index went between the listing and the read of its definition, PostgreSQL answers a
  // null definition and MikroORM's schema helper fails on it with a TypeError (seen in CI once
  // the relay suites' pg-boss schemas, with their many indexes, were created and dropped beside
  // it). None of these is about our schema, which nothing drops while its own test runs: read again.
  for (let attempt = 1; ; attempt++) {
    try {
      const sql = await database.orm.schema.getUpdateSchemaSQL({ schema: database.schema, wrap: false });
      return sql.replace(/set names '[^']+';/g, '').trim();
    } catch (error) {
      if (attempt >= 5 || !droppedByAnotherTest(error, database.schema)) throw error;
    }
  }
}

/** Whether introspection failed because a table or schema of another test went while it read. */
function droppedByAnotherTest(error: unknown, ourSchema: string): boolean {
  const message = error instanceof Error ? error.message : String(error);
  if (/could not open relation with OID \d+|cache lookup failed for relation \d+/.test(message)) return true;
  if (error instanceof TypeError && /of null/.test(message) && /PostgreSqlSchemaHelper/.test(error.stack ?? '')) return true;
  const dropped = /(?:schema|relation) "([^"]+?)(?:"\.|")/.exec(message)?.[1];
  return /does not exist/.test(message) && dropped !== undefined && !dropped.startsWith(ourSchema);
}

const reservedPorts = new Set<number>();

/**
 * A port for a server a test starts later (in a child process, say). Not 0-and-close: that port
 * comes from the kernel's ephemeral range (32768–60999), where any outgoing connection of a
 * parallel suite can take it before the server binds — CI failed on exactly that. These ports lie
 * below that range, in a slice of it chosen by process id so parallel test processes rarely meet,
 * and each is checked free when handed out.
 */
export async function reservePort(): Promise<number> {
  const slice = 20_000 + (process.pid % 60) * 200;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = slice + Math.floor(Math.random() * 200);
    if (reservedPorts.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = createNetServer()
        .once('error', () => resolve(false))
        .listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) {
      reservedPorts.add(port);
      return port;
    }
  }
  throw new Error(`no free port between ${slice} and ${slice + 199}`);
}

/**
 * Where `readRecords` reads an entity's rows differently from the ORM: every persisted column of
 * every row (by its `id`), a many-to-one compared by its key. Read paths answer records where
 * they used to answer entities, so each subgraph checks its records against its seeded data.
 */
export async function recordMismatches(em: EntityManager, entity: EntityClass<object>): Promise<{ rows: number; mismatches: string[] }> {
  const meta = em.getMetadata().get(entity);
  const entities = (await em.find(entity, {})) as unknown as Record<string, unknown>[];
  const records = new Map((await readRecords<Record<string, unknown>>(em, entity, 'id', entities.map((row) => row['id']))).map((record) => [record['id'], record]));
  const mismatches: string[] = [];
  for (const row of entities) {
    const record = records.get(row['id']);
    if (!record) {
      mismatches.push(`${meta.className} ${String(row['id'])}: no record`);
      continue;
    }
    for (const prop of meta.props) {
      if (prop.persist === false || (prop.kind !== 'scalar' && prop.kind !== 'm:1')) continue;
      const value = row[prop.name];
      const key = prop.targetMeta?.primaryKeys[0];
      const expected = prop.kind === 'm:1' ? (value == null ? null : { [key!]: (value as Record<string, unknown>)[key!] }) : (value ?? null);
      if (!isDeepStrictEqual(record[prop.name], expected)) {
        mismatches.push(`${meta.className} ${String(row['id'])}.${prop.name}: record ${JSON.stringify(record[prop.name])}, ORM ${JSON.stringify(expected)}`);
      }
    }
  }
  return { rows: entities.length, mismatches };
}

/** What a fake storefront received at /_publish: the notice, and whether its signature was right. */
export interface ReceivedNotice {
  body: Record<string, string[]>;
  signed: boolean;
}

/**
 * A storefront's /_publish for a relay's tests: it records what it is told and answers `answer`
 * (200, or 503 for "cannot publish now"). `told(kind, value)` says whether a notice named it.
 */
export async function fakeStorefront(secret: string) {
  const received: ReceivedNotice[] = [];
  const state = { answer: 200 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signed = request.headers['x-opop-signature'] === `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
      received.push({ body: JSON.parse(body) as Record<string, string[]>, signed });
      response.writeHead(state.answer, { 'content-type': 'application/json' }).end(state.answer === 200 ? '{"rendered":1,"removed":0}' : '{"error":"busy"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const told = (kind: string, value: string, from = 0) => received.slice(from).some((entry) => entry.body[kind]?.includes(value));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/_publish`,
    received,
    set answer(status: number) {
      state.answer = status;
    },
    told,
    /** Waits until `check` holds, or fails with what was received. */
    async waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
      const until = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms; received ${JSON.stringify(received)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
