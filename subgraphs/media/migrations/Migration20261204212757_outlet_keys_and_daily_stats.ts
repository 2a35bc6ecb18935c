import { Migration } from '@mikro-orm/migrations';

/**
 * Partner self-service (issue 17):
 * - an outlet names its partner in the partners subgraph (`partner_id`); the programme's five
 *   outlets get their MEDIA partner's id, which the partners subgraph's migrations give as
 *   demoId('partner', slug) (packages/demo-data), the outlets and partners sharing their slugs;
 * - an outlet may have several public widget keys, one per site: each outlet's `public_key`
 *   moves into `outlet_key` and the column goes;
 * - views and clicks per outlet, day (Asia/Jakarta) and widget kind, backfilled from the counted
 *   events (demo placements carry counts without events, and get none).
 */
export class Migration20261204212757_outlet_keys_and_daily_stats extends Migration {

  override name = 'Migration20261204212757_outlet_keys_and_daily_stats';

  override up(): void | Promise<void> {
    this.addSql(`create table "outlet_key" ("id" uuid not null, "outlet_id" uuid not null, "key" varchar(64) not null, "label" varchar(80) not null, "created_at" timestamptz not null, "created_by" varchar(120) not null, "revoked_at" timestamptz null, "revoked_by" varchar(120) null, primary key ("id"));`);
    this.addSql(`create index "outlet_key_outlet_id_index" on "outlet_key" ("outlet_id");`);
    this.addSql(`alter table "outlet_key" add constraint "outlet_key_key_unique" unique ("key");`);
    this.addSql(`alter table "outlet_key" add constraint "outlet_key_outlet_id_foreign" foreign key ("outlet_id") references "outlet" ("id");`);

    // Each outlet's key so far becomes its first key, with a stable id and the outlet's own date.
    this.addSql(`insert into "outlet_key" ("id", "outlet_id", "key", "label", "created_at", "created_by", "revoked_at", "revoked_by")
      select md5('outlet-key:' || "id"::text)::uuid, "id", "public_key", 'Kunci awal', "created_at", 'migration', null, null from "outlet";`);
    this.addSql(`alter table "outlet" drop constraint "outlet_public_key_unique";`);
    this.addSql(`alter table "outlet" drop column "public_key";`);

    this.addSql(`alter table "outlet" add "partner_id" uuid null;`);
    this.addSql(`alter table "outlet" add constraint "outlet_partner_id_unique" unique ("partner_id");`);
    // demoId('partner', slug): the ids the partners subgraph's migrations give these partners.
    this.addSql(`update "outlet" set "partner_id" = v."partner_id"::uuid from (values
      ('jtv', '3a930998-7c02-5d15-9190-2c672b7dd292'),
      ('tv9', '4645380b-a505-5efa-8a4f-091c6962acff'),
      ('times-indonesia', '5c23ff57-fe85-5430-97bc-2ca0e25c002f'),
      ('radar96', '7c9d16e4-787f-5da9-aca3-88c021371dd7'),
      ('duta-co', 'd674cedb-ae9f-5c7a-a3d1-c0135fb011f1')
    ) as v("slug", "partner_id") where "outlet"."slug" = v."slug";`);

    this.addSql(`create table "widget_daily_stat" ("outlet_id" uuid not null, "day" date not null, "widget" text not null, "views" int not null default 0, "clicks" int not null default 0, primary key ("outlet_id", "day", "widget"));`);
    this.addSql(`alter table "widget_daily_stat" add constraint "widget_daily_stat_outlet_id_foreign" foreign key ("outlet_id") references "outlet" ("id");`);
    this.addSql(`alter table "widget_daily_stat" add constraint "widget_daily_stat_widget_check" check ("widget" in ('PRODUCT_CARD', 'PRODUCT_GRID', 'SEARCH', 'PESANTREN_BADGE'));`);
    // Asia/Jakarta (WIB) is UTC+7 all year, without daylight saving: the day is the UTC time plus 7 hours.
    this.addSql(`insert into "widget_daily_stat" ("outlet_id", "day", "widget", "views", "clicks")
      select p."outlet_id", (e."at" at time zone 'UTC' + interval '7 hours')::date, p."widget",
        count(*) filter (where e."kind" = 'VIEW'), count(*) filter (where e."kind" = 'CLICK')
      from "widget_event" e join "widget_placement" p on p."id" = e."placement_id"
      group by 1, 2, 3;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "widget_daily_stat" cascade;`);

    this.addSql(`alter table "outlet" drop constraint "outlet_partner_id_unique";`);
    this.addSql(`alter table "outlet" drop column "partner_id";`);

    // Back to one key per outlet: its first active one (or, failing that, its first).
    this.addSql(`alter table "outlet" add "public_key" varchar(64) null;`);
    this.addSql(`update "outlet" o set "public_key" = (select k."key" from "outlet_key" k where k."outlet_id" = o."id" order by k."revoked_at" is not null, k."created_at", k."id" limit 1);`);
    this.addSql(`alter table "outlet" alter column "public_key" set not null;`);
    this.addSql(`alter table "outlet" add constraint "outlet_public_key_unique" unique ("public_key");`);
    this.addSql(`drop table if exists "outlet_key" cascade;`);
  }

}
