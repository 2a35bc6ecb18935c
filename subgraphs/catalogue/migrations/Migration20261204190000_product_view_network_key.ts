import { Migration } from '@mikro-orm/migrations';

/** Product views are counted per visitor the router derives, and capped per network: the network's key. */
export class Migration20261204190000_product_view_network_key extends Migration {

  override name = 'Migration20261204190000_product_view_network_key';

  override up(): void | Promise<void> {
    this.addSql(`alter table "product_view" add column "network_key" varchar(64) null;`);
    this.addSql(`create index "product_view_network_key_index" on "product_view" ("network_key");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "product_view_network_key_index";`);
    this.addSql(`alter table "product_view" drop column "network_key";`);
  }

}
