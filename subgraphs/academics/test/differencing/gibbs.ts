import { NOISE_RATIO, THRESHOLD } from '../../src/modules/stats/perturbation.ts';
import type { GroundTruth } from './lattice.ts';

/**
 * The strongest attacker we have: Bayesian, over whole numbers, with the exact noise distribution.
 * Written after an independent audit showed that least squares understates what can be learnt.
 *
 * For each regency it samples (Gibbs) the santri count of every combination the public programme
 * list allows (pesantren, programme kind, gender, age band, intake year), given every published
 * number of the regency's and its pesantren's groups (the exact two-sided geometric likelihood of
 * the noise) and every group left out (perturbed under the threshold, or empty), with a Poisson
 * prior built from published numbers only. It then names the size of each group of the regency.
 */

export interface PublicProgramme {
  pesantrenId: string;
  regencyCode: string;
  kind: string;
}

export interface GibbsOptions {
  /** What the service publishes for a box id: a number, null when left out; undefined when the box cannot be asked for. */
  published: (box: string) => number | null | undefined;
  programmes: readonly PublicProgramme[];
  years: readonly string[];
  sweeps: number;
  burnIn: number;
  /** Regencies to attack; all by default. */
  regencies?: readonly string[];
  random?: () => number;
}

const BANDS = ['UNDER_13', 'AGE_13_TO_15', 'AGE_16_TO_18', 'AGE_19_AND_OVER'];
const KINDS = ['MTS', 'MA', 'SMK', 'DINIYAH', 'TAHFIDZ', 'VOCATIONAL_TRAINING', 'ENTREPRENEURSHIP_LAB'];
const GENDERS = ['FEMALE', 'MALE'];

/*
 * The noise's likelihood without its cut at ±MAX_NOISE (the cut holds a mass of about 1e-12): a
 * chain started far from the published numbers then still finds its way, where the cut would make
 * every step impossible.
 */
const LOG_RATIO = Math.log(NOISE_RATIO);
const LOG_CENTRE = Math.log((1 - NOISE_RATIO) / (1 + NOISE_RATIO));
const logNoise = (d: number) => LOG_CENTRE + Math.abs(d) * LOG_RATIO;
/** P(noise ≤ d) of the two-sided geometric distribution. */
const noiseAtMost = (d: number) => (d < 0 ? NOISE_RATIO ** -d / (1 + NOISE_RATIO) : 1 - NOISE_RATIO ** (d + 1) / (1 + NOISE_RATIO));
const hiddenLog = new Map<number, number>();
/** log P(what was published | the group's true count). */
function logLikelihood(published: number | null, count: number): number {
  if (published === null) {
    if (count === 0) return 0;
    let value = hiddenLog.get(count);
    if (value === undefined) hiddenLog.set(count, (value = Math.log(noiseAtMost(THRESHOLD - 1 - count))));
    return value;
  }
  return count === 0 ? -Infinity : logNoise(published - count);
}
const LOG_FACTORIAL = Array.from({ length: 4096 }, (_, n) => {
  let sum = 0;
  for (let k = 2; k <= n; k++) sum += Math.log(k);
  return sum;
});

/** A seeded random source (mulberry32), so a run can be repeated exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Per group (box id): how often each size was sampled after burn-in, and the prior's mean size. */
export type Posterior = Map<string, { sampled: Map<number, number>; priorMean: number }>;

