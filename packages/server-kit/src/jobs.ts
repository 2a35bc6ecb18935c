import { fromPglite, PgBoss } from 'pg-boss';
import type { Database } from './database.ts';
import type { Logger } from './logger.ts';

export interface JobQueueOptions {
  database: Database;
  /** Real PostgreSQL: pg-boss opens its own small pool there. Unset for PGlite. */
  databaseUrl: string | undefined;
  /** The PostgreSQL schema of pg-boss's tables, beside the service's own. */
  schema: string;
  logger: Logger;
  /** How the pool's connections name themselves to PostgreSQL (pg_stat_activity). */
  applicationName: string;
}

/**
 * A service's background jobs on pg-boss, in the service's own database: PGlite by default,
 * PostgreSQL with DATABASE_URL. Started; stop it with `boss.stop()`.
 */
export async function openJobQueue({ database, databaseUrl, schema, logger, applicationName }: JobQueueOptions): Promise<PgBoss> {
  const common = { schema, schedule: true, supervise: true } as const;
  const boss = databaseUrl
    ? new PgBoss({ ...common, connectionString: databaseUrl, max: 3, application_name: applicationName })
    : new PgBoss({
        ...common,
        // PGlite is one session in this process: pg-boss shares it with the ORM, whose
        // transactions PGlite runs one at a time.
        db: fromPglite(await (database.orm.em.getConnection() as unknown as { getNativeClient(): Promise<never> }).getNativeClient()),
        backend: 'pglite',
      });
  boss.on('error', (error) => logger.error({ err: error }, `${applicationName} job queue error`));
  await boss.start();
  return boss;
}
