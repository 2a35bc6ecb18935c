import { Migration } from '@mikro-orm/migrations';

export class Migration20261123132921_api_keys extends Migration {

  override name = 'Migration20261123132921_api_keys';

  override up(): void | Promise<void> {
    this.addSql(`create table "api_key" ("id" uuid not null, "partner_id" uuid not null, "name" varchar(80) not null, "role" text not null, "scopes" text[] not null, "allowed_origins" text[] not null, "prefix" varchar(24) not null, "secret_hash" varchar(64) not null, "created_at" timestamptz not null, "created_by" varchar(120) not null, "revoked_at" timestamptz null, "revoked_by" varchar(120) null, "revocation_reason" varchar(500) null, "last_used_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "api_key_partner_id_index" on "api_key" ("partner_id");`);
    this.addSql(`alter table "api_key" add constraint "api_key_prefix_unique" unique ("prefix");`);

    this.addSql(`alter table "api_key" add constraint "api_key_partner_id_foreign" foreign key ("partner_id") references "partner" ("id");`);
    this.addSql(`alter table "api_key" add constraint "api_key_role_check" check ("role" in ('media_partner', 'academic_partner'));`);
    this.addSql(`alter table "api_key" add constraint "api_key_scopes_check" check ("scopes" <@ array['academics:aggregate'::text, 'academics:records'::text, 'widgets:events'::text, 'orders:read'::text]);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "api_key" cascade;`);
  }

}
