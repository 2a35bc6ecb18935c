import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { openDatabase, IN_MEMORY, type DatabaseOptions } from './database.ts';
import { createLogger } from './logger.ts';

export interface CreateMigrationOptions extends Pick<DatabaseOptions, 'entities' | 'migrations'> {
  service: string;
  /** The subgraph's `migrations/` folder; its `index.ts` lists the migrations in order. */
  directory: string;
  name: string;
}

/**
 * Writes the next migration of a subgraph: replays the committed migrations on a throw-away
 * PGlite, diffs the result against the entities, and writes the difference as a TypeScript
 * migration registered in `migrations/index.ts`.
 *
 * Generated against the default schema so the SQL is unqualified; at run time the migrator
 * sets `search_path` to the service's schema, so the same file serves every schema (including
 * the one-per-test-file schemas).
 */
export async function createMigrationFile(options: CreateMigrationOptions): Promise<string | undefined> {
  const database = await openDatabase({
    service: options.service,
    config: { url: undefined, schema: 'public', dataDir: IN_MEMORY, poolMax: 1, logSql: false },
    entities: options.entities,
    migrations: options.migrations,
    logger: createLogger(`${options.service}-migrations`, 'warn'),
  });
  try {
    const result = await database.orm.migrator.create(options.directory, false, false, options.name);
    if (!result.fileName) return undefined;
    const className = basename(result.fileName).replace(/\.ts$/, '');
    const indexPath = join(options.directory, 'index.ts');
    const index = await readFile(indexPath, 'utf8');
    const lines = index.split('\n');
    const lastImport = lines.findLastIndex((line) => line.startsWith('import '));
    lines.splice(lastImport + 1, 0, `import { ${className} } from './${className}.ts';`);
    const closing = lines.lastIndexOf('];');
    lines.splice(closing, 0, `  ${className},`);
    await writeFile(indexPath, lines.join('\n'));
    return join(options.directory, result.fileName);
  } finally {
    await database.close();
  }
}

/** The whole of a subgraph's `create-migration.ts`: `npm run migration:create -w <subgraph> -- <name>`. */
export async function createMigrationFromArgs(options: Omit<CreateMigrationOptions, 'name'>): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error(`usage: npm run migration:create -w @opop/${options.service} -- <snake_case_name>`);
    process.exit(2);
  }
  const file = await createMigrationFile({ ...options, name });
  console.log(file ? `wrote ${file}` : 'the entities and the migrations already agree; nothing to write');
}
