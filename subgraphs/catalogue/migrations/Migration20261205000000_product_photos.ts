import { Migration } from '@mikro-orm/migrations';

/** Product photos: uploads, their processing state and served variants. */
export class Migration20261205000000_product_photos extends Migration {

  override name = 'Migration20261205000000_product_photos';

  override up(): void | Promise<void> {
    this.addSql(`create table "product_photo" ("id" uuid not null, "product_id" uuid not null, "position" int not null, "alt_indonesian" varchar(200) not null, "alt_english" varchar(200) null, "status" text check ("status" in ('AWAITING_UPLOAD', 'QUEUED', 'PROCESSING', 'READY', 'FAILED')) not null default 'AWAITING_UPLOAD', "progress" smallint not null default 0, "declared_bytes" int not null, "content_hash" varchar(32) null, "width" int null, "height" int null, "color" varchar(7) null, "placeholder" text null, "variants" jsonb not null, "failure" text null, "original_key" varchar(100) null, "uploaded_by" varchar(200) not null, "created_at" timestamptz not null, "upload_expires_at" timestamptz not null, "processed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "product_photo_product_id_index" on "product_photo" ("product_id");`);
    this.addSql(`create index "product_photo_status_index" on "product_photo" ("status");`);
    this.addSql(`create index "product_photo_content_hash_index" on "product_photo" ("content_hash");`);
    this.addSql(`alter table "product_photo" add constraint "product_photo_product_id_foreign" foreign key ("product_id") references "product" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "product_photo" cascade;`);
  }

}
