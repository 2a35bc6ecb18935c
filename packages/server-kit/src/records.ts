import type { EntityClass, EntityMetadata, EntityProperty, Platform } from '@mikro-orm/core';
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
  { limit, orderBy }: { limit?: number; orderBy?: string } = {},
): Promise<TRecord[]> {
  if (values.length === 0) return [];
  const reader = recordReader(em, entity);
  // `in (?)` with an array: the ORM's placeholder expands it into one parameter per value.
  const sql = `select * from ${reader.table} where "${column}" ${values.length === 1 ? '= ?' : 'in (?)'}${orderBy ? ` order by "${orderBy}"` : ''}${limit ? ` limit ${Math.trunc(limit)}` : ''}`;
  const rows = await em.getConnection().execute<Record<string, unknown>[]>(sql, values.length === 1 ? [values[0]] : [values]);
  return rows.map((row) => reader.toRecord(row) as TRecord);
}

interface RecordReader {
  /** The quoted, schema-qualified table. */
  table: string;
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
    reader = {
      table: `"${schema}"."${meta.tableName}"`,
      toRecord: (row) => {
        const record: Record<string, unknown> = {};
        for (const [name, column, converter] of convert) {
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
