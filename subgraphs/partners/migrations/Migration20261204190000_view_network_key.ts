import { Migration } from '@mikro-orm/migrations';

/** Views are counted per visitor the router derives, and capped per network: the network's key. */
export class Migration20261204190000_view_network_key extends Migration {

  override name = 'Migration20261204190000_view_network_key';

  override up(): void | Promise<void> {
    this.addSql(`alter table "funnel_event" add column "network_key" varchar(64) null;`);
    this.addSql(`create index "funnel_event_network_key_index" on "funnel_event" ("network_key");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "funnel_event_network_key_index";`);
    this.addSql(`alter table "funnel_event" drop column "network_key";`);
  }

}
