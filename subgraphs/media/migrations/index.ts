import type { MigrationClass } from '@opop/server-kit';
import { Migration20261123103214_initial } from './Migration20261123103214_initial.ts';
import { Migration20261204190000_widget_event_network_key } from './Migration20261204190000_widget_event_network_key.ts';
import { Migration20261204212757_outlet_keys_and_daily_stats } from './Migration20261204212757_outlet_keys_and_daily_stats.ts';
import { Migration20261206205950_publish_outbox } from './Migration20261206205950_publish_outbox.ts';

/** Applied in this order. A migration that has shipped is never edited: add a new one. */
export const migrations: MigrationClass[] = [
  Migration20261123103214_initial,
  Migration20261204190000_widget_event_network_key,
  Migration20261204212757_outlet_keys_and_daily_stats,
  Migration20261206205950_publish_outbox,
];
