import { AsyncLocalStorage } from 'node:async_hooks';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MikroORM, type AnyEntity, type Constructor, type EntityClass, type EntitySchema, type EventSubscriber } from '@mikro-orm/core';
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/sql';
import { Migrator, type Migration } from '@mikro-orm/migrations';
import { PgliteDriver } from '@mikro-orm/pglite';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import lockfile from 'proper-lockfile';
import { z } from 'zod';
import { envVar } from './config.ts';
import { emptyClusterImage } from './empty-cluster.ts';
import type { Logger } from './logger.ts';

/** The repository's `.data/` folder, wherever the process was started from: embedded databases live there. */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../.data', import.meta.url));

export type EntityManager = SqlEntityManager<AbstractSqlDriver>;
export type Orm = MikroORM<AbstractSqlDriver, EntityManager>;
export type MigrationClass = Constructor<Migration>;

/** The in-memory PGlite cluster: used by tests, gone when the process ends. */
export const IN_MEMORY = 'memory://';

export interface DatabaseConfig {
  /** Real PostgreSQL when set; embedded PGlite otherwise. */
  url: string | undefined;
  /** The PostgreSQL schema that holds this service's tables, and nothing else. */
  schema: string;
  /** Folder for the embedded cluster, or `memory://`. Ignored with a URL. */
  dataDir: string;
  poolMax: number;
  logSql: boolean;
}

/** Environment variables of the database, shared by every subgraph. */
export function databaseEnv(service: string, defaultDataDir: string) {
  return {
    DATABASE_URL: envVar.postgresUrl().optional(),
    DATABASE_SCHEMA: envVar.sqlIdentifier().default(service),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
    DATA_DIR: z.string().min(1).default(defaultDataDir),
    LOG_SQL: envVar.boolean(false),
  };
}

export function databaseConfigFrom(env: {
  DATABASE_URL?: string | undefined;
  DATABASE_SCHEMA: string;
  DATABASE_POOL_MAX: number;
  DATA_DIR: string;
  LOG_SQL: boolean;
}): DatabaseConfig {
  return {
    url: env.DATABASE_URL,
    schema: env.DATABASE_SCHEMA,
    dataDir: env.DATA_DIR === IN_MEMORY ? IN_MEMORY : resolve(env.DATA_DIR),
    poolMax: env.DATABASE_POOL_MAX,
    logSql: env.LOG_SQL,
  };
}

export interface DatabaseOptions {
  service: string;
  config: DatabaseConfig;
  entities: readonly (EntityClass<AnyEntity> | EntitySchema)[];
  migrations: readonly MigrationClass[];
  logger: Logger;
  /** Flush and lifecycle hooks, e.g. a transactional outbox. */
  subscribers?: readonly EventSubscriber[];
}

/** Where a statement came from: `background` when sent from inside `runAsBackgroundWork`. */
export interface QueryOrigin {
  background: boolean;
}

export type QueryListener = (sql: string, origin: QueryOrigin) => void;

/** A SQL comment background jobs put on their routine queries, so they can be told apart in `pg_stat_activity`. */
export const BACKGROUND_JOB_COMMENT = 'opop background job';

const backgroundWork = new AsyncLocalStorage<true>();

/**
 * Runs a background job's turn (a poll, a relay, a sweep) so that every statement it sends,
 * `begin` and `commit` included, is reported to query listeners as background work. A count of
 * the SQL a request sends (server-kit `countQueries`) leaves these out: a poll that happens to
 * fall inside the request's window is not the request's. The mark follows the job's async chain,
 * not its connection or its SQL text, so it cannot miss a statement the job forgot to comment.
 */
export function runAsBackgroundWork<T>(work: () => Promise<T>): Promise<T> {
  return backgroundWork.run(true, work);
}

/**
 * Takes a PostgreSQL advisory lock for the rest of `tx`'s transaction (released at commit or
 * rollback), on the key's hash: writers of one thing (a phone's orders, a photo's content) queue.
 */
export async function lockForTransaction(tx: EntityManager, key: string): Promise<void> {
  await tx.getConnection().execute('select pg_advisory_xact_lock(hashtext(?))', [key], 'all', tx.getTransactionContext());
}

