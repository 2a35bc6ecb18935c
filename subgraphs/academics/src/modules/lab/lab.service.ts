import { notFound, parseId, parseInput, requirePesantrenManager, type EntityManager, type Identity } from '@opop/server-kit';
import { labActivityInput } from '../programme/programme.input.ts';
import type { EntrepreneurshipLab } from './lab.entity.ts';
import type { LabRepository } from './lab.repository.ts';

/** Writes of labs: one instance per request, acting as its caller. */
export class LabService {
  readonly #em: EntityManager;
  readonly #identity: Identity;
  readonly #labs: LabRepository;

  constructor(em: EntityManager, identity: Identity, labs: LabRepository) {
    this.#em = em;
    this.#identity = identity;
    this.#labs = labs;
  }

  /** Adds an activity to a lab of the caller's pesantren (any, for programme admins). */
  async recordActivity(labId: string, input: unknown): Promise<EntrepreneurshipLab> {
    const lab = await this.#labs.findById(parseId(labId, 'labId'));
    if (!lab) throw notFound('Entrepreneurship lab');
    requirePesantrenManager(this.#identity, lab.pesantrenId, 'An operator may only record activities of their own labs');
    const activity = parseInput(labActivityInput, input, 'activity');
    lab.activities = [...lab.activities, { kind: activity.kind, titleIndonesian: activity.titleIndonesian, titleEnglish: activity.titleEnglish ?? null, on: activity.on, participants: activity.participants }];
    await this.#em.flush();
    return lab;
  }
}
