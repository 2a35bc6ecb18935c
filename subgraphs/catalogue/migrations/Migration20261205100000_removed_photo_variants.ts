import { Migration } from '@mikro-orm/migrations';

/** Served files of removed photos, deleted by the photo sweep once nothing uses their content. */
export class Migration20261205100000_removed_photo_variants extends Migration {

  override name = 'Migration20261205100000_removed_photo_variants';

  override up(): void | Promise<void> {
    this.addSql(`create table "removed_photo_variant" ("key" varchar(100) not null, "content_hash" varchar(32) not null, "removed_at" timestamptz not null, primary key ("key"));`);
    this.addSql(`create index "removed_photo_variant_content_hash_index" on "removed_photo_variant" ("content_hash");`);
    this.addSql(`create index "removed_photo_variant_removed_at_index" on "removed_photo_variant" ("removed_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "removed_photo_variant" cascade;`);
  }

}
