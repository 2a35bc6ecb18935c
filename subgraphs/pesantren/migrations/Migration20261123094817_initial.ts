import { Migration } from '@mikro-orm/migrations';

export class Migration20261123094817_initial extends Migration {

  override name = 'Migration20261123094817_initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "regency" ("code" varchar(4) not null, "kind" text not null, "name" varchar(80) not null, "province_code" varchar(2) not null, "province_name" varchar(80) not null, primary key ("code"));`);
    this.addSql(`create index "regency_province_code_index" on "regency" ("province_code");`);

    this.addSql(`create table "pesantren" ("id" uuid not null, "nspp" varchar(12) not null, "name" varchar(160) not null, "slug" varchar(180) not null, "regency_code" varchar(4) not null, "address" varchar(300) not null, "pillars" text[] not null, "cooperative_name" varchar(160) null, "cooperative_legal_number" varchar(80) null, "whatsapp" varchar(15) null, "member_since" smallint not null, "awards" jsonb not null, "is_demo" boolean not null default false, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "pesantren" add constraint "pesantren_nspp_unique" unique ("nspp");`);
    this.addSql(`create index "pesantren_name_index" on "pesantren" ("name");`);
    this.addSql(`alter table "pesantren" add constraint "pesantren_slug_unique" unique ("slug");`);
    this.addSql(`create index "pesantren_regency_code_index" on "pesantren" ("regency_code");`);
    this.addSql(`create index "pesantren_created_at_index" on "pesantren" ("created_at");`);

    this.addSql(`alter table "regency" add constraint "regency_kind_check" check ("kind" in ('KABUPATEN', 'KOTA'));`);

    this.addSql(`alter table "pesantren" add constraint "pesantren_regency_code_foreign" foreign key ("regency_code") references "regency" ("code");`);
    this.addSql(`alter table "pesantren" add constraint "pesantren_pillars_check" check ("pillars" <@ array['PESANTRENPRENEUR'::text, 'SANTRIPRENEUR'::text, 'SOSIOPRENEUR'::text]);`);

    // Reference data: East Java's 38 regencies and cities (BPS codes), from shared/domain/regencies.csv.
    this.addSql(`insert into "regency" ("code", "kind", "name", "province_code", "province_name") values
      ('3501', 'KABUPATEN', 'Pacitan', '35', 'Jawa Timur'),
      ('3502', 'KABUPATEN', 'Ponorogo', '35', 'Jawa Timur'),
      ('3503', 'KABUPATEN', 'Trenggalek', '35', 'Jawa Timur'),
      ('3504', 'KABUPATEN', 'Tulungagung', '35', 'Jawa Timur'),
      ('3505', 'KABUPATEN', 'Blitar', '35', 'Jawa Timur'),
      ('3506', 'KABUPATEN', 'Kediri', '35', 'Jawa Timur'),
      ('3507', 'KABUPATEN', 'Malang', '35', 'Jawa Timur'),
      ('3508', 'KABUPATEN', 'Lumajang', '35', 'Jawa Timur'),
      ('3509', 'KABUPATEN', 'Jember', '35', 'Jawa Timur'),
      ('3510', 'KABUPATEN', 'Banyuwangi', '35', 'Jawa Timur'),
      ('3511', 'KABUPATEN', 'Bondowoso', '35', 'Jawa Timur'),
      ('3512', 'KABUPATEN', 'Situbondo', '35', 'Jawa Timur'),
      ('3513', 'KABUPATEN', 'Probolinggo', '35', 'Jawa Timur'),
      ('3514', 'KABUPATEN', 'Pasuruan', '35', 'Jawa Timur'),
      ('3515', 'KABUPATEN', 'Sidoarjo', '35', 'Jawa Timur'),
      ('3516', 'KABUPATEN', 'Mojokerto', '35', 'Jawa Timur'),
      ('3517', 'KABUPATEN', 'Jombang', '35', 'Jawa Timur'),
      ('3518', 'KABUPATEN', 'Nganjuk', '35', 'Jawa Timur'),
      ('3519', 'KABUPATEN', 'Madiun', '35', 'Jawa Timur'),
      ('3520', 'KABUPATEN', 'Magetan', '35', 'Jawa Timur'),
      ('3521', 'KABUPATEN', 'Ngawi', '35', 'Jawa Timur'),
      ('3522', 'KABUPATEN', 'Bojonegoro', '35', 'Jawa Timur'),
      ('3523', 'KABUPATEN', 'Tuban', '35', 'Jawa Timur'),
      ('3524', 'KABUPATEN', 'Lamongan', '35', 'Jawa Timur'),
      ('3525', 'KABUPATEN', 'Gresik', '35', 'Jawa Timur'),
      ('3526', 'KABUPATEN', 'Bangkalan', '35', 'Jawa Timur'),
      ('3527', 'KABUPATEN', 'Sampang', '35', 'Jawa Timur'),
      ('3528', 'KABUPATEN', 'Pamekasan', '35', 'Jawa Timur'),
      ('3529', 'KABUPATEN', 'Sumenep', '35', 'Jawa Timur'),
      ('3571', 'KOTA', 'Kediri', '35', 'Jawa Timur'),
      ('3572', 'KOTA', 'Blitar', '35', 'Jawa Timur'),
      ('3573', 'KOTA', 'Malang', '35', 'Jawa Timur'),
      ('3574', 'KOTA', 'Probolinggo', '35', 'Jawa Timur'),
      ('3575', 'KOTA', 'Pasuruan', '35', 'Jawa Timur'),
      ('3576', 'KOTA', 'Mojokerto', '35', 'Jawa Timur'),
      ('3577', 'KOTA', 'Madiun', '35', 'Jawa Timur'),
      ('3578', 'KOTA', 'Surabaya', '35', 'Jawa Timur'),
      ('3579', 'KOTA', 'Batu', '35', 'Jawa Timur');`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "pesantren" drop constraint "pesantren_regency_code_foreign";`);

    this.addSql(`drop table if exists "regency" cascade;`);
    this.addSql(`drop table if exists "pesantren" cascade;`);
  }

}
