import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, runAsBackgroundWork, type Database } from '../src/database.ts';
import { createLogger } from '../src/logger.ts';
import { readRecords, readStatement, recordReader } from '../src/records.ts';
import { countQueries, dropTestSchema, testDatabaseConfig, testEngines } from '../src/testing.ts';

/**
 * The hot reads' records (`readRecords`, `readStatement`) on both engines: on PostgreSQL they run
 * as prepared statements on the ORM's pool, which must not change what they answer, what a read
 * inside a write sees, or what survives a migration run by another replica.
 */
const ShelfSchema = defineEntity({
  name: 'Shelf',
  tableName: 'shelf',
  properties: {
    id: p.uuid().primary(),
    slug: p.string().unique(),
    stock: p.integer(),
    listed: p.boolean(),
    createdAt: p.datetime(),
  },
});
class Shelf extends ShelfSchema.class {}
ShelfSchema.setClass(Shelf);

const logger = createLogger('records-test', 'warn');

describe.each(testEngines())('hot-read records on $name', (engine) => {
  let database: Database;
  const rows = Array.from({ length: 5 }, (_, i) => ({ id: randomUUID(), slug: `shelf-${i}`, stock: i * 10, listed: i % 2 === 0, createdAt: new Date(Date.UTC(2026, 0, i + 1)) }));
  // What an array parameter's text form must escape, and what SQL quoting must.
  const awkward = { id: randomUUID(), slug: `a "quoted", back\\slash {braced} o'clock NULL`, stock: 0, listed: false, createdAt: new Date(Date.UTC(2025, 11, 31)) };

  beforeAll(async () => {
    if (engine.skip) return;
    // One connection: a read that left the ORM's transaction for another connection would wait for
    // it for ever, and a statement prepared on it is found there again.
    database = await openDatabase({ service: 'records', config: { ...testDatabaseConfig('records', engine), poolMax: 1 }, entities: [Shelf], migrations: [], logger });
    const sql = database.orm.em.getConnection();
    await sql.execute(`create table "${database.schema}".shelf (id uuid primary key, slug text unique not null, stock int not null, listed boolean not null, created_at timestamptz not null)`);
    for (const row of [...rows, awkward]) await sql.execute(`insert into "${database.schema}".shelf values (?, ?, ?, ?, ?)`, [row.id, row.slug, row.stock, row.listed, row.createdAt]);
  });
  afterAll(async () => {
    if (!database) return;
    await dropTestSchema(database);
    await database.close();
  });

  it.skipIf(Boolean(engine.skip))('reads a record of some columns without the others, and names the column of each property', async () => {
    const em = database.fork();
    const shelves = recordReader(em, Shelf);
    const columns = ['id', 'stock', 'createdAt'].map((property) => shelves.columnOf(property));
    expect(columns).toEqual(['id', 'stock', 'created_at']);
    const [narrowed] = await readStatement(em, `select ${columns.join(', ')} from ${shelves.table} where slug = ?`, ['shelf-3']);
    const record = shelves.toRecord(narrowed!);
    // Left out, not null: a property the select did not name is absent from the record.
    expect(record).toEqual({ id: rows[3]!.id, stock: 30, createdAt: rows[3]!.createdAt });
    expect('slug' in record).toBe(false);
    expect(() => shelves.columnOf('shelfLife')).toThrow(/not a column of shelf/);
  });

  it.skipIf(Boolean(engine.skip))('reads one value, several, and none, converted as the ORM converts them', async () => {
    const em = database.fork();
    expect(await readRecords(em, Shelf, 'slug', ['shelf-2'])).toEqual([rows[2]]);
    const several = await readRecords(em, Shelf, 'id', [rows[4]!.id, rows[0]!.id, randomUUID()], { orderBy: 'slug' });
    expect(several).toEqual([rows[0], rows[4]]);
    expect(await readRecords(em, Shelf, 'slug', ['no-such-shelf'])).toEqual([]);
    expect(await readRecords(em, Shelf, 'slug', [])).toEqual([]);
    expect(await readRecords(em, Shelf, 'slug', [awkward.slug])).toEqual([awkward]);
    expect(await readRecords(em, Shelf, 'slug', ['shelf-1', awkward.slug, 'NULL'], { orderBy: 'stock' })).toEqual([awkward, rows[1]]);
  });

  it.skipIf(Boolean(engine.skip))('counts the statements of a piece of work, not those of a background job that runs at the same time', async () => {
    const seen: { sql: string; background: boolean }[] = [];
    const stopSeeing = database.onQuery((sql, origin) => seen.push({ sql, background: origin.background }));
    try {
      const { result, queries } = await countQueries(database, async () => {
        // A poll's whole transaction falls inside the window, as the search indexer's once a second can.
        const poll = runAsBackgroundWork(() => database.fork().transactional((tx) => tx.find(Shelf, { slug: 'shelf-0' })));
        const read = await readRecords(database.fork(), Shelf, 'slug', ['shelf-1']);
        await poll;
        return read;
      });
      expect(result).toEqual([rows[1]]);
      expect(queries).toHaveLength(1);
      expect(queries[0]).toContain('shelf');
      // The job's statement was sent inside the window and seen, marked as the job's.
      const background = seen.filter((query) => query.background);
      expect(background).toHaveLength(1);
      expect(background[0]!.sql).toContain('shelf');
      expect(seen.filter((query) => !query.background)).toHaveLength(1);
    } finally {
      stopSeeing();
    }
  });

  it.skipIf(Boolean(engine.skip))('is seen by the query hook, as the ORM’s own statements are', async () => {
    const { queries } = await countQueries(database, () => readRecords(database.fork(), Shelf, 'slug', ['shelf-1']));
    expect(queries).toHaveLength(1);
    expect(queries[0]).toContain('shelf');
  });

  it.skipIf(engine.name !== 'postgresql' || Boolean(engine.skip))('is prepared once on PostgreSQL and then reused', async () => {
    const em = database.fork();
    await readRecords(em, Shelf, 'slug', ['shelf-3']);
    await readRecords(em, Shelf, 'slug', ['shelf-1']);
    const prepared = await em.getConnection().execute<{ name: string; statement: string }[]>('select name, statement from pg_prepared_statements');
    const ours = prepared.filter((statement) => statement.statement.includes(`"${database.schema}"."shelf" where "slug" = $1`));
    expect(ours).toHaveLength(1);
    expect(ours[0]!.name).toMatch(/^opop_/);
  });

  it.skipIf(engine.name !== 'postgresql' || Boolean(engine.skip))('keeps its connection, and what is prepared on it, when the server refuses a value', async () => {
    const em = database.fork();
    await readRecords(em, Shelf, 'slug', ['shelf-2']);
    const backend = async () => (await em.getConnection().execute<{ pid: number }[]>('select pg_backend_pid() as pid'))[0]!.pid;
    const before = await backend();
    // A NUL is a valid GraphQL string that PostgreSQL refuses: any client could send it.
    await expect(readRecords(em, Shelf, 'slug', ['nul\u0000byte'])).rejects.toThrow();
    await expect(readRecords(em, Shelf, 'id', ['not-a-uuid'])).rejects.toThrow(/uuid/i);
    expect(await backend()).toBe(before);
    const prepared = await em.getConnection().execute<{ statement: string }[]>('select statement from pg_prepared_statements');
    expect(prepared.some((statement) => statement.statement.includes(`"${database.schema}"."shelf" where "slug" = $1`))).toBe(true);
  });

  it.skipIf(Boolean(engine.skip))('inside a transaction, sees that transaction’s own uncommitted write', async () => {
    const added = { id: randomUUID(), slug: 'shelf-uncommitted', stock: 1, listed: true, createdAt: new Date(Date.UTC(2026, 5, 1)) };
    await expect(
      database.fork().transactional(async (tx) => {
        await tx.getConnection().execute(`insert into ${recordReader(tx, Shelf).table} values (?, ?, ?, ?, ?)`, [added.id, added.slug, added.stock, added.listed, added.createdAt], 'run', tx.getTransactionContext());
        expect(await readRecords(tx, Shelf, 'slug', [added.slug])).toEqual([added]);
        expect(await readRecords(tx, Shelf, 'slug', [added.slug, awkward.slug], { orderBy: 'stock' })).toEqual([awkward, added]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await readRecords(database.fork(), Shelf, 'slug', [added.slug])).toEqual([]);
  });

  it.skipIf(Boolean(engine.skip))('keeps answering after another process adds a column to the table', async () => {
    const em = database.fork();
    expect(await readRecords(em, Shelf, 'slug', ['shelf-0'])).toEqual([rows[0]]);
    await em.getConnection().execute(`alter table ${recordReader(em, Shelf).table} add column note text`);
    try {
      expect(await readRecords(database.fork(), Shelf, 'slug', ['shelf-0'])).toEqual([rows[0]]);
      expect(await readRecords(database.fork(), Shelf, 'slug', ['shelf-0'])).toEqual([rows[0]]);
    } finally {
      await em.getConnection().execute(`alter table ${recordReader(em, Shelf).table} drop column note`);
    }
  });

  it.skipIf(Boolean(engine.skip))('refuses a value of the wrong type with the database’s error, and the next read still works', async () => {
    const em = database.fork();
    await expect(readRecords(em, Shelf, 'id', ['not-a-uuid'])).rejects.toThrow(/uuid/i);
    await expect(readStatement(em, `select * from ${recordReader(em, Shelf).table} where stock > ?`, ['many'])).rejects.toThrow(/integer/i);
    // The same parameters on both engines: an array holds strings or numbers.
    await expect(readStatement(em, `select * from ${recordReader(em, Shelf).table} where created_at = any(?)`, [[new Date()]])).rejects.toThrow(TypeError);
    await expect(readStatement(em, `select * from ${recordReader(em, Shelf).table} where slug = ? or slug ?? 'x'`, ['shelf-1'])).rejects.toThrow(/\?\?/);
    expect(await readRecords(database.fork(), Shelf, 'slug', ['shelf-4'])).toEqual([rows[4]]);
  });
});
