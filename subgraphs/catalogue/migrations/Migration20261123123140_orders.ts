import { Migration } from '@mikro-orm/migrations';

export class Migration20261123123140_orders extends Migration {

  override name = 'Migration20261123123140_orders';

  override up(): void | Promise<void> {
    this.addSql(`create table "order_checkout" ("idempotency_key" uuid not null, "payload_hash" varchar(64) not null, "created_at" timestamptz not null, primary key ("idempotency_key"));`);

    this.addSql(`create table "order_request" ("id" uuid not null, "number" varchar(20) not null, "checkout_idempotency_key" uuid not null, "position" smallint not null, "seller_id" uuid not null, "status" text not null default 'REQUESTED', "payment_method" text not null, "total_rupiah" int not null, "buyer_name" varchar(100) not null, "buyer_phone" varchar(15) not null, "delivery_address" varchar(500) not null, "note" varchar(500) null, "cancel_reason" varchar(500) null, "decided_by" varchar(120) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "order_request" add constraint "order_request_number_unique" unique ("number");`);
    this.addSql(`create index "order_request_checkout_idempotency_key_index" on "order_request" ("checkout_idempotency_key");`);
    this.addSql(`create index "order_request_seller_id_index" on "order_request" ("seller_id");`);
    this.addSql(`create index "order_request_status_index" on "order_request" ("status");`);
    this.addSql(`create index "order_request_created_at_index" on "order_request" ("created_at");`);

    this.addSql(`create table "order_line" ("id" uuid not null, "order_id" uuid not null, "position" smallint not null, "product_id" uuid not null, "product_name" varchar(160) not null, "unit" varchar(30) not null, "unit_price_rupiah" int not null, "quantity" int not null, primary key ("id"));`);
    this.addSql(`create index "order_line_order_id_index" on "order_line" ("order_id");`);
    this.addSql(`create index "order_line_product_id_index" on "order_line" ("product_id");`);

    this.addSql(`alter table "order_request" add constraint "order_request_checkout_idempotency_key_foreign" foreign key ("checkout_idempotency_key") references "order_checkout" ("idempotency_key");`);
    this.addSql(`alter table "order_request" add constraint "order_request_seller_id_foreign" foreign key ("seller_id") references "seller" ("id");`);
    this.addSql(`alter table "order_request" add constraint "order_request_status_check" check ("status" in ('REQUESTED', 'CONFIRMED', 'CANCELLED'));`);
    this.addSql(`alter table "order_request" add constraint "order_request_payment_method_check" check ("payment_method" in ('COD', 'BANK_TRANSFER', 'QRIS'));`);

    this.addSql(`alter table "order_line" add constraint "order_line_order_id_foreign" foreign key ("order_id") references "order_request" ("id");`);
    this.addSql(`alter table "order_line" add constraint "order_line_product_id_foreign" foreign key ("product_id") references "product" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "order_request" drop constraint "order_request_checkout_idempotency_key_foreign";`);
    this.addSql(`alter table "order_line" drop constraint "order_line_order_id_foreign";`);

    this.addSql(`drop table if exists "order_checkout" cascade;`);
    this.addSql(`drop table if exists "order_request" cascade;`);
    this.addSql(`drop table if exists "order_line" cascade;`);
  }

}
