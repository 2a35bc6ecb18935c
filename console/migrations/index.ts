import type { MigrationClass } from '@opop/server-kit';
import { Migration20261204210000_accounts } from './Migration20261204210000_accounts.ts';

/** Applied in this order. A migration that has shipped is never edited: add a new one. */
export const migrations: MigrationClass[] = [Migration20261204210000_accounts];
