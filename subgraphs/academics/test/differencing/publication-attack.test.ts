import { describe, expect, it } from 'vitest';
import { generateAcademics } from '@opop/demo-data';
import { publishedCount, THRESHOLD } from '../../src/modules/stats/perturbation.ts';
import { describeBayes, sampleGroupSizes, scoreBayes, seededRandom } from './gibbs.ts';
import { generatedTruth, generateWorld, publicLattice, supportLattice } from './demo-truth.ts';
import { CERTAINTY_MARGIN, describeScore, fullPublication, largestNoise, PROMISED_GAIN, smallGroups, strongestAttack } from './lattice.ts';

/**
 * The attacker with everything: every number the service could ever publish about the demo's
 * 10,951 santri (all 48 boxes around every group, about 15,000 distinct groups), solved jointly.
 * No sequence of queries can give more, because every published number is one of these.
 */
describe('the whole publication of the demo data, attacked', () => {
  const world = generateWorld('demo');

  it('names no small group with certainty, and sizes them little better than a guess', () => {
    const seed = 'ci';
    const truth = generatedTruth(world, seed);
    const publication = fullPublication(truth);
    const targets = smallGroups(truth, publication.map((o) => o.box));
    expect(targets.length).toBeGreaterThan(5_000);

    // Certainty: every value 0–9 of every small group stays consistent with every answer.
    expect(largestNoise(truth, publication)).toBeLessThanOrEqual(CERTAINTY_MARGIN);
    // Nothing under the threshold is ever shown.
    expect(publication.every((o) => o.value === null || o.value >= THRESHOLD)).toBe(true);

    const informed = strongestAttack(supportLattice(truth), publication, targets, { occupiedAtomsKnown: true });
    const uninformed = strongestAttack(publicLattice(world, [2019, 2020, 2021, 2022, 2023, 2024, 2025]), publication, targets);
    console.info(`full publication of the demo data: ${targets.length} groups under the threshold; attacker knowing which atoms hold anyone: ${describeScore(informed)}; attacker knowing only what is public: ${describeScore(uninformed)}`);

    // The promise of docs/santri-statistics.md: every published number together moves an
    // attacker's chance of naming a small group's size by less than 10 points over a guess made
    // with the same background knowledge and no published number at all.
    expect(uninformed.exact - uninformed.baseline).toBeLessThan(PROMISED_GAIN);
    expect(informed.exact - informed.baseline).toBeLessThan(PROMISED_GAIN);
  }, 120_000);

  it('holds against a Bayesian attacker over whole numbers with the exact noise distribution', () => {
    const truth = generatedTruth(world, 'bayes');
    const posterior = sampleGroupSizes({
      published: (box) => publishedCount(truth.total(box)),
      programmes: generateAcademics(world).programmes,
      years: ['2019', '2020', '2021', '2022', '2023', '2024', '2025'],
      sweeps: 150,
      burnIn: 50,
      random: seededRandom(20261204),
    });
    const score = scoreBayes(posterior, truth);
    console.info(`Bayesian attacker on the demo's whole publication, ${score.targets} groups under 10: ${describeBayes(score)}`);
    expect(score.targets).toBeGreaterThan(10_000);
    // As published (a missing group may be empty): little better than its own prior.
    expect(score.asPublished.exact - score.asPublished.priorOnly).toBeLessThan(PROMISED_GAIN);
    // It can claim a non-empty size with 90% confidence for fewer than 1 in 100 groups under 10.
    expect(score.asPublished.confidentClaims).toBeLessThan(score.targets / 100);
  }, 120_000);

  it('catches the leak when the noise is taken away (so the attack above can fail)', () => {
    const truth = generatedTruth(world, 'control');
    const exact = fullPublication(truth, (total) => (total.count >= THRESHOLD ? total.count : null));
    const targets = smallGroups(truth, exact.map((o) => o.box));
    const informed = strongestAttack(supportLattice(truth), exact, targets, { occupiedAtomsKnown: true });
    console.info(`the same publication without noise: ${describeScore(informed)}`);
    expect(informed.exact - informed.baseline).toBeGreaterThan(PROMISED_GAIN);
  });

  it('publishes counts of 10 or more with a mean absolute error under 2', () => {
    const truth = generatedTruth(world, 'utility');
    let published = 0;
    let error = 0;
    for (const [, total] of truth.boxes) {
      if (total.count < THRESHOLD) continue;
      const value = publishedCount(total);
      if (value === null) continue;
      published++;
      error += Math.abs(value - total.count);
    }
    expect(error / published).toBeLessThan(2);
  });
});
