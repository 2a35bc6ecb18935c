import { createHash } from 'node:crypto';
import { generateAcademics, generateWorld, santriBatches, type DemoWorld, type SantriRecord } from '@opop/demo-data';
import type { Database } from '@opop/server-kit';
import { KEY_MODULUS } from '../../src/modules/stats/perturbation.ts';
import { GroundTruth, Lattice, type Atom } from './lattice.ts';

export const ageBandOf = (age: number) => (age < 13 ? 'UNDER_13' : age < 16 ? 'AGE_13_TO_15' : age < 19 ? 'AGE_16_TO_18' : 'AGE_19_AND_OVER');
export const AGE_BAND_VALUES = ['UNDER_13', 'AGE_13_TO_15', 'AGE_16_TO_18', 'AGE_19_AND_OVER'] as const;

export const atomOfRecord = (santri: SantriRecord): Atom => ({
  regency: santri.regencyCode,
  pesantren: santri.pesantrenId,
  programme: santri.programmeKind,
  gender: santri.gender,
  ageBand: ageBandOf(santri.enrolmentYear - santri.birthYear),
  year: String(santri.enrolmentYear),
});

/** A record key drawn from a seed, so that a run of the attack can be repeated exactly. */
export const seededRecordKey = (seed: string, id: string) => Number(createHash("sha256").update(`${seed}:${id}`).digest().readBigUInt64BE(0) % BigInt(KEY_MODULUS));

/** The ground truth of a generated world, with record keys from `seed` (the database draws its own). */
export function generatedTruth(world: DemoWorld, seed: string): GroundTruth {
  const truth = new GroundTruth();
  for (const batch of santriBatches(generateAcademics(world))) for (const santri of batch) truth.add(atomOfRecord(santri), seededRecordKey(seed, santri.id));
  return truth.seal();
}

/**
 * The unknowns of an attacker who knows only what is public: which pesantren run which
 * programmes, and the intake years in use. Every combination of those may hold santri or none.
 */
export function publicLattice(world: DemoWorld, years: readonly number[]): Lattice {
  const atoms: Atom[] = [];
  for (const programme of generateAcademics(world).programmes) {
    for (const gender of ['FEMALE', 'MALE']) {
      for (const ageBand of AGE_BAND_VALUES) {
        for (const year of years) atoms.push({ regency: programme.regencyCode, pesantren: programme.pesantrenId, programme: programme.kind, gender, ageBand, year: String(year) });
      }
    }
  }
  return new Lattice(atoms);
}

/** The unknowns of an attacker who also knows which atoms hold anyone: stronger than any caller of the API can be. */
export const supportLattice = (truth: GroundTruth): Lattice => new Lattice([...truth.atomTotals.values()].map((entry) => entry.atom));

export { generateWorld };

/** Every santri's atom and record key as the database holds them: the auditor's ground truth (not sealed). */
export async function readGroundTruth(database: Database): Promise<GroundTruth> {
  const truth = new GroundTruth();
  const rows = await database.orm.em
    .getConnection()
    .execute<Record<string, string | number>[]>(`select regency_code, pesantren_id, programme_kind, gender, birth_year, intake_year, record_key::text as k from "${database.schema}".santri`);
  for (const row of rows) {
    truth.add(
      {
        regency: String(row['regency_code']),
        pesantren: String(row['pesantren_id']),
        programme: String(row['programme_kind']),
        gender: String(row['gender']),
        ageBand: ageBandOf(Number(row['intake_year']) - Number(row['birth_year'])),
        year: String(row['intake_year']),
      },
      Number(row['k']),
    );
  }
  return truth;
}
