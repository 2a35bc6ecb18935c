import type { MigrationClass } from '@opop/server-kit';
import { Migration20261123102945_initial } from './Migration20261123102945_initial.ts';

/** Applied in this order. A migration that has shipped is never edited: add a new one. */
export const migrations: MigrationClass[] = [
  Migration20261123102945_initial,
];
