import { Migration } from '@mikro-orm/migrations';

/**
 * Record keys for the cell key method (src/modules/stats/perturbation.ts): every santri gets a
 * random 52-bit key, and the enrolment rollup the sum of its santri's keys. Keys of santri
 * already enrolled are drawn here, from gen_random_uuid()'s random source.
 */
export class Migration20261204150000_record_keys extends Migration {

  override name = 'Migration20261204150000_record_keys';

  override up(): void | Promise<void> {
    this.addSql(`alter table "santri" add column "record_key" bigint null;`);
    this.addSql(`update "santri" set "record_key" = ('x' || substr(md5(gen_random_uuid()::text), 1, 13))::bit(52)::bigint;`);
    this.addSql(`alter table "santri" alter column "record_key" set not null;`);

    this.addSql(`alter table "enrolment_count" add column "key_sum" bigint not null default 0;`);
    this.addSql(`alter table "enrolment_count" alter column "key_sum" drop default;`);
    this.addSql(`delete from "enrolment_count";`);
    this.addSql(`insert into "enrolment_count" ("regency_code", "programme_kind", "gender", "age_band", "intake_year", "santri", "key_sum")
      select s.regency_code, s.programme_kind, s.gender,
        case when s.intake_year - s.birth_year < 13 then 'UNDER_13'
             when s.intake_year - s.birth_year < 16 then 'AGE_13_TO_15'
             when s.intake_year - s.birth_year < 19 then 'AGE_16_TO_18' else 'AGE_19_AND_OVER' end,
        s.intake_year, count(*), sum(s.record_key) % 4503599627370496
      from "santri" s group by 1, 2, 3, 4, 5;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "enrolment_count" drop column "key_sum";`);
    this.addSql(`alter table "santri" drop column "record_key";`);
  }

}
