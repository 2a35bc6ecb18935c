import type { MigrationClass } from '@opop/server-kit';
import { Migration20261123102457_initial } from './Migration20261123102457_initial.ts';
import { Migration20261123104050_enrolment_count } from './Migration20261123104050_enrolment_count.ts';
import { Migration20261123104631_santri_regency_index } from './Migration20261123104631_santri_regency_index.ts';
import { Migration20261123133647_santri_record_access } from './Migration20261123133647_santri_record_access.ts';
import { Migration20261204150000_record_keys } from './Migration20261204150000_record_keys.ts';
import { Migration20261204160000_record_access_refusal } from './Migration20261204160000_record_access_refusal.ts';
import { Migration20261204170000_pesantren_enrolment_count } from './Migration20261204170000_pesantren_enrolment_count.ts';
import { Migration20261204180000_pesantren_enrolment_margin } from './Migration20261204180000_pesantren_enrolment_margin.ts';
import { Migration20261204200000_statistics_release } from './Migration20261204200000_statistics_release.ts';
import { Migration20261204210000_pesantren_place } from './Migration20261204210000_pesantren_place.ts';

/** Applied in this order. A migration that has shipped is never edited: add a new one. */
export const migrations: MigrationClass[] = [
  Migration20261123102457_initial,
  Migration20261123104050_enrolment_count,
  Migration20261123104631_santri_regency_index,
  Migration20261123133647_santri_record_access,
  Migration20261204150000_record_keys,
  Migration20261204160000_record_access_refusal,
  Migration20261204170000_pesantren_enrolment_count,
  Migration20261204180000_pesantren_enrolment_margin,
  Migration20261204200000_statistics_release,
  Migration20261204210000_pesantren_place,
];