export function sampleGroupSizes(options: GibbsOptions): Posterior {
  const random = options.random ?? Math.random;
  const posterior: Posterior = new Map();
  const ageShare = new Map<string, number[]>();
  for (const kind of KINDS) {
    const counts = BANDS.map((band) => options.published(`*|${kind}|*|${band}|*`) ?? 0);
    const sum = counts.reduce((a, b) => a + b, 0);
    ageShare.set(kind, counts.map((count) => (sum ? count / sum : 1 / BANDS.length)));
  }
  const pesantrenPerRegency = new Map<string, Set<string>>();
  for (const p of options.programmes) pesantrenPerRegency.set(p.regencyCode, (pesantrenPerRegency.get(p.regencyCode) ?? new Set()).add(p.pesantrenId));
  const byRegency = Map.groupBy(options.programmes, (p) => p.regencyCode);

  for (const [regency, programmes] of byRegency) {
    if (options.regencies && !options.regencies.includes(regency)) continue;
    const atoms: { mu: number; boxes: number[] }[] = [];
    const boxIndex = new Map<string, number>();
    const boxIds: string[] = [];
    const observed: (number | null)[] = [];
    for (const programme of programmes) {
      const kind = programme.kind;
      const ofKind = options.published(`p:${programme.pesantrenId}|${kind}|*|*|*`) ?? 4;
      const byGender = GENDERS.map((gender) => options.published(`p:${programme.pesantrenId}|${kind}|${gender}|*|*`) ?? 2);
      GENDERS.forEach((gender, g) => {
        BANDS.forEach((band, b) => {
          for (const year of options.years) {
            const mu = Math.max(0.05, (ofKind * (byGender[g]! / (byGender[0]! + byGender[1]!)) * ageShare.get(kind)![b]!) / options.years.length);
            const boxes: number[] = [];
            const locations = [`p:${programme.pesantrenId}`, ...(pesantrenPerRegency.get(regency)!.size > 1 ? [`r:${regency}`] : [])];
            for (const location of locations) {
              for (let mask = 0; mask < 16; mask++) {
                const id = [location, mask & 1 ? kind : '*', mask & 2 ? gender : '*', mask & 4 ? band : '*', mask & 8 ? year : '*'].join('|');
                const value = options.published(id);
                if (value === undefined) continue;
                let index = boxIndex.get(id);
                if (index === undefined) {
                  index = boxIds.length;
                  boxIndex.set(id, index);
                  boxIds.push(id);
                  observed.push(value);
                }
                boxes.push(index);
              }
            }
            atoms.push({ mu, boxes });
          }
        });
      });
    }
    const x = new Int32Array(atoms.length);
    const sums = new Int32Array(boxIds.length);
    atoms.forEach((atom, i) => {
      x[i] = Math.round(atom.mu);
      for (const box of atom.boxes) sums[box]! += x[i]!;
    });
    const counts: Map<number, number>[] = boxIds.map(() => new Map());
    const logPrior = (i: number, v: number) => v * Math.log(atoms[i]!.mu) - LOG_FACTORIAL[v]! - atoms[i]!.mu;
    const weights: number[] = [];
    for (let sweep = 0; sweep < options.burnIn + options.sweeps; sweep++) {
      for (let i = 0; i < atoms.length; i++) {
        const current = x[i]!;
        const low = Math.max(0, current - 6);
        weights.length = 0;
        let best = -Infinity;
        for (let v = low; v <= current + 6; v++) {
          let log = logPrior(i, v);
          for (const box of atoms[i]!.boxes) log += logLikelihood(observed[box]!, sums[box]! + v - current);
          weights.push(log);
          if (log > best) best = log;
        }
        if (best === -Infinity) continue;
        let total = 0;
        for (let k = 0; k < weights.length; k++) total += weights[k] = Math.exp(weights[k]! - best);
        let u = random() * total;
        let chosen = low;
        for (let k = 0; k < weights.length; k++) {
          u -= weights[k]!;
          if (u <= 0) {
            chosen = low + k;
            break;
          }
        }
        if (chosen !== current) {
          x[i] = chosen;
          for (const box of atoms[i]!.boxes) sums[box]! += chosen - current;
        }
      }
      if (sweep >= options.burnIn) sums.forEach((sum, box) => counts[box]!.set(sum, (counts[box]!.get(sum) ?? 0) + 1));
    }
    const priorMeans = new Float64Array(boxIds.length);
    for (const atom of atoms) for (const box of atom.boxes) priorMeans[box]! += atom.mu;
    boxIds.forEach((id, box) => posterior.set(id, { sampled: counts[box]!, priorMean: priorMeans[box]! }));
  }
  return posterior;
}

/** How the Bayesian attacker did on the groups of 1 to 9 santri it sampled, in two framings. */
export interface BayesScore {
  targets: number;
  /** Told the group is not empty (which the API never says), naming a size from 1 to 9. */
  toldNonEmpty: { exact: number; guessOne: number; confidentClaims: number; confidentRight: number };
  /** As the API leaves it (a missing group may be empty), naming a size from 0 to 9. */
  asPublished: { exact: number; priorOnly: number; confidentClaims: number; confidentRight: number };
}

export function scoreBayes(posterior: Posterior, truth: GroundTruth): BayesScore {
  let targets = 0;
  const told = { exact: 0, guessOne: 0, confidentClaims: 0, confidentRight: 0 };
  const blind = { exact: 0, priorOnly: 0, confidentClaims: 0, confidentRight: 0 };
  for (const [box, { sampled, priorMean }] of posterior) {
    const count = truth.total(box).count;
    if (count < 1 || count >= THRESHOLD) continue;
    targets++;
    const mode = (from: number) => {
      let best = from;
      let bestCount = -1;
      let total = 0;
      for (let v = from; v < THRESHOLD; v++) {
        const k = sampled.get(v) ?? 0;
        total += k;
        if (k > bestCount) [best, bestCount] = [v, k];
      }
      return { size: best, confidence: total ? bestCount / total : 0 };
    };
    const nonEmpty = mode(1);
    if (nonEmpty.size === count) told.exact++;
    if (count === 1) told.guessOne++;
    if (nonEmpty.confidence >= 0.9) {
      told.confidentClaims++;
      if (nonEmpty.size === count) told.confidentRight++;
    }
    const any = mode(0);
    if (any.size === count) blind.exact++;
    // The prior alone (a Poisson of this mean) names its mode.
    if (Math.min(THRESHOLD - 1, Math.floor(priorMean)) === count) blind.priorOnly++;
    if (any.size > 0 && any.confidence >= 0.9) {
      blind.confidentClaims++;
      if (any.size === count) blind.confidentRight++;
    }
  }
  const share = (n: number) => (targets ? n / targets : 0);
  return {
    targets,
    toldNonEmpty: { exact: share(told.exact), guessOne: share(told.guessOne), confidentClaims: told.confidentClaims, confidentRight: told.confidentRight },
    asPublished: { exact: share(blind.exact), priorOnly: share(blind.priorOnly), confidentClaims: blind.confidentClaims, confidentRight: blind.confidentRight },
  };
}

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export const describeBayes = (score: BayesScore) =>
  `told which groups are not empty: exact ${percent(score.toldNonEmpty.exact)} (always 1: ${percent(score.toldNonEmpty.guessOne)}), ` +
  `${score.toldNonEmpty.confidentClaims} claims at 90% confidence, ${score.toldNonEmpty.confidentRight} right; ` +
  `as published: exact ${percent(score.asPublished.exact)} (prior alone: ${percent(score.asPublished.priorOnly)}), ` +
  `${score.asPublished.confidentClaims} claims of a non-empty size at 90% confidence, ${score.asPublished.confidentRight} right`;
