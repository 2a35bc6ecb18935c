import type { MigrationClass } from '@opop/server-kit';
import { Migration20261123094817_initial } from './Migration20261123094817_initial.ts';
import { Migration20261206202147_publish_outbox } from './Migration20261206202147_publish_outbox.ts';

/** Applied in this order. A migration that has shipped is never edited: add a new one. */
export const migrations: MigrationClass[] = [
  Migration20261123094817_initial,
  Migration20261206202147_publish_outbox,
];
