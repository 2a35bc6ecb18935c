import { Migration } from '@mikro-orm/migrations';

/** Enrolment counts per pesantren (the smallest published groups), so statistics by pesantren scan no santri records. */
export class Migration20261204170000_pesantren_enrolment_count extends Migration {

  override name = 'Migration20261204170000_pesantren_enrolment_count';

  override up(): void | Promise<void> {
    this.addSql(`create table "pesantren_enrolment_count" ("release" varchar(12) not null, "pesantren_id" uuid not null, "regency_code" varchar(4) not null, "programme_kind" text not null, "gender" text not null, "age_band" varchar(20) not null, "intake_year" smallint not null, "santri" int not null, "key_sum" bigint not null, primary key ("release", "pesantren_id", "regency_code", "programme_kind", "gender", "age_band", "intake_year"));`);
    this.addSql(`alter table "pesantren_enrolment_count" add constraint "pesantren_enrolment_count_programme_kind_check" check ("programme_kind" in ('MTS', 'MA', 'SMK', 'DINIYAH', 'TAHFIDZ', 'VOCATIONAL_TRAINING', 'ENTREPRENEURSHIP_LAB'));`);
    this.addSql(`alter table "pesantren_enrolment_count" add constraint "pesantren_enrolment_count_gender_check" check ("gender" in ('FEMALE', 'MALE'));`);
    this.addSql(`insert into "pesantren_enrolment_count" ("release", "pesantren_id", "regency_code", "programme_kind", "gender", "age_band", "intake_year", "santri", "key_sum")
      select 'live', s.pesantren_id, s.regency_code, s.programme_kind, s.gender,
        case when s.intake_year - s.birth_year < 13 then 'UNDER_13'
             when s.intake_year - s.birth_year < 16 then 'AGE_13_TO_15'
             when s.intake_year - s.birth_year < 19 then 'AGE_16_TO_18' else 'AGE_19_AND_OVER' end,
        s.intake_year, count(*), sum(s.record_key) % 4503599627370496
      from "santri" s group by 1, 2, 3, 4, 5, 6, 7;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "pesantren_enrolment_count" cascade;`);
  }

}
