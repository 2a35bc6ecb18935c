import type { MigrationClass } from '@opop/server-kit';
import { Migration20261123095222_initial } from './Migration20261123095222_initial.ts';
import { Migration20261123110822_search } from './Migration20261123110822_search.ts';
import { Migration20261123123140_orders } from './Migration20261123123140_orders.ts';
import { Migration20261204190000_product_view_network_key } from './Migration20261204190000_product_view_network_key.ts';
import { Migration20261205000000_product_photos } from './Migration20261205000000_product_photos.ts';
import { Migration20261205010000_product_status_since } from './Migration20261205010000_product_status_since.ts';
import { Migration20261205090000_order_follow_up } from './Migration20261205090000_order_follow_up.ts';
import { Migration20261205100000_removed_photo_variants } from './Migration20261205100000_removed_photo_variants.ts';
import { Migration20261206230000_order_line_english_name } from './Migration20261206230000_order_line_english_name.ts';
import { Migration20261207140000_order_line_weight } from './Migration20261207140000_order_line_weight.ts';

/** Applied in this order. A migration that has shipped is never edited: add a new one. */
export const migrations: MigrationClass[] = [
  Migration20261123095222_initial,
  Migration20261123110822_search,
  Migration20261123123140_orders,
  Migration20261204190000_product_view_network_key,
  Migration20261205000000_product_photos,
  Migration20261205010000_product_status_since,
  Migration20261205090000_order_follow_up,
  Migration20261205100000_removed_photo_variants,
  Migration20261206230000_order_line_english_name,
  Migration20261207140000_order_line_weight,
];
