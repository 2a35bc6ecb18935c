import { Migration } from '@mikro-orm/migrations';

export class Migration20261207072608_engagement_partner_newest_index extends Migration {

  override name = 'Migration20261207072608_engagement_partner_newest_index';

  override up(): void | Promise<void> {
    this.addSql(`drop index "engagement_partner_id_index";`);
    this.addSql(`create index "engagement_partner_newest_index" on "engagement" ("partner_id", "starts_on" DESC, "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "engagement_partner_newest_index";`);
    this.addSql(`create index "engagement_partner_id_index" on "engagement" ("partner_id");`);
  }

}
