import { Migration } from '@mikro-orm/migrations';

/**
 * When each product's current curation status began, for the curation queue's waiting-time filter
 * and sort: the time of its newest curation event (its creation when it has none), kept from then
 * on by the writes that append an event.
 */
export class Migration20261205010000_product_status_since extends Migration {

  override name = 'Migration20261205010000_product_status_since';

  override up(): void | Promise<void> {
    this.addSql(`alter table "product" add column "status_since" timestamptz null;`);
    this.addSql(`update "product" p set "status_since" = coalesce((select max(e."at") from "curation_event" e where e."product_id" = p."id"), p."created_at");`);
    this.addSql(`alter table "product" alter column "status_since" set not null;`);
    this.addSql(`create index "product_status_since_index" on "product" ("status_since");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "product_status_since_index";`);
    this.addSql(`alter table "product" drop column if exists "status_since";`);
  }

}
