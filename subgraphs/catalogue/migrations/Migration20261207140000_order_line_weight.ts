import { Migration } from '@mikro-orm/migrations';

/**
 * An order line keeps the weight of one unit as it was ordered, as it keeps the name, unit and
 * price: the price check compares the weight, and the seller honours the pack the shopper chose
 * even if the product's weight changes before the order is confirmed. Older lines have none.
 */
export class Migration20261207140000_order_line_weight extends Migration {

  override name = 'Migration20261207140000_order_line_weight';

  override up(): void | Promise<void> {
    this.addSql(`alter table "order_line" add column "weight_grams" int null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "order_line" drop column "weight_grams";`);
  }

}
