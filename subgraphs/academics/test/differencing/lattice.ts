import { addCells, EMPTY_CELL, MAX_NOISE, noiseOf, publishedCount, THRESHOLD, type CellTotal } from '../../src/modules/stats/perturbation.ts';
import type { FixedValues } from '../../src/modules/stats/enrolment-stats.ts';

/**
 * The adversary of santri statistics, as an outside auditor would write it: it collects every
 * number the service publishes about groups of santri, treats each as an equation over the
 * smallest groups (atoms: one pesantren, programme, gender, age band and intake year), solves them
 * all jointly, and is scored against the ground truth.
 *
 * Every number enrolment statistics publish is the count of a "box": each dimension either left
 * open or fixed to one value, with the pesantren and its regency never both fixed. The lattice
 * holds every such box; `location` stands for the regency-or-pesantren part of a box.
 */

export interface Atom {
  regency: string;
  pesantren: string;
  programme: string;
  gender: string;
  ageBand: string;
  year: string;
}

const OPEN = '*';

/** A box's identity, whichever way a query reached it. */
export function boxId(fixed: FixedValues): string {
  const location = fixed.PESANTREN !== undefined ? `p:${fixed.PESANTREN}` : fixed.REGENCY !== undefined ? `r:${fixed.REGENCY}` : OPEN;
  return [location, fixed.PROGRAMME ?? OPEN, fixed.GENDER ?? OPEN, fixed.AGE_BAND ?? OPEN, fixed.YEAR ?? OPEN].join('|');
}

/** The 48 boxes an atom lies in: three locations times the 16 ways to fix or open the other four dimensions. */
export function boxesOf(atom: Atom): string[] {
  const ids: string[] = [];
  for (const location of [OPEN, `r:${atom.regency}`, `p:${atom.pesantren}`]) {
    for (let mask = 0; mask < 16; mask++) {
      ids.push([location, mask & 1 ? atom.programme : OPEN, mask & 2 ? atom.gender : OPEN, mask & 4 ? atom.ageBand : OPEN, mask & 8 ? atom.year : OPEN].join('|'));
    }
  }
  return ids;
}

export const atomId = (atom: Atom) => [atom.regency, atom.pesantren, atom.programme, atom.gender, atom.ageBand, atom.year].join('|');

/** The unknowns an attacker solves for, and which of them each box adds up. */
export class Lattice {
  readonly atoms: Atom[];
  readonly index = new Map<string, number>();
  private readonly members = new Map<string, number[]>();

  constructor(atoms: Iterable<Atom>) {
    this.atoms = [];
    for (const atom of atoms) {
      const id = atomId(atom);
      if (this.index.has(id)) continue;
      this.index.set(id, this.atoms.length);
      this.atoms.push(atom);
    }
    this.atoms.forEach((atom, position) => {
      for (const box of boxesOf(atom)) {
        const list = this.members.get(box);
        if (list) list.push(position);
        else this.members.set(box, [position]);
      }
    });
  }

  /** The atoms of a box; empty when no atom of this lattice lies in it. */
  atomsOf(box: string): readonly number[] {
    return this.members.get(box) ?? [];
  }

  get boxes(): IterableIterator<string> {
    return this.members.keys();
  }
}

/** The true totals (count and cell key) of every box, from the santri records: the auditor's ground truth. */
export class GroundTruth {
  private readonly totals = new Map<string, CellTotal>();
  readonly atomTotals = new Map<string, { atom: Atom; total: CellTotal }>();

  add(atom: Atom, recordKey: number): void {
    const id = atomId(atom);
    const entry = this.atomTotals.get(id);
    const one = { count: 1, keySum: recordKey };
    if (entry) entry.total = addCells(entry.total, one);
    else this.atomTotals.set(id, { atom, total: one });
  }

  /**
   * Adds the atoms up into every box (or only into the given boxes: the whole lattice at
   * programme scale is millions of boxes); call once all records are in.
   */
  seal(only?: ReadonlySet<string>): this {
    for (const { atom, total } of this.atomTotals.values()) {
      for (const box of boxesOf(atom)) if (!only || only.has(box)) this.totals.set(box, addCells(this.totals.get(box) ?? EMPTY_CELL, total));
    }
    return this;
  }

  total(box: string): CellTotal {
    return this.totals.get(box) ?? EMPTY_CELL;
  }

  get boxes(): IterableIterator<[string, CellTotal]> {
    return this.totals.entries();
  }
}

