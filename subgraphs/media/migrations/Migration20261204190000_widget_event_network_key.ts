import { Migration } from '@mikro-orm/migrations';

/** Widget events are counted per visitor the router derives, and capped per network: the network's key. */
export class Migration20261204190000_widget_event_network_key extends Migration {

  override name = 'Migration20261204190000_widget_event_network_key';

  override up(): void | Promise<void> {
    this.addSql(`alter table "widget_event" add column "network_key" varchar(64) null;`);
    this.addSql(`create index "widget_event_network_key_index" on "widget_event" ("network_key");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "widget_event_network_key_index";`);
    this.addSql(`alter table "widget_event" drop column "network_key";`);
  }

}
