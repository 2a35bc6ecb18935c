import { Migration } from '@mikro-orm/migrations';

export class Migration20261123102945_initial extends Migration {

  override name = 'Migration20261123102945_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "innovation" ("id" uuid not null, "slug" varchar(80) not null, "name_indonesian" varchar(200) not null, "name_english" varchar(200) null, "description_indonesian" text not null, "description_english" text null, primary key ("id"));`);
    this.addSql(`alter table "innovation" add constraint "innovation_slug_unique" unique ("slug");`);

    this.addSql(`create table "funnel_event" ("id" uuid not null, "innovation_id" uuid not null, "stage" text not null, "dedupe_key" varchar(64) null, "at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "funnel_event" add constraint "funnel_event_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(`create index "funnel_event_innovation_id_stage_index" on "funnel_event" ("innovation_id", "stage");`);

    this.addSql(`create table "agreement" ("id" uuid not null, "innovation_id" uuid not null, "region_name" varchar(120) not null, "region_kind" text not null, "region_bps_code" varchar(4) null, "province_name" varchar(80) not null, "signed_on" date not null, "note" text null, "recorded_by" varchar(120) not null, "recorded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "agreement_innovation_id_index" on "agreement" ("innovation_id");`);

    this.addSql(`create table "interest_expression" ("id" uuid not null, "innovation_id" uuid not null, "name" varchar(120) not null, "organisation" varchar(160) not null, "email" varchar(254) null, "phone" varchar(15) null, "region" varchar(120) not null, "message" text not null, "received_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "interest_expression_innovation_id_index" on "interest_expression" ("innovation_id");`);

    this.addSql(`create table "partner" ("id" uuid not null, "slug" varchar(80) not null, "name" varchar(160) not null, "role" text not null, "site" varchar(300) null, "logo_url" varchar(300) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "partner" add constraint "partner_slug_unique" unique ("slug");`);
    this.addSql(`create index "partner_role_index" on "partner" ("role");`);

    this.addSql(`create table "engagement" ("id" uuid not null, "partner_id" uuid not null, "aspect" text not null, "title_indonesian" varchar(200) not null, "title_english" varchar(200) null, "starts_on" date not null, "ends_on" date null, "outcome_indonesian" text null, "outcome_english" text null, "is_demo" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "engagement_partner_id_index" on "engagement" ("partner_id");`);
    this.addSql(`create index "engagement_starts_on_index" on "engagement" ("starts_on");`);

    this.addSql(`create table "engagement_product" ("engagement_id" uuid not null, "product_id" uuid not null, primary key ("engagement_id", "product_id"));`);
    this.addSql(`create index "engagement_product_product_id_index" on "engagement_product" ("product_id");`);

    this.addSql(`create table "engagement_pesantren" ("engagement_id" uuid not null, "pesantren_id" uuid not null, primary key ("engagement_id", "pesantren_id"));`);
    this.addSql(`create index "engagement_pesantren_pesantren_id_index" on "engagement_pesantren" ("pesantren_id");`);

    this.addSql(`create table "replication" ("id" uuid not null, "innovation_id" uuid not null, "region_name" varchar(120) not null, "region_kind" text not null, "region_bps_code" varchar(4) null, "province_name" varchar(80) not null, "started_on" date not null, "note" text null, "recorded_by" varchar(120) not null, "recorded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "replication_innovation_id_index" on "replication" ("innovation_id");`);

    this.addSql(`alter table "funnel_event" add constraint "funnel_event_innovation_id_foreign" foreign key ("innovation_id") references "innovation" ("id");`);
    this.addSql(`alter table "funnel_event" add constraint "funnel_event_stage_check" check ("stage" in ('VIEWED', 'INTEREST_EXPRESSED', 'AGREEMENT_SIGNED', 'REPLICATED'));`);

    this.addSql(`alter table "agreement" add constraint "agreement_innovation_id_foreign" foreign key ("innovation_id") references "innovation" ("id");`);
    this.addSql(`alter table "agreement" add constraint "agreement_region_kind_check" check ("region_kind" in ('PROVINCE', 'REGENCY', 'CITY'));`);

    this.addSql(`alter table "interest_expression" add constraint "interest_expression_innovation_id_foreign" foreign key ("innovation_id") references "innovation" ("id");`);

    this.addSql(`alter table "partner" add constraint "partner_role_check" check ("role" in ('GOVERNMENT', 'MEDIA', 'ACADEMIA', 'BUSINESS', 'COMMUNITY'));`);

    this.addSql(`alter table "engagement" add constraint "engagement_partner_id_foreign" foreign key ("partner_id") references "partner" ("id");`);
    this.addSql(`alter table "engagement" add constraint "engagement_aspect_check" check ("aspect" in ('INSTITUTION', 'HUMAN_RESOURCES', 'PRODUCT', 'MARKETING', 'FINANCING'));`);

    this.addSql(`alter table "engagement_product" add constraint "engagement_product_engagement_id_foreign" foreign key ("engagement_id") references "engagement" ("id");`);

    this.addSql(`alter table "engagement_pesantren" add constraint "engagement_pesantren_engagement_id_foreign" foreign key ("engagement_id") references "engagement" ("id");`);

    this.addSql(`alter table "replication" add constraint "replication_innovation_id_foreign" foreign key ("innovation_id") references "innovation" ("id");`);
    this.addSql(`alter table "replication" add constraint "replication_region_kind_check" check ("region_kind" in ('PROVINCE', 'REGENCY', 'CITY'));`);

    // Reference data: the programme's Pentahelix partners (shared/domain/partners.csv) and EKO-TREN.
    this.addSql(`insert into "partner" ("id", "slug", "name", "role", "site", "logo_url", "created_at") values
      ('744eb9c2-5441-5233-8cd9-9b4610022440', 'dinas-koperasi-ukm-jatim', 'Dinas Koperasi dan UKM Provinsi Jawa Timur', 'GOVERNMENT', 'https://diskopukm.jatimprov.go.id', null, now()),
      ('3d5cd56a-4a81-5357-b3ed-07f6705436f7', 'dinas-kominfo-jatim', 'Dinas Kominfo Provinsi Jawa Timur', 'GOVERNMENT', 'https://kominfo.jatimprov.go.id', null, now()),
      ('208c85ec-8246-5c80-a8a0-f405e562c3af', 'bank-indonesia', 'Bank Indonesia', 'GOVERNMENT', 'https://www.bi.go.id', null, now()),
      ('8a4a369f-9a46-5b33-bc17-e95df921732e', 'unusa', 'Universitas Nahdlatul Ulama Surabaya (UNUSA)', 'ACADEMIA', 'https://unusa.ac.id', null, now()),
      ('64b29782-0afc-5509-8edd-f96f7311c161', 'its', 'Institut Teknologi Sepuluh Nopember (ITS)', 'ACADEMIA', 'https://www.its.ac.id', null, now()),
      ('4921ff69-36dd-58d5-a802-b5b15178830c', 'unisma', 'Universitas Islam Malang (UNISMA)', 'ACADEMIA', 'https://unisma.ac.id', null, now()),
      ('f4738812-deec-52a2-8bbc-82e5a1977428', 'icsb-indonesia', 'ICSB Indonesia', 'ACADEMIA', null, null, now()),
      ('d81fca6b-546c-5dbc-814b-24ac5fbba13d', 'bank-jatim-syariah', 'Bank Jatim Syariah', 'BUSINESS', null, null, now()),
      ('5609f78f-3070-50ac-a720-028d732ec463', 'pertamina', 'Pertamina', 'BUSINESS', 'https://www.pertamina.com', null, now()),
      ('af6e0842-7133-58c3-b1a2-83651c861e31', 'grab', 'Grab', 'BUSINESS', 'https://www.grab.com/id/', null, now()),
      ('6aef3636-97e5-5c6d-9c59-cee3963026ba', 'fokker', 'Forum Kerjasama Koppontren (FOKKER)', 'COMMUNITY', null, null, now()),
      ('bd024a81-a1ea-513d-8a0d-c111748a8085', 'rmi', 'Rabithah Ma''ahid Islamiyah (RMI)', 'COMMUNITY', null, null, now()),
      ('d41929b2-813c-50e4-b8ab-e606893027fc', 'mui', 'Majelis Ulama Indonesia (MUI)', 'COMMUNITY', 'https://mui.or.id', null, now()),
      ('6c82d47c-7d86-5466-89f4-8493bd011c7c', 'hipsi', 'Himpunan Pengusaha Santri Indonesia (HIPSI)', 'COMMUNITY', null, null, now()),
      ('3a930998-7c02-5d15-9190-2c672b7dd292', 'jtv', 'JTV', 'MEDIA', null, null, now()),
      ('4645380b-a505-5efa-8a4f-091c6962acff', 'tv9', 'TV9', 'MEDIA', null, null, now()),
      ('5c23ff57-fe85-5430-97bc-2ca0e25c002f', 'times-indonesia', 'Times Indonesia', 'MEDIA', 'https://timesindonesia.co.id', null, now()),
      ('7c9d16e4-787f-5da9-aca3-88c021371dd7', 'radar96', 'Radar96', 'MEDIA', null, null, now()),
      ('d674cedb-ae9f-5c7a-a3d1-c0135fb011f1', 'duta-co', 'Duta.co', 'MEDIA', 'https://duta.co', null, now());`);
    this.addSql(`insert into "innovation" ("id", "slug", "name_indonesian", "name_english", "description_indonesian", "description_english") values
      ('5b7d2a40-6e0f-5c3a-9a41-2f6c8e1d0b73', 'eko-tren', 'EKO-TREN: Ekonomi Kerakyatan Berbasis Pesantren', 'EKO-TREN: pesantren-based community economic development',
       'Inovasi Pemerintah Provinsi Jawa Timur sejak 2019: pemberdayaan ekonomi pesantren melalui program OPOP (One Pesantren One Product) dengan tiga pilar, pesantrenpreneur, santripreneur dan sosiopreneur.',
       'East Java''s innovation since 2019: economic empowerment of pesantren through the OPOP (One Pesantren One Product) programme and its three pillars, pesantrenpreneur, santripreneur and sosiopreneur.');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "funnel_event" drop constraint "funnel_event_innovation_id_foreign";`);
    this.addSql(`alter table "agreement" drop constraint "agreement_innovation_id_foreign";`);
    this.addSql(`alter table "interest_expression" drop constraint "interest_expression_innovation_id_foreign";`);
    this.addSql(`alter table "replication" drop constraint "replication_innovation_id_foreign";`);
    this.addSql(`alter table "engagement" drop constraint "engagement_partner_id_foreign";`);
    this.addSql(`alter table "engagement_product" drop constraint "engagement_product_engagement_id_foreign";`);
    this.addSql(`alter table "engagement_pesantren" drop constraint "engagement_pesantren_engagement_id_foreign";`);

    this.addSql(`drop table if exists "innovation" cascade;`);
    this.addSql(`drop table if exists "funnel_event" cascade;`);
    this.addSql(`drop table if exists "agreement" cascade;`);
    this.addSql(`drop table if exists "interest_expression" cascade;`);
    this.addSql(`drop table if exists "partner" cascade;`);
    this.addSql(`drop table if exists "engagement" cascade;`);
    this.addSql(`drop table if exists "engagement_product" cascade;`);
    this.addSql(`drop table if exists "engagement_pesantren" cascade;`);
    this.addSql(`drop table if exists "replication" cascade;`);
  }

}
