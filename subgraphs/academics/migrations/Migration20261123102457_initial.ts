import { Migration } from '@mikro-orm/migrations';

export class Migration20261123102457_initial extends Migration {

  override name = 'Migration20261123102457_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "programme" ("id" uuid not null, "pesantren_id" uuid not null, "regency_code" varchar(4) not null, "kind" text not null, "name" varchar(160) not null, "established_year" smallint null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "programme_pesantren_id_index" on "programme" ("pesantren_id");`);

    this.addSql(`create table "entrepreneurship_lab" ("id" uuid not null, "programme_id" uuid not null, "pesantren_id" uuid not null, "name" varchar(160) not null, "focus" text not null, "product_ids" text[] not null, "activities" jsonb not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "entrepreneurship_lab" add constraint "entrepreneurship_lab_programme_id_unique" unique ("programme_id");`);
    this.addSql(`create index "entrepreneurship_lab_pesantren_id_index" on "entrepreneurship_lab" ("pesantren_id");`);

    this.addSql(`create table "santri" ("id" uuid not null, "programme_id" uuid not null, "pesantren_id" uuid not null, "regency_code" varchar(4) not null, "programme_kind" text not null, "birth_year" smallint not null, "gender" text not null, "intake_year" smallint not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "santri_programme_id_index" on "santri" ("programme_id");`);
    this.addSql(`create index "santri_pesantren_id_index" on "santri" ("pesantren_id");`);

    this.addSql(`create table "consent_event" ("id" uuid not null, "santri_id" uuid not null, "purpose" text not null, "granted" boolean not null, "relationship" text null, "evidence" varchar(60) null, "effective_on" date not null, "recorded_by" varchar(120) not null, "recorded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "consent_event_santri_id_index" on "consent_event" ("santri_id");`);

    this.addSql(`alter table "programme" add constraint "programme_kind_check" check ("kind" in ('MTS', 'MA', 'SMK', 'DINIYAH', 'TAHFIDZ', 'VOCATIONAL_TRAINING', 'ENTREPRENEURSHIP_LAB'));`);

    this.addSql(`alter table "entrepreneurship_lab" add constraint "entrepreneurship_lab_programme_id_foreign" foreign key ("programme_id") references "programme" ("id");`);
    this.addSql(`alter table "entrepreneurship_lab" add constraint "entrepreneurship_lab_focus_check" check ("focus" in ('FOOD_PROCESSING', 'FASHION', 'CRAFTS', 'AGRICULTURE', 'PERSONAL_CARE'));`);

    this.addSql(`alter table "santri" add constraint "santri_programme_id_foreign" foreign key ("programme_id") references "programme" ("id");`);
    this.addSql(`alter table "santri" add constraint "santri_programme_kind_check" check ("programme_kind" in ('MTS', 'MA', 'SMK', 'DINIYAH', 'TAHFIDZ', 'VOCATIONAL_TRAINING', 'ENTREPRENEURSHIP_LAB'));`);
    this.addSql(`alter table "santri" add constraint "santri_gender_check" check ("gender" in ('FEMALE', 'MALE'));`);

    this.addSql(`alter table "consent_event" add constraint "consent_event_santri_id_foreign" foreign key ("santri_id") references "santri" ("id");`);
    this.addSql(`alter table "consent_event" add constraint "consent_event_purpose_check" check ("purpose" in ('RESEARCH', 'PROGRAMME_EVALUATION'));`);
    this.addSql(`alter table "consent_event" add constraint "consent_event_relationship_check" check ("relationship" in ('FATHER', 'MOTHER', 'GUARDIAN'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "entrepreneurship_lab" drop constraint "entrepreneurship_lab_programme_id_foreign";`);
    this.addSql(`alter table "santri" drop constraint "santri_programme_id_foreign";`);
    this.addSql(`alter table "consent_event" drop constraint "consent_event_santri_id_foreign";`);

    this.addSql(`drop table if exists "programme" cascade;`);
    this.addSql(`drop table if exists "entrepreneurship_lab" cascade;`);
    this.addSql(`drop table if exists "santri" cascade;`);
    this.addSql(`drop table if exists "consent_event" cascade;`);
  }

}
