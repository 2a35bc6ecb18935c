import type { MigrationClass } from '@opop/server-kit';
import { Migration20261123102945_initial } from './Migration20261123102945_initial.ts';
import { Migration20261123132921_api_keys } from './Migration20261123132921_api_keys.ts';
import { Migration20261204190000_view_network_key } from './Migration20261204190000_view_network_key.ts';
import { Migration20261206204335_publish_outbox } from './Migration20261206204335_publish_outbox.ts';
import { Migration20261207072608_engagement_partner_newest_index } from './Migration20261207072608_engagement_partner_newest_index.ts';

/** Applied in this order. A migration that has shipped is never edited: add a new one. */
export const migrations: MigrationClass[] = [
  Migration20261123102945_initial,
  Migration20261123132921_api_keys,
  Migration20261204190000_view_network_key,
  Migration20261206204335_publish_outbox,
  Migration20261207072608_engagement_partner_newest_index,
];
