import { Migration } from '@mikro-orm/migrations';

export class Migration20261206205950_publish_outbox extends Migration {

  override name = 'Migration20261206205950_publish_outbox';

  override up(): void | Promise<void> {
    this.addSql(`create table "publish_cursor" ("name" varchar(120) not null, "last_event_id" bigint not null, "updated_at" timestamptz not null, primary key ("name"));`);

    this.addSql(`create table "publish_outbox" ("id" bigserial primary key, "article_id" uuid not null, "article_slug" varchar(200) not null, "created_at" timestamptz not null);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "publish_cursor" cascade;`);
    this.addSql(`drop table if exists "publish_outbox" cascade;`);
  }

}
