import { Migration } from '@mikro-orm/migrations';

export class Migration20261123095222_initial extends Migration {

  override name = 'Migration20261123095222_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "category" ("id" uuid not null, "slug" varchar(80) not null, "parent_id" uuid null, "name_indonesian" varchar(120) not null, "name_english" varchar(120) null, "position" smallint not null default 0, "requires_halal" boolean not null default false, "food_permit" text not null default 'NONE', "requires_sni" boolean not null default false, primary key ("id"));`);
    this.addSql(`alter table "category" add constraint "category_slug_unique" unique ("slug");`);
    this.addSql(`create index "category_parent_id_index" on "category" ("parent_id");`);

    this.addSql(`create table "seller" ("id" uuid not null, "slug" varchar(200) not null, "name" varchar(160) not null, "pillar" text not null, "pesantren_id" uuid not null, "regency_code" varchar(4) not null, "description_indonesian" text not null, "description_english" text null, "whatsapp" varchar(15) null, "is_demo" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "seller" add constraint "seller_slug_unique" unique ("slug");`);
    this.addSql(`create index "seller_pillar_index" on "seller" ("pillar");`);
    this.addSql(`create index "seller_pesantren_id_index" on "seller" ("pesantren_id");`);
    this.addSql(`create index "seller_regency_code_index" on "seller" ("regency_code");`);

    this.addSql(`create table "product" ("id" uuid not null, "slug" varchar(200) not null, "seller_id" uuid not null, "category_id" uuid not null, "name_indonesian" varchar(160) not null, "name_english" varchar(160) null, "description_indonesian" text not null, "description_english" text null, "price_rupiah" int not null, "stock" int not null, "unit" varchar(30) not null, "weight_grams" int not null, "images" jsonb not null, "halal_certificate_number" varchar(19) null, "halal_self_declared" boolean not null default false, "bpom_number" varchar(14) null, "pirt_number" varchar(15) null, "sni_certificate_number" varchar(64) null, "curation_status" text not null default 'DRAFT', "is_demo" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "product" add constraint "product_slug_unique" unique ("slug");`);
    this.addSql(`create index "product_seller_id_index" on "product" ("seller_id");`);
    this.addSql(`create index "product_category_id_index" on "product" ("category_id");`);
    this.addSql(`create index "product_price_rupiah_index" on "product" ("price_rupiah");`);
    this.addSql(`create index "product_curation_status_index" on "product" ("curation_status");`);
    this.addSql(`create index "product_created_at_index" on "product" ("created_at");`);

    this.addSql(`create table "curation_event" ("id" uuid not null, "product_id" uuid not null, "from_status" text null, "to_status" text not null, "note" text null, "actor" varchar(120) not null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "curation_event_product_id_index" on "curation_event" ("product_id");`);

    this.addSql(`alter table "category" add constraint "category_parent_id_foreign" foreign key ("parent_id") references "category" ("id") on delete set null;`);
    this.addSql(`alter table "category" add constraint "category_food_permit_check" check ("food_permit" in ('NONE', 'PIRT_OR_BPOM', 'BPOM'));`);

    this.addSql(`alter table "seller" add constraint "seller_pillar_check" check ("pillar" in ('PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR'));`);

    this.addSql(`alter table "product" add constraint "product_seller_id_foreign" foreign key ("seller_id") references "seller" ("id");`);
    this.addSql(`alter table "product" add constraint "product_category_id_foreign" foreign key ("category_id") references "category" ("id");`);
    this.addSql(`alter table "product" add constraint "product_curation_status_check" check ("curation_status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_REVISION', 'FEATURED'));`);

    this.addSql(`alter table "curation_event" add constraint "curation_event_product_id_foreign" foreign key ("product_id") references "product" ("id");`);
    this.addSql(`alter table "curation_event" add constraint "curation_event_from_status_check" check ("from_status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_REVISION', 'FEATURED'));`);
    this.addSql(`alter table "curation_event" add constraint "curation_event_to_status_check" check ("to_status" in ('DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_REVISION', 'FEATURED'));`);

