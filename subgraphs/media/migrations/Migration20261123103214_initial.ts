import { Migration } from '@mikro-orm/migrations';

export class Migration20261123103214_initial extends Migration {

  override name = 'Migration20261123103214_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "outlet" ("id" uuid not null, "slug" varchar(80) not null, "name" varchar(160) not null, "kind" text not null, "site" varchar(300) null, "public_key" varchar(64) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "outlet" add constraint "outlet_slug_unique" unique ("slug");`);
    this.addSql(`alter table "outlet" add constraint "outlet_public_key_unique" unique ("public_key");`);

    this.addSql(`create table "article" ("id" uuid not null, "slug" varchar(200) not null, "outlet_id" uuid not null, "title_indonesian" varchar(200) not null, "title_english" varchar(200) null, "summary_indonesian" varchar(500) null, "summary_english" varchar(500) null, "body_markdown" text not null, "body_html" text not null, "published_at" timestamptz not null, "is_demo" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "article" add constraint "article_slug_unique" unique ("slug");`);
    this.addSql(`create index "article_outlet_id_index" on "article" ("outlet_id");`);
    this.addSql(`create index "article_published_at_index" on "article" ("published_at");`);

    this.addSql(`create table "article_product" ("article_id" uuid not null, "product_id" uuid not null, primary key ("article_id", "product_id"));`);
    this.addSql(`create index "article_product_product_id_index" on "article_product" ("product_id");`);

    this.addSql(`create table "article_pesantren" ("article_id" uuid not null, "pesantren_id" uuid not null, primary key ("article_id", "pesantren_id"));`);
    this.addSql(`create index "article_pesantren_pesantren_id_index" on "article_pesantren" ("pesantren_id");`);

    this.addSql(`create table "widget_placement" ("id" uuid not null, "placement_key" varchar(64) not null, "outlet_id" uuid not null, "page_url" varchar(500) not null, "widget" text not null, "product_ids" text[] not null, "pesantren_id" uuid null, "views" int not null default 0, "clicks" int not null default 0, "first_seen_at" timestamptz not null, "last_seen_at" timestamptz not null, "is_demo" boolean not null default false, primary key ("id"));`);
    this.addSql(`alter table "widget_placement" add constraint "widget_placement_placement_key_unique" unique ("placement_key");`);
    this.addSql(`create index "widget_placement_outlet_id_index" on "widget_placement" ("outlet_id");`);

    this.addSql(`create table "widget_event" ("id" uuid not null, "placement_id" uuid not null, "kind" text not null, "dedupe_key" varchar(64) not null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "widget_event_placement_id_index" on "widget_event" ("placement_id");`);
    this.addSql(`alter table "widget_event" add constraint "widget_event_dedupe_key_unique" unique ("dedupe_key");`);

    this.addSql(`alter table "outlet" add constraint "outlet_kind_check" check ("kind" in ('TELEVISION', 'RADIO', 'ONLINE_NEWS'));`);

    this.addSql(`alter table "article" add constraint "article_outlet_id_foreign" foreign key ("outlet_id") references "outlet" ("id");`);

    this.addSql(`alter table "article_product" add constraint "article_product_article_id_foreign" foreign key ("article_id") references "article" ("id");`);

    this.addSql(`alter table "article_pesantren" add constraint "article_pesantren_article_id_foreign" foreign key ("article_id") references "article" ("id");`);

    this.addSql(`alter table "widget_placement" add constraint "widget_placement_outlet_id_foreign" foreign key ("outlet_id") references "outlet" ("id");`);
    this.addSql(`alter table "widget_placement" add constraint "widget_placement_widget_check" check ("widget" in ('PRODUCT_CARD', 'PRODUCT_GRID', 'SEARCH', 'PESANTREN_BADGE'));`);

    this.addSql(`alter table "widget_event" add constraint "widget_event_placement_id_foreign" foreign key ("placement_id") references "widget_placement" ("id");`);
    this.addSql(`alter table "widget_event" add constraint "widget_event_kind_check" check ("kind" in ('VIEW', 'CLICK'));`);

    // Reference data: the programme's media partners (shared/domain/partners.csv) with their widget keys.
    this.addSql(`insert into "outlet" ("id", "slug", "name", "kind", "site", "public_key", "created_at") values
      ('00eea614-4c77-533f-9aff-e2d161b95029', 'jtv', 'JTV', 'TELEVISION', null, 'opop_pk_jtv_5c1e9a07d2b4', now()),
      ('7dfd05e2-a4ec-5085-967f-aaf61d209e49', 'tv9', 'TV9', 'TELEVISION', null, 'opop_pk_tv9_83f0b6c4e17a', now()),
      ('ce163bad-1443-539e-852c-957a29608706', 'times-indonesia', 'Times Indonesia', 'ONLINE_NEWS', 'https://timesindonesia.co.id', 'opop_pk_times_2d7f4e91b0c3', now()),
      ('fee19466-8344-517a-8855-974a4f20d701', 'radar96', 'Radar96', 'RADIO', null, 'opop_pk_radar96_9a4c0e6f1d28', now()),
      ('7b3a3c45-d2bd-5b45-bf24-0fc4cd855f29', 'duta-co', 'Duta.co', 'ONLINE_NEWS', 'https://duta.co', 'opop_pk_duta_7e2b5d8a3f61', now());`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "article" drop constraint "article_outlet_id_foreign";`);
    this.addSql(`alter table "widget_placement" drop constraint "widget_placement_outlet_id_foreign";`);
    this.addSql(`alter table "article_product" drop constraint "article_product_article_id_foreign";`);
    this.addSql(`alter table "article_pesantren" drop constraint "article_pesantren_article_id_foreign";`);
    this.addSql(`alter table "widget_event" drop constraint "widget_event_placement_id_foreign";`);

    this.addSql(`drop table if exists "outlet" cascade;`);
    this.addSql(`drop table if exists "article" cascade;`);
    this.addSql(`drop table if exists "article_product" cascade;`);
    this.addSql(`drop table if exists "article_pesantren" cascade;`);
    this.addSql(`drop table if exists "widget_placement" cascade;`);
    this.addSql(`drop table if exists "widget_event" cascade;`);
  }

}
