import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineEntity, p } from '@mikro-orm/core';
import { afterAll, describe, expect, it } from 'vitest';
import { IN_MEMORY, openDatabase, type DatabaseConfig } from '../src/database.ts';
import { createLogger } from '../src/logger.ts';

/** One table, so MikroORM has an entity to discover; the rows are written in SQL. */
const Kept = defineEntity({ name: 'Kept', tableName: 'kept', properties: { value: p.string().primary() } });

const logger = createLogger('empty-cluster-test', 'warn');
const open = (dataDir: string) => {
  const config: DatabaseConfig = { url: undefined, schema: 'kept_test', dataDir, poolMax: 1, logSql: false };
  return openDatabase({ service: 'kept', config, entities: [Kept], migrations: [], logger });
};

describe('new embedded databases start from the image of an empty cluster', () => {
  const folders: string[] = [];
  afterAll(async () => {
    for (const folder of folders) await rm(folder, { recursive: true, force: true });
  });

  it('in memory: an empty, working PostgreSQL, apart from any other', async () => {
    const [first, second] = [await open(IN_MEMORY), await open(IN_MEMORY)];
    try {
      const sql = (database: typeof first, query: string) => database.orm.em.getConnection().execute<Record<string, unknown>[]>(query);
      expect(await sql(first, `select count(*)::int as n from pg_tables where tablename = 'kept'`)).toEqual([{ n: 0 }]);
      await sql(first, 'create table kept_test.kept (value text primary key)');
      await sql(first, `insert into kept_test.kept values ('only in the first')`);
      expect(await sql(second, `select count(*)::int as n from pg_tables where tablename = 'kept'`)).toEqual([{ n: 0 }]);
      expect(((await sql(first, 'show server_version')) as [{ server_version: string }])[0].server_version).toMatch(/^\d+/);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('on disk: a new folder gets a cluster, and opening it again keeps what was written instead of loading the image over it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'opop-empty-cluster-'));
    folders.push(folder);
    const first = await open(folder);
    await first.orm.em.getConnection().execute('create table kept_test.kept (value text primary key)');
    await first.orm.em.getConnection().execute(`insert into kept_test.kept values ('still here')`);
    await first.close();
    const again = await open(folder);
    try {
      expect(await again.orm.em.getConnection().execute('select value from kept_test.kept')).toEqual([{ value: 'still here' }]);
    } finally {
      await again.close();
    }
  });
});