    // The product taxonomy, bilingual, with the permits each category's products need to be featured.
    this.addSql(`insert into "category" ("id", "slug", "parent_id", "name_indonesian", "name_english", "position", "requires_halal", "food_permit", "requires_sni") values
      ('0e78f998-db3c-52d6-bac4-1113201ad209', 'makanan-minuman', null, 'Makanan & Minuman', 'Food & Beverages', 0, false, 'NONE', false),
      ('4ce079a0-6f60-52bc-8f97-928d8714ba78', 'makanan-ringan', '0e78f998-db3c-52d6-bac4-1113201ad209', 'Makanan Ringan', 'Snacks', 1, true, 'PIRT_OR_BPOM', false),
      ('a114f289-c458-5cb7-b086-5c306febb39b', 'kopi-teh', '0e78f998-db3c-52d6-bac4-1113201ad209', 'Kopi & Teh', 'Coffee & Tea', 2, true, 'PIRT_OR_BPOM', false),
      ('4c0aec32-3bf3-57cf-8edf-ba0fb92b512e', 'madu-herbal', '0e78f998-db3c-52d6-bac4-1113201ad209', 'Madu & Minuman Herbal', 'Honey & Herbal Drinks', 3, true, 'PIRT_OR_BPOM', false),
      ('114c98b9-01d3-5ca8-81cc-9e71c6a1d968', 'air-minum', '0e78f998-db3c-52d6-bac4-1113201ad209', 'Air Minum Dalam Kemasan', 'Bottled Water', 4, true, 'BPOM', true),
      ('5bf94bae-b0ee-5ea6-aa66-5f68d7dbc4bc', 'bumbu-olahan', '0e78f998-db3c-52d6-bac4-1113201ad209', 'Bumbu & Olahan', 'Condiments & Preserves', 5, true, 'PIRT_OR_BPOM', false),
      ('738a995b-24f0-5efa-885e-b638182de7bc', 'kue-jajanan', '0e78f998-db3c-52d6-bac4-1113201ad209', 'Kue & Jajanan', 'Cakes & Traditional Sweets', 6, true, 'PIRT_OR_BPOM', false),
      ('578621f1-9dcc-5a64-8238-ff9f44030009', 'busana-muslim', null, 'Busana Muslim', 'Muslim Fashion', 7, false, 'NONE', false),
      ('371eb622-d05c-5e14-9c22-db6ccf5e7f51', 'sarung', '578621f1-9dcc-5a64-8238-ff9f44030009', 'Sarung', 'Sarongs', 8, false, 'NONE', false),
      ('d86a3742-9d94-5ce5-a460-9b1459515940', 'batik', '578621f1-9dcc-5a64-8238-ff9f44030009', 'Batik', 'Batik', 9, false, 'NONE', false),
      ('ce373ad9-07a9-5ba6-9f56-48fbbe2eb37d', 'peci-songkok', '578621f1-9dcc-5a64-8238-ff9f44030009', 'Peci & Songkok', 'Caps (Peci & Songkok)', 10, false, 'NONE', false),
      ('3f080db2-8139-51b3-8988-ed7a0c8b9bf9', 'pakaian', '578621f1-9dcc-5a64-8238-ff9f44030009', 'Pakaian', 'Clothing', 11, false, 'NONE', false),
      ('2d109a34-bc89-5410-8544-51b5cccc95cd', 'kerajinan', null, 'Kerajinan', 'Crafts', 12, false, 'NONE', false),
      ('027263f5-d525-52b9-b470-51094b1e74d1', 'kaligrafi', '2d109a34-bc89-5410-8544-51b5cccc95cd', 'Kaligrafi', 'Calligraphy', 13, false, 'NONE', false),
      ('d15ee028-eb6f-565a-96d7-ece99c5bac78', 'anyaman-kayu', '2d109a34-bc89-5410-8544-51b5cccc95cd', 'Anyaman & Kayu', 'Woven & Wooden Crafts', 14, false, 'NONE', false),
      ('3cc0b7a6-2e3f-5b3a-8a23-c4e500100351', 'pertanian', null, 'Pertanian & Peternakan', 'Farm Produce', 15, false, 'NONE', false),
      ('0dae82fd-e1d9-5d96-a1b3-113439dcbedf', 'beras-palawija', '3cc0b7a6-2e3f-5b3a-8a23-c4e500100351', 'Beras & Palawija', 'Rice & Grains', 16, false, 'NONE', false),
      ('cc27194a-c21b-5a8a-bc29-408570c1896f', 'hasil-ternak', '3cc0b7a6-2e3f-5b3a-8a23-c4e500100351', 'Hasil Ternak & Perikanan', 'Livestock & Fish Produce', 17, true, 'PIRT_OR_BPOM', false),
      ('6836dd39-4d3d-55e1-bb2e-e8402ddce437', 'pupuk-organik', '3cc0b7a6-2e3f-5b3a-8a23-c4e500100351', 'Pupuk Organik', 'Organic Fertiliser', 18, false, 'NONE', false),
      ('9f63095c-7689-5e95-8a03-146941f3554b', 'perawatan-diri', null, 'Perawatan Diri', 'Personal Care', 19, false, 'NONE', false),
      ('f0380e58-48e4-5523-9050-28ce17b0632d', 'sabun-minyak-herbal', '9f63095c-7689-5e95-8a03-146941f3554b', 'Sabun & Minyak Herbal', 'Herbal Soaps & Oils', 20, true, 'NONE', false),
      ('01ba1e1f-6ee2-5c8f-abad-4b2c57371fe4', 'kitab-buku', null, 'Kitab & Buku', 'Books & Kitab', 21, false, 'NONE', false);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "category" drop constraint "category_parent_id_foreign";`);
    this.addSql(`alter table "product" drop constraint "product_category_id_foreign";`);
    this.addSql(`alter table "product" drop constraint "product_seller_id_foreign";`);
    this.addSql(`alter table "curation_event" drop constraint "curation_event_product_id_foreign";`);

    this.addSql(`drop table if exists "category" cascade;`);
    this.addSql(`drop table if exists "seller" cascade;`);
    this.addSql(`drop table if exists "product" cascade;`);
    this.addSql(`drop table if exists "curation_event" cascade;`);
  }

}
