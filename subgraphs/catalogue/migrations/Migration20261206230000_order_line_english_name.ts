import { Migration } from '@mikro-orm/migrations';

/**
 * An order line keeps the product's English name as it was ordered, as it keeps the Indonesian
 * one: the shopper's English status page showed the Indonesian name. Older lines have none.
 */
export class Migration20261206230000_order_line_english_name extends Migration {

  override name = 'Migration20261206230000_order_line_english_name';

  override up(): void | Promise<void> {
    this.addSql(`alter table "order_line" add column "product_name_english" varchar(160) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "order_line" drop column "product_name_english";`);
  }

}
