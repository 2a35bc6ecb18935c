import { Migration } from '@mikro-orm/migrations';

export class Migration20261123104631_santri_regency_index extends Migration {

  override name = 'Migration20261123104631_santri_regency_index';

  override up(): void | Promise<void> {
    this.addSql(`create index "santri_regency_code_index" on "santri" ("regency_code");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "santri_regency_code_index";`);
  }

}
