import { Migration } from '@mikro-orm/migrations';

export class Migration20261123133647_santri_record_access extends Migration {

  override name = 'Migration20261123133647_santri_record_access';

  override up(): void | Promise<void> {
    this.addSql(`create table "santri_record_access" ("id" uuid not null, "at" timestamptz not null, "subject" varchar(200) not null, "role" varchar(40) not null, "partner_id" uuid null, "purpose" text not null, "filter" jsonb not null, "fields" text[] not null, "record_count" int not null, "santri_ids" text[] not null, primary key ("id"));`);
    this.addSql(`create index "santri_record_access_at_index" on "santri_record_access" ("at");`);
    this.addSql(`create index "santri_record_access_partner_id_index" on "santri_record_access" ("partner_id");`);

    this.addSql(`alter table "santri_record_access" add constraint "santri_record_access_purpose_check" check ("purpose" in ('RESEARCH', 'PROGRAMME_EVALUATION'));`);
    this.addSql(`create or replace function "santri_record_access_append_only_fn"() returns trigger as \$\$ begin raise exception '% is append-only: % is not allowed', tg_table_name, tg_op using errcode = 'insufficient_privilege'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "append_only" BEFORE UPDATE OR DELETE on "santri_record_access" for each ROW execute function "santri_record_access_append_only_fn"();`);
    // TRUNCATE fires no row trigger, and the entity cannot declare a trigger the schema diff does
    // not see (information_schema leaves TRUNCATE triggers out), so this one is written by hand.
    this.addSql(`create trigger "append_only_truncate" BEFORE TRUNCATE on "santri_record_access" for each STATEMENT execute function "santri_record_access_append_only_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "append_only_truncate" on "santri_record_access";`);
    this.addSql(`drop trigger if exists "append_only" on "santri_record_access";`);
    this.addSql(`drop function if exists "santri_record_access_append_only_fn"();`);
    this.addSql(`drop table if exists "santri_record_access" cascade;`);
  }

}
