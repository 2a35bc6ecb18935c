import { Migration } from '@mikro-orm/migrations';

/** The one regency of each pesantren, fixed by its first programme (its programmes so far). */
export class Migration20261204210000_pesantren_place extends Migration {

  override name = 'Migration20261204210000_pesantren_place';

  override up(): void | Promise<void> {
    this.addSql(`create table "pesantren_place" ("pesantren_id" uuid not null, "regency_code" varchar(4) not null, primary key ("pesantren_id"));`);
    this.addSql(`insert into "pesantren_place" ("pesantren_id", "regency_code") select "pesantren_id", min("regency_code") from "programme" group by 1;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "pesantren_place" cascade;`);
  }

}
