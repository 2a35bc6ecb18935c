import { Migration } from '@mikro-orm/migrations';

export class Migration20261123110822_search extends Migration {

  override name = 'Migration20261123110822_search';

  override up(): void | Promise<void> {
    this.addSql(`create table "product_view" ("dedupe_key" varchar(64) not null, "product_id" uuid not null, "at" timestamptz not null, primary key ("dedupe_key"));`);
    this.addSql(`create index "product_view_product_id_index" on "product_view" ("product_id");`);

    this.addSql(`create table "search_index_cursor" ("index_name" varchar(120) not null, "last_event_id" bigint not null, "updated_at" timestamptz not null, primary key ("index_name"));`);

    this.addSql(`create table "search_outbox" ("id" bigserial primary key, "product_id" uuid null, "seller_id" uuid null, "created_at" timestamptz not null);`);

    this.addSql(`alter table "product" add "view_count" int not null default 0;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "product_view" cascade;`);
    this.addSql(`drop table if exists "search_index_cursor" cascade;`);
    this.addSql(`drop table if exists "search_outbox" cascade;`);

    this.addSql(`alter table "product" drop column "view_count";`);
  }

}
