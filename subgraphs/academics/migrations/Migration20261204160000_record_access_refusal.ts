import { Migration } from '@mikro-orm/migrations';

/** Refused requests for santri records are audited too, with the refusal the caller received. */
export class Migration20261204160000_record_access_refusal extends Migration {

  override name = 'Migration20261204160000_record_access_refusal';

  override up(): void | Promise<void> {
    this.addSql(`alter table "santri_record_access" add column "refusal" varchar(500) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "santri_record_access" drop column "refusal";`);
  }

}
