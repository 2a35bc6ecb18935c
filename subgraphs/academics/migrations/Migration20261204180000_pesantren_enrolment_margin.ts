import { Migration } from '@mikro-orm/migrations';

/** Each pesantren's santri in all and by one other dimension, so "every pesantren by gender" adds nothing up at query time. */
export class Migration20261204180000_pesantren_enrolment_margin extends Migration {

  override name = 'Migration20261204180000_pesantren_enrolment_margin';

  override up(): void | Promise<void> {
    this.addSql(`create table "pesantren_enrolment_margin" ("release" varchar(12) not null, "dimension" varchar(20) not null, "pesantren_id" uuid not null, "value" varchar(40) not null, "santri" int not null, "key_sum" bigint not null, primary key ("release", "dimension", "pesantren_id", "value"));`);
    this.addSql(`insert into "pesantren_enrolment_margin" ("release", "pesantren_id", "dimension", "value", "santri", "key_sum")
      select 'live', s.pesantren_id, m.dimension, m.value, count(*), sum(s.record_key) % 4503599627370496
      from "santri" s cross join lateral (values ('ALL', ''), ('PROGRAMME', s.programme_kind), ('GENDER', s.gender),
        ('AGE_BAND', case when s.intake_year - s.birth_year < 13 then 'UNDER_13'
             when s.intake_year - s.birth_year < 16 then 'AGE_13_TO_15'
             when s.intake_year - s.birth_year < 19 then 'AGE_16_TO_18' else 'AGE_19_AND_OVER' end),
        ('YEAR', s.intake_year::text)) m(dimension, value)
      group by 1, 2, 3, 4;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "pesantren_enrolment_margin" cascade;`);
  }

}
