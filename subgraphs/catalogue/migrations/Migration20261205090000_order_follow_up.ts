import { Migration } from '@mikro-orm/migrations';

/**
 * The order after the order (issue 20): a private status link per order request, reservations
 * that expire, the moment a decision was taken, the sender's network for per-network limits,
 * and each seller's payment details (bank account, QRIS).
 */
export class Migration20261205090000_order_follow_up extends Migration {

  override name = 'Migration20261205090000_order_follow_up';

  override up(): void | Promise<void> {
    this.addSql(`alter table "order_request" drop constraint if exists "order_request_status_check";`);
    this.addSql(`alter table "order_request" add constraint "order_request_status_check" check ("status" in ('REQUESTED', 'CONFIRMED', 'CANCELLED', 'EXPIRED'));`);
    this.addSql(`alter table "order_request" add column "decided_at" timestamptz null, add column "reserved_until" timestamptz null, add column "status_token" varchar(43) null;`);
    // Orders made before this: decided ones at their last update, open ones held 48 hours from their request.
    this.addSql(`update "order_request" set "decided_at" = case when "status" = 'REQUESTED' then null else "updated_at" end, "reserved_until" = "created_at" + interval '48 hours';`);
    // 32 bytes from two random UUIDs, as 43 base64url characters (what checkout.ts issues).
    this.addSql(`update "order_request" set "status_token" = rtrim(translate(encode(decode(replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''), 'hex'), 'base64'), '+/', '-_'), '=');`);
    this.addSql(`alter table "order_request" alter column "reserved_until" set not null, alter column "status_token" set not null;`);
    this.addSql(`create index "order_request_reserved_until_index" on "order_request" ("reserved_until");`);
    this.addSql(`alter table "order_request" add constraint "order_request_status_token_unique" unique ("status_token");`);
    this.addSql(`create index "order_request_buyer_phone_created_at_index" on "order_request" ("buyer_phone", "created_at");`);

    this.addSql(`alter table "order_checkout" add column "visitor_network" varchar(32) null;`);
    this.addSql(`create index "order_checkout_visitor_network_created_at_index" on "order_checkout" ("visitor_network", "created_at");`);

    this.addSql(`alter table "seller" add column "bank_name" varchar(60) null, add column "bank_account_number" varchar(20) null, add column "bank_account_holder" varchar(100) null, add column "qris_payload" varchar(512) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "seller" drop column if exists "bank_name", drop column if exists "bank_account_number", drop column if exists "bank_account_holder", drop column if exists "qris_payload";`);
    this.addSql(`drop index if exists "order_checkout_visitor_network_created_at_index";`);
    this.addSql(`alter table "order_checkout" drop column if exists "visitor_network";`);
    this.addSql(`drop index if exists "order_request_buyer_phone_created_at_index";`);
    this.addSql(`alter table "order_request" drop constraint if exists "order_request_status_token_unique";`);
    this.addSql(`drop index if exists "order_request_reserved_until_index";`);
    this.addSql(`alter table "order_request" drop column if exists "decided_at", drop column if exists "reserved_until", drop column if exists "status_token";`);
    this.addSql(`update "order_request" set "status" = 'CANCELLED' where "status" = 'EXPIRED';`);
    this.addSql(`alter table "order_request" drop constraint if exists "order_request_status_check";`);
    this.addSql(`alter table "order_request" add constraint "order_request_status_check" check ("status" in ('REQUESTED', 'CONFIRMED', 'CANCELLED'));`);
  }

}
