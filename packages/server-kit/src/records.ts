import { createHash } from 'node:crypto';
import type { EntityClass, EntityMetadata, EntityProperty, Platform } from '@mikro-orm/core';
import { PostgreSqlConnection } from '@mikro-orm/postgresql';
import type { EntityManager } from './database.ts';

/**
 * Reads for the hottest read paths (a search page's 20 products, `_entities` batches from the
 * router): rows as plain records with the entity's property names, without the unit of work.
 *
 * Why not `em.find` or `em.map`: both hydrate managed entities, and for read-only answers most of
 * that work is spent on change tracking nobody uses. Profiled on the catalogue at `--scale medium`,
 * mapping 20 product rows took ~0.9–1.5 ms (merging into the identity map, snapshots for change
 * sets, a reference entity per many-to-one), against ~0.5 ms for the SQL round trip itself; the
 * record below costs microseconds. Writes keep loading entities through the ORM.
 *
 * A record holds every persisted column, converted as the ORM converts it (custom types, dates,
 * booleans); a many-to-one is `{ <primary key>: value }`, which is all a resolver reads of it
 * before asking the relation's own loader. Code that needs the entity (to change it) loads it.
 */
export async function readRecords<TRecord>(
  em: EntityManager,
  entity: EntityClass<object>,
  column: string,
  values: readonly unknown[],
  { limit, orderBy, properties }: { limit?: number; orderBy?: string; properties?: readonly string[] } = {},
): Promise<TRecord[]> {
  if (values.length === 0) return [];
  const reader = recordReader(em, entity);
  // Only some columns (narrow-reads.ts): the record then holds only those properties.
  const selected = properties ? properties.map((property) => `"${reader.columnOf(property)}"`).join(', ') : '*';
  // Two statement texts, each prepared once: `= any(array)` for any number of values, and `= value`
  // for one, whose generic plan uses the column's index (for `any` PostgreSQL guesses ten rows and
  // may scan a small table instead, so it plans every call anew).
  const sql = `select ${selected} from ${reader.table} where "${column}" ${values.length === 1 ? '= ?' : '= any(?)'}${orderBy ? ` order by "${orderBy}"` : ''}${limit ? ` limit ${Math.trunc(limit)}` : ''}`;
  const rows = await readStatement(em, sql, [values.length === 1 ? values[0] : [...values]]);
  return rows.map((row) => reader.toRecord(row) as TRecord);
}

interface PreparedText {
  /** Its name on every pooled connection; a new one after the server dropped the plan. */
  name: string;
  generation: number;
}

/** Statement texts with `$n` placeholders, by the `?` text they were written in. */
const numbered = new Map<string, string>();
/**
 * By the text sent (after the ORM's query hook, which may rewrite it). Each text is prepared on
 * every pooled connection that runs it, so the hook must not make it differ per call (ours,
 * database.ts's `onQuery`, only observes).
 */
const preparedTexts = new Map<string, PreparedText>();

/** What `readStatement` uses of the ORM's `pg` pool and its clients. */
interface NativeClient {
  query<R>(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: R[] }>;
  release(destroy?: Error | boolean): void;
}
interface NativePool {
  connect(): Promise<NativeClient>;
}

/**
 * A read-only statement of a hot read path, run as a named prepared statement on PostgreSQL.
 * Placeholders are `?`, each value one parameter; an array is one array parameter, of strings or
 * numbers, for `= any(?)`. The SQL holds no other `?` (no `??`, no `?` in a literal or operator).
 *
 * Why not the ORM's `execute`: it inlines the values into the SQL text, so PostgreSQL parses and
 * plans the statement on every call. Measured on the catalogue's `product(slug)` read under load
 * (bench/router.ts's single query), PostgreSQL spent ~0.28–0.36 ms of CPU per request that way,
 * against ~0.10 ms with a prepared statement; on two cores shared with the service that was most
 * of the difference to the floor subgraph (issue 21). The statement goes to the ORM's own `pg`
 * pool (same type parsers, same connections), and the ORM's query hook and logger see it as they
 * see their own.
 *
 * Inside a transaction, and on PGlite (one in-process session, nothing to save), it runs through
 * the ORM, on the transaction's connection, so a read in a write sees that write. A prepared
 * `select *` fails once the table's columns change (a migration run by a newer replica during a
 * rolling deploy); the read is then prepared again under a new name, so an old replica keeps
 * answering. An error the server reports (a value of the wrong type, say) returns the connection
 * to the pool as the ORM does; only a broken connection is dropped.
 */