export interface Database {
  readonly orm: Orm;
  readonly kind: 'pglite' | 'postgresql';
  readonly schema: string;
  /** A fresh EntityManager (own identity map), one per request or job. */
  fork(): EntityManager;
  /** Throws when the database cannot answer; readiness probes call it. */
  ping(): Promise<void>;
  /** Observes every SQL statement sent; returns the function that stops observing. */
  onQuery(listener: QueryListener): () => void;
  close(): Promise<void>;
}

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

/**
 * Opens this service's database and brings its schema up to date with the committed migrations.
 *
 * The same entities, migrations and SQL run on both engines: PGlite (embedded PostgreSQL) by
 * default, PostgreSQL when a URL is configured. PGlite's folder is locked for the life of the
 * process because two processes writing one PGlite cluster corrupt it.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { service, config, logger } = options;
  const listeners = new Set<QueryListener>();
  const embedded = !config.url;
  let releaseLock: (() => Promise<void>) | undefined;
  let dataDir = IN_MEMORY;
  if (embedded && config.dataDir !== IN_MEMORY) {
    dataDir = join(config.dataDir, 'pglite', service);
    releaseLock = await lockDataDir(dataDir);
  }

  const common = {
    entities: [...options.entities],
    subscribers: [...(options.subscribers ?? [])],
    schema: config.schema,
    extensions: [Migrator],
    migrations: {
      migrationsList: [...options.migrations],
      schema: config.schema,
      snapshot: false,
      silent: true,
      transactional: true,
      allOrNothing: true,
    },
    debug: config.logSql ? (['query', 'query-params'] as ('query' | 'query-params')[]) : false,
    logger: (message: string) => logger.debug({ orm: true }, message),
    onQuery: (sql: string) => {
      if (listeners.size === 0) return sql;
      const origin: QueryOrigin = { background: backgroundWork.getStore() === true };
      for (const listener of listeners) listener(sql, origin);
      return sql;
    },
    // Requests must fork their own EntityManager; using the global one would leak entities across requests.
    allowGlobalContext: false,
  };

  // A new cluster (in memory for tests, or a first start) from an image of an empty one rather than initdb.
  const emptyCluster = embedded && (dataDir === IN_MEMORY || !existsSync(join(dataDir, 'PG_VERSION'))) ? await emptyClusterImage() : undefined;
  let orm: Orm;
  try {
    orm = embedded
      ? ((await MikroORM.init({
          ...common,
          driver: PgliteDriver,
          dbName: dataDir,
          // A function: MikroORM copies plain option objects, and a copied Blob cannot be read.
          ...(emptyCluster ? { driverOptions: () => ({ loadDataDir: emptyCluster }) } : {}),
        })) as unknown as Orm)
      : ((await MikroORM.init({
          ...common,
          driver: PostgreSqlDriver,
          clientUrl: config.url,
          pool: { min: 0, max: config.poolMax },
        })) as unknown as Orm);
    const connection = orm.em.getConnection();
    await connection.execute(`create schema if not exists "${config.schema}"`);
    const applied = await orm.migrator.up();
    if (applied.length > 0) logger.info({ migrations: applied.map((m) => m.name) }, 'applied database migrations');
  } catch (error) {
    await releaseLock?.();
    throw error;
  }

  logger.info(
    { engine: embedded ? 'pglite' : 'postgresql', schema: config.schema, location: embedded ? dataDir : redactUrl(config.url!) },
    'database ready',
  );

  return {
    orm,
    kind: embedded ? 'pglite' : 'postgresql',
    schema: config.schema,
    fork: () => orm.em.fork(),
    ping: async () => {
      await orm.em.getConnection().execute('select 1');
    },
    onQuery(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      await orm.close(true);
      await releaseLock?.();
    },
  };
}

async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, { stale: 15_000, update: 5_000, retries: 0, realpath: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new DatabaseInUseError(
        `The embedded database in ${dataDir} is in use by another process. ` +
          'Stop the running platform (or the other seed) first, or set DATABASE_URL to use PostgreSQL.',
      );
    }
    throw error;
  }
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
