import { Migration } from '@mikro-orm/migrations';

/**
 * Statistics published from yearly releases: the regency rollup gets the release key the
 * per-pesantren rollups were created with ('live' for the rows enrolments update), and the table
 * of releases. The first read of statistics takes the first release.
 */
export class Migration20261204200000_statistics_release extends Migration {

  override name = 'Migration20261204200000_statistics_release';

  override up(): void | Promise<void> {
    this.addSql(`alter table "enrolment_count" add column "release" varchar(12) not null default 'live';`);
    this.addSql(`alter table "enrolment_count" alter column "release" drop default;`);
    this.addSql(`alter table "enrolment_count" drop constraint "enrolment_count_pkey";`);
    this.addSql(`alter table "enrolment_count" add constraint "enrolment_count_pkey" primary key ("release", "regency_code", "programme_kind", "gender", "age_band", "intake_year");`);
    this.addSql(`create table "statistics_release" ("period" varchar(12) not null, "taken_at" timestamptz not null, "santri" int not null, primary key ("period"));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "statistics_release" cascade;`);
    this.addSql(`delete from "enrolment_count" where "release" <> 'live';`);
    this.addSql(`alter table "enrolment_count" drop constraint "enrolment_count_pkey";`);
    this.addSql(`alter table "enrolment_count" add constraint "enrolment_count_pkey" primary key ("regency_code", "programme_kind", "gender", "age_band", "intake_year");`);
    this.addSql(`alter table "enrolment_count" drop column "release";`);
  }

}