/** What the attacker learnt of one box: its published number, or that it was left out (under the threshold, or empty). */
export interface Observation {
  box: string;
  value: number | null;
  /**
   * Santri of the box outside the attacker's lattice, given to it exactly: when the attack is run
   * on part of the province, the attacker is handed the true counts of everything else.
   */
  known?: number;
}

export interface AttackerSettings {
  /** What a left-out box is taken to hold (the attacker knows it is under the threshold). */
  hiddenGuess: number;
  /** How much a left-out box weighs next to a published one. */
  hiddenWeight: number;
  /** A prior on every atom (its likely size), as a soft equation of this weight; none when 0. */
  atomGuess?: number;
  atomWeight?: number;
}

/**
 * Least squares over every observation at once (CGLS on the sparse system): published boxes as
 * equations with weight 1, left-out boxes as soft equations at `hiddenGuess`. Returns an estimate
 * per atom of the lattice.
 */
export function solveJointly(lattice: Lattice, observations: readonly Observation[], settings: AttackerSettings, iterations = 150): Float64Array {
  const rows: { atoms: readonly number[]; value: number; weight: number }[] = [];
  for (const observation of observations) {
    const atoms = lattice.atomsOf(observation.box);
    if (atoms.length === 0) continue;
    const known = observation.known ?? 0;
    if (observation.value === null) {
      if (settings.hiddenWeight > 0) rows.push({ atoms, value: Math.max(0, settings.hiddenGuess - known), weight: settings.hiddenWeight });
    } else rows.push({ atoms, value: observation.value - known, weight: 1 });
  }
  if (settings.atomWeight) lattice.atoms.forEach((_, atom) => rows.push({ atoms: [atom], value: settings.atomGuess ?? 0, weight: settings.atomWeight! }));
  const n = lattice.atoms.length;
  const apply = (x: Float64Array) => rows.map((row) => row.weight * row.atoms.reduce((sum, atom) => sum + x[atom]!, 0));
  const applyTransposed = (y: readonly number[]) => {
    const out = new Float64Array(n);
    rows.forEach((row, j) => {
      for (const atom of row.atoms) out[atom]! += row.weight * y[j]!;
    });
    return out;
  };
  const dot = (a: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += a[i]! * a[i]!;
    return sum;
  };
  const x = new Float64Array(n);
  let residual = rows.map((row) => row.weight * row.value);
  let gradient = applyTransposed(residual);
  const direction = Float64Array.from(gradient);
  let gamma = dot(gradient);
  for (let iteration = 0; iteration < iterations && gamma > 1e-10; iteration++) {
    const q = apply(direction);
    const qq = dot(q);
    if (qq === 0) break;
    const step = gamma / qq;
    for (let i = 0; i < n; i++) x[i]! += step * direction[i]!;
    residual = residual.map((value, j) => value - step * q[j]!);
    gradient = applyTransposed(residual);
    const next = dot(gradient);
    for (let i = 0; i < n; i++) direction[i] = gradient[i]! + (next / gamma) * direction[i]!;
    gamma = next;
  }
  return x;
}

/** How the attacker fared on the groups under the threshold, against the ground truth. */
export interface AttackScore {
  /** Groups of 1 to threshold − 1 santri the attacker tried to size. */
  targets: number;
  /** Share whose size it named exactly (its estimate, rounded). */
  exact: number;
  /** Share named to within one. */
  withinOne: number;
  /**
   * Share a guess without any published number gets right, with the same background knowledge:
   * the better of always naming the most common small size, and (for an attacker who knows which
   * atoms hold anyone) naming the number of occupied atoms in the group.
   */
  baseline: number;
  /** Root mean square error of its estimates. */
  rmse: number;
  /** The best share right among the targets it gave one rounded estimate (classes of at least 50). */
  bestClass: { estimate: number; share: number; targets: number };
}