export async function readStatement(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
  // Checked on both paths, so PGlite and PostgreSQL accept the same parameters.
  const values = params.map((param) => (Array.isArray(param) ? checkedArray(param) : param));
  let dollars = numbered.get(sql);
  if (dollars === undefined) {
    if (/\?\?|\\\?/.test(sql)) throw new Error('readStatement: the SQL may hold no ?? or \\? (each ? is a parameter)');
    let position = 0;
    numbered.set(sql, (dollars = sql.replace(/\?/g, () => `$${++position}`)));
  }
  const connection = em.getConnection();
  if (!(connection instanceof PostgreSqlConnection) || em.isInTransaction()) {
    // The ORM inlines values and would spread an array into a list: it gets the array's literal.
    const inlined = values.map((value) => (Array.isArray(value) ? arrayLiteral(value) : value));
    return connection.execute<Record<string, unknown>[]>(sql, inlined, 'all', em.getTransactionContext());
  }
  const text = em.config.get('onQuery')(dollars, values);
  let prepared = preparedTexts.get(text);
  if (!prepared) preparedTexts.set(text, (prepared = { name: statementName(text, 0), generation: 0 }));
  const statement = prepared;
  // Asked each time: the ORM makes a new pool when it reconnects after a close.
  const pool = (await connection.getNativeClient()) as NativePool;
  const run = async (name: string) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return (await client.query<Record<string, unknown>>({ name, text, values })).rows;
    } catch (error) {
      // A server error carries a SQLSTATE and leaves the connection usable (pg-pool's own `query`
      // would drop it, so any bad input would cost a reconnect and that connection's statements).
      if (typeof (error as { code?: unknown }).code !== 'string') broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  };
  // The ORM's timing and query log; `executeQuery` is protected but meant for drivers' own calls.
  return (connection as unknown as { executeQuery: ExecuteQuery }).executeQuery(text, async () => {
    const name = statement.name;
    try {
      return await run(name);
    } catch (error) {
      if (!isPlanChanged(error)) throw error;
      // Concurrent reads that failed together move to one new name, not one each.
      if (statement.name === name) statement.name = statementName(text, ++statement.generation);
      return run(statement.name);
    }
  }, { query: text, params: values });
}

type ExecuteQuery = <T>(query: string, run: () => Promise<T>, context: { query: string; params: unknown[] }) => Promise<T>;

function checkedArray(values: readonly unknown[]): readonly unknown[] {
  for (const value of values) {
    if (value !== null && value !== undefined && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
      throw new TypeError(`readStatement: an array parameter holds strings or numbers, not ${typeof value}`);
    }
  }
  return values;
}

/** PostgreSQL's text form of an array of strings or numbers: `{"a","b"}`. */
const arrayLiteral = (values: readonly unknown[]): string =>
  `{${values.map((value) => (value === null || value === undefined ? 'NULL' : `"${String(value).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;

/** SQLSTATE 0A000 is "feature not supported"; this message is the table's columns having changed. */
const isPlanChanged = (error: unknown) => (error as { code?: unknown }).code === '0A000' && /cached plan must not change result type/.test(String((error as Error).message));

const statementName = (text: string, generation: number) => `opop_${createHash('sha1').update(text).digest('hex').slice(0, 20)}_${generation}`;

interface RecordReader {
  /** The quoted, schema-qualified table. */
  table: string;
  /** The column a property is stored in; throws for a property that is not one column of the table. */
  columnOf(property: string): string;
  /**
   * The record of a row. A row that lacks a column (a select that named only some) gives a
   * record without that property, not one where it is null.
   */
  toRecord(row: Record<string, unknown>): Record<string, unknown>;
}

const readers = new WeakMap<EntityMetadata, Map<string, RecordReader>>();

/** The reader for an entity in the schema `em` works in, built once from its metadata. */
export function recordReader(em: EntityManager, entity: EntityClass<object>): RecordReader {
  const meta = em.getMetadata().get(entity);
  const schema = meta.schema && meta.schema !== '*' ? meta.schema : (em.config.get('schema') ?? 'public');
  let bySchema = readers.get(meta);
  if (!bySchema) readers.set(meta, (bySchema = new Map()));
  let reader = bySchema.get(schema);
  if (!reader) {
    const platform = em.getPlatform();
    const columns = meta.props.filter((prop) => prop.persist !== false && !prop.formula && (prop.kind === 'scalar' || prop.kind === 'm:1') && prop.fieldNames?.length === 1);
    const convert = columns.map((prop) => [prop.name, prop.fieldNames[0]!, converterOf(prop, platform)] as const);
    const columnByProperty = new Map<string, string>(convert.map(([name, column]) => [name, column]));
    reader = {
      table: `"${schema}"."${meta.tableName}"`,
      columnOf: (property) => {
        const column = columnByProperty.get(property);
        if (!column) throw new Error(`${meta.className}.${property} is not a column of ${meta.tableName}`);
        return column;
      },
      toRecord: (row) => {
        const record: Record<string, unknown> = {};
        for (const [name, column, converter] of convert) {
          if (!(column in row)) continue;
          const value = row[column];
          record[name] = value === null || value === undefined ? null : converter(value);
        }
        return record;
      },
    };
    bySchema.set(schema, reader);
  }
  return reader;
}

function converterOf(prop: EntityProperty, platform: Platform): (value: unknown) => unknown {
  if (prop.kind === 'm:1') {
    const key = prop.targetMeta?.primaryKeys[0] ?? 'id';
    return (value) => ({ [key]: value });
  }
  if (prop.customType) {
    const type = prop.customType;
    return (value) => type.convertToJSValue(value, platform);
  }
  if (prop.runtimeType === 'boolean') return (value) => Boolean(value);
  if (prop.runtimeType === 'Date') return (value) => (value instanceof Date ? value : new Date(value as string));
  return (value) => value;
}
