import { hash, randomBytes } from 'node:crypto';

/**
 * Statistical disclosure control of santri counts by the cell key method (the Australian Bureau
 * of Statistics' TableBuilder method), as `docs/santri-statistics.md` explains for partners.
 *
 * Every santri record carries a random record key, drawn once at enrolment and never shown. The
 * records of a group (a "cell") add up to a cell key; the cell key picks the noise added to the
 * group's count. So:
 * - the same group of santri always gets the same published number, whichever query reaches it:
 *   asking again, or by another route, gives nothing new to average;
 * - two groups that differ by even one santri get unrelated noise, so subtracting two published
 *   numbers gives a noisy answer, never an exact one.
 *
 * The noise is two-sided geometric (the discrete Laplace of differential privacy): P(d) ∝ α^|d|,
 * with α = 1/2. Its mean is 0, its mean absolute value 1.33 and its standard deviation 2; 99.7%
 * of counts move by 8 or less. It is cut only at ±40, far beyond anything drawn in practice, so
 * that knowing the bound never lets anyone rule out a value of a small group. A perturbed count
 * under the threshold is not published at all, and neither is an empty group: a missing number
 * means "fewer than 10, possibly none".
 */

/** Publication threshold: a number under this is never shown. */
export const THRESHOLD = 10;
/** α of the two-sided geometric noise: each step away from the true count is half as likely. */
export const NOISE_RATIO = 0.5;
/** The noise never exceeds this, in either direction (a noise beyond ±20 has odds of about 1 in 10^6). */
export const MAX_NOISE = 40;
/** Record keys and cell keys live modulo 2^52: sums stay exact in SQL bigint and in a JS number. */
export const KEY_MODULUS = 2 ** 52;

/** A group of santri as the database adds it up: how many, and the sum of their record keys. */
export interface CellTotal {
  count: number;
  /** Sum of the record keys modulo KEY_MODULUS. */
  keySum: number;
}

/** A fresh record key, from the operating system's random source. */
export function newRecordKey(): number {
  return Number(randomBytes(8).readBigUInt64BE(0) % BigInt(KEY_MODULUS));
}

/** Adds two groups that share no santri: the union's count and cell key. */
export const addCells = (a: CellTotal, b: CellTotal): CellTotal => ({ count: a.count + b.count, keySum: (a.keySum + b.keySum) % KEY_MODULUS });

export const EMPTY_CELL: CellTotal = { count: 0, keySum: 0 };

/** The cumulative distribution of the noise, from −MAX_NOISE to +MAX_NOISE. */
const NOISE_CDF: readonly number[] = (() => {
  const weights = Array.from({ length: 2 * MAX_NOISE + 1 }, (_, index) => NOISE_RATIO ** Math.abs(index - MAX_NOISE));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let cumulative = 0;
  return weights.map((weight) => (cumulative += weight / total));
})();

/**
 * The noise of one group, a pure function of its count and cell key. The cell key goes through
 * SHA-256 first: sums of keys are linear (the key of A ∪ B is key A + key B), the noise must not be.
 */
export function noiseOf(cell: CellTotal): number {
  // Never change this function or its input: a new one redraws every group's noise, and two draws
  // of the same group are two measurements an attacker can average.
  const digest = hash('sha256', `opop-enrolment:${cell.count}:${cell.keySum}`, 'buffer');
  const uniform = digest.readUIntBE(0, 6) / 2 ** 48;
  let index = 0;
  while (index < NOISE_CDF.length - 1 && uniform >= NOISE_CDF[index]!) index++;
  return index - MAX_NOISE;
}

/** The group's count with its noise; an empty group stays 0 (and is not published either). */
export const perturbedCount = (cell: CellTotal): number => (cell.count === 0 ? 0 : cell.count + noiseOf(cell));

/** What may be shown of a group: its perturbed count, or null when that is under the threshold. */
export function publishedCount(cell: CellTotal): number | null {
  const perturbed = perturbedCount(cell);
  return perturbed >= THRESHOLD ? perturbed : null;
}

/** Public counts (a programme's or a pesantren's santri) go out rounded to tens, from the perturbed count. */
export function publishedToTens(cell: CellTotal): number | null {
  const published = publishedCount(cell);
  return published === null ? null : Math.round(published / 10) * 10;
}