export function scoreAttack(estimates: Float64Array, lattice: Lattice, targets: readonly { box: string; count: number }[], occupiedAtomsKnown = false): AttackScore {
  const sizes = new Map<number, number>();
  let occupiedGuess = 0;
  const classes = new Map<number, { right: number; all: number }>();
  let exact = 0;
  let withinOne = 0;
  let squares = 0;
  for (const target of targets) {
    const estimate = lattice.atomsOf(target.box).reduce((sum, atom) => sum + estimates[atom]!, 0);
    const named = Math.max(0, Math.round(estimate));
    if (named === target.count) exact++;
    if (occupiedAtomsKnown && lattice.atomsOf(target.box).length === target.count) occupiedGuess++;
    if (Math.abs(named - target.count) <= 1) withinOne++;
    squares += (estimate - target.count) ** 2;
    sizes.set(target.count, (sizes.get(target.count) ?? 0) + 1);
    const bucket = classes.get(named) ?? { right: 0, all: 0 };
    bucket.all++;
    if (named === target.count) bucket.right++;
    classes.set(named, bucket);
  }
  const share = (k: number) => (targets.length ? k / targets.length : 0);
  const bestClass = [...classes]
    .filter(([, bucket]) => bucket.all >= 50)
    .map(([estimate, bucket]) => ({ estimate, share: bucket.right / bucket.all, targets: bucket.all }))
    .sort((a, b) => b.share - a.share)[0] ?? { estimate: 0, share: 0, targets: 0 };
  return {
    targets: targets.length,
    exact: share(exact),
    withinOne: share(withinOne),
    baseline: share(Math.max(occupiedGuess, ...sizes.values())),
    rmse: Math.sqrt(squares / Math.max(1, targets.length)),
    bestClass,
  };
}

/** The strongest of several attacker settings, chosen with the ground truth in hand (which no real attacker has). */
export const ATTACKER_SETTINGS: readonly AttackerSettings[] = [
  // The four that won on the demo data out of eight tried (plain least squares, left-out boxes
  // as 0, 2, 3 or 4 santri at weights 0.3 and 1, atoms pulled towards 0.5 or 1 at weights 0.3–3).
  { hiddenGuess: 2, hiddenWeight: 0.3 },
  { hiddenGuess: 3, hiddenWeight: 1 },
  { hiddenGuess: 3, hiddenWeight: 0.3, atomGuess: 1, atomWeight: 1 },
  { hiddenGuess: 3, hiddenWeight: 0.3, atomGuess: 1, atomWeight: 3 },
];

export function strongestAttack(
  lattice: Lattice,
  observations: readonly Observation[],
  targets: readonly { box: string; count: number }[],
  options: { occupiedAtomsKnown?: boolean; iterations?: number } = {},
): AttackScore & { settings: AttackerSettings } {
  return ATTACKER_SETTINGS.map((settings) => ({
    ...scoreAttack(solveJointly(lattice, observations, settings, options.iterations), lattice, targets, options.occupiedAtomsKnown),
    settings,
  })).sort(
    (a, b) => b.exact - a.exact,
  )[0]!;
}

/**
 * Whether certainty is out of reach: an attacker who knows that no noise exceeds MAX_NOISE can rule
 * out a value of a small group only if some box containing it drew a noise within `THRESHOLD − 1`
 * of that bound. Returns the largest noise drawn by any observed box; below MAX_NOISE − (THRESHOLD −
 * 1), every value from 0 to THRESHOLD − 1 stays consistent with every answer, for every small group.
 */
export function largestNoise(truth: GroundTruth, observations: readonly Observation[]): number {
  let largest = 0;
  for (const { box } of observations) {
    const total = truth.total(box);
    if (total.count > 0) largest = Math.max(largest, Math.abs(noiseOf(total)));
  }
  return largest;
}

export const CERTAINTY_MARGIN = MAX_NOISE - (THRESHOLD - 1);

/** Everything the service could ever publish: the published number of every box of the lattice. */
export function fullPublication(truth: GroundTruth, publish: (total: CellTotal) => number | null = publishedCount): Observation[] {
  return [...truth.boxes].map(([box, total]) => ({ box, value: publish(total) }));
}

/** The groups under the threshold among the given boxes, with their true sizes. */
export function smallGroups(truth: GroundTruth, boxes: Iterable<string>): { box: string; count: number }[] {
  const seen = new Set<string>();
  const targets: { box: string; count: number }[] = [];
  for (const box of boxes) {
    if (seen.has(box)) continue;
    seen.add(box);
    const { count } = truth.total(box);
    if (count > 0 && count < THRESHOLD) targets.push({ box, count });
  }
  return targets;
}

/**
 * The statistical promise: combining every published number raises the share of small groups an
 * attacker sizes exactly by less than this over its guess without them.
 */
export const PROMISED_GAIN = 0.1;

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

export const describeScore = (score: AttackScore) =>
  `exact ${percent(score.exact)} (guess without answers ${percent(score.baseline)}), within one ${percent(score.withinOne)}, RMSE ${score.rmse.toFixed(2)}`;
