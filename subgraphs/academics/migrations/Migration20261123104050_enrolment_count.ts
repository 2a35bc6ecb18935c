import { Migration } from '@mikro-orm/migrations';

export class Migration20261123104050_enrolment_count extends Migration {

  override name = 'Migration20261123104050_enrolment_count';

  override up(): void | Promise<void> {
    this.addSql(`create table "enrolment_count" ("regency_code" varchar(4) not null, "programme_kind" text not null, "gender" text not null, "age_band" varchar(20) not null, "intake_year" smallint not null, "santri" int not null, primary key ("regency_code", "programme_kind", "gender", "age_band", "intake_year"));`);

    this.addSql(`alter table "enrolment_count" add constraint "enrolment_count_programme_kind_check" check ("programme_kind" in ('MTS', 'MA', 'SMK', 'DINIYAH', 'TAHFIDZ', 'VOCATIONAL_TRAINING', 'ENTREPRENEURSHIP_LAB'));`);
    this.addSql(`alter table "enrolment_count" add constraint "enrolment_count_gender_check" check ("gender" in ('FEMALE', 'MALE'));`);

    // Backfill from the santri already enrolled, with the age bands of enrolment-stats.ts.
    this.addSql(`insert into "enrolment_count" ("regency_code", "programme_kind", "gender", "age_band", "intake_year", "santri")
      select s.regency_code, s.programme_kind, s.gender,
        case when s.intake_year - s.birth_year < 13 then 'UNDER_13'
             when s.intake_year - s.birth_year < 16 then 'AGE_13_TO_15'
             when s.intake_year - s.birth_year < 19 then 'AGE_16_TO_18' else 'AGE_19_AND_OVER' end,
        s.intake_year, count(*)
      from "santri" s group by 1, 2, 3, 4, 5;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "enrolment_count" cascade;`);
  }

}
