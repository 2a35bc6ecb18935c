import { randomUUID } from 'node:crypto';
import { actorOf, badUserInput, counterKeys, MAX_VISITORS_PER_NETWORK, parseInput, requireVisitor, type EntityManager, type Identity, type Logger, type SharedCounts, type Visitor } from '@opop/server-kit';
import type { z } from 'zod';
import { Agreement, FunnelEvent, type Innovation, InterestExpression, Replication } from './innovation.entity.ts';
import { expressInterestInput, recordAgreementInput, recordReplicationInput } from './innovation.input.ts';
import type { InnovationRepository } from './innovation.repository.ts';

/** An innovation named by slug in an argument, or the argument's error. */
export async function knownInnovation(innovations: InnovationRepository, slug: string, field: string): Promise<Innovation> {
  const innovation = await innovations.findBySlug(slug);
  if (!innovation) throw badUserInput(`is not a known innovation (${slug.slice(0, 80)})`, field);
  return innovation;
}

export interface InnovationServiceDeps {
  em: EntityManager;
  identity: Identity;
  visitor: Visitor | null;
  logger: Logger;
  innovations: InnovationRepository;
  /** The funnel's counts shared by this process's requests: dropped after each write here. */
  funnelCounts: SharedCounts;
}

/**
 * Writes of the innovation funnel: one instance per request. Who may write is declared in the SDL.
 * Each write and its funnel event are one flush, so a funnel never counts a record that is missing.
 */
export class InnovationService {
  readonly #deps: InnovationServiceDeps;

  constructor(deps: InnovationServiceDeps) {
    this.#deps = deps;
  }

  /** Counts a visitor's view once a day; past the cap of visitors from one network, not at all. */
  async recordView(slug: string): Promise<Innovation> {
    const { em, innovations } = this.#deps;
    // The visitor is the one the router derived from the connection; `visitorId` is ignored.
    const visitor = requireVisitor(this.#deps.visitor);
    const innovation = await knownInnovation(innovations, slug, 'slug');
    const at = new Date();
    const keys = counterKeys(`innovation:${innovation.id}`, visitor, at.toISOString().slice(0, 10));
    // The cap and the insert in one transaction, as catalogue counts product views.
    await em.transactional(async (tx) => {
      if ((await tx.count(FunnelEvent, { networkKey: keys.networkKey })) >= MAX_VISITORS_PER_NETWORK) return;
      // A repeat view hits the unique dedupe key and is dropped, not an error.
      await tx.createQueryBuilder(FunnelEvent).insert({ id: randomUUID(), innovation: innovation.id, stage: 'VIEWED', ...keys, at }).onConflict('dedupeKey').ignore().execute();
    });
    this.#deps.funnelCounts.clear();
    return innovation;
  }

  async expressInterest(input: unknown): Promise<Innovation> {
    const { em, logger, innovations } = this.#deps;
    const data = parseInput(expressInterestInput, input, 'input');
    const innovation = await knownInnovation(innovations, data.innovationSlug, 'input.innovationSlug');
    em.create(InterestExpression, {
      innovation,
      name: data.name,
      organisation: data.organisation,
      email: data.email ?? null,
      phone: data.phone ?? null,
      region: data.region,
      message: data.message,
    });
    em.create(FunnelEvent, { innovation, stage: 'INTEREST_EXPRESSED', dedupeKey: null });
    await em.flush();
    this.#deps.funnelCounts.clear();
    logger.info({ innovation: innovation.slug }, 'interest expressed');
    return innovation;
  }

  async recordAgreement(input: unknown): Promise<Agreement> {
    const data = parseInput(recordAgreementInput, input, 'input');
    return this.#recordInRegion(data, 'AGREEMENT_SIGNED', (fields) => this.#deps.em.create(Agreement, { ...fields, signedOn: data.signedOn }));
  }

  async recordReplication(input: unknown): Promise<Replication> {
    const data = parseInput(recordReplicationInput, input, 'input');
    return this.#recordInRegion(data, 'REPLICATED', (fields) => this.#deps.em.create(Replication, { ...fields, startedOn: data.startedOn }));
  }

  /** An agreement and a replication differ only by their date: both are a region's step in the funnel. */
  async #recordInRegion<T>(data: RegionRecordInput, stage: 'AGREEMENT_SIGNED' | 'REPLICATED', create: (fields: ReturnType<typeof regionRecord>) => T): Promise<T> {
    const { em, identity, innovations } = this.#deps;
    const innovation = await knownInnovation(innovations, data.innovationSlug, 'input.innovationSlug');
    const record = create(regionRecord(innovation, data, actorOf(identity)));
    em.create(FunnelEvent, { innovation, stage, dedupeKey: null });
    await em.flush();
    this.#deps.funnelCounts.clear();
    return record;
  }
}

type RegionRecordInput = z.infer<typeof recordAgreementInput> | z.infer<typeof recordReplicationInput>;

const regionRecord = (innovation: Innovation, data: RegionRecordInput, recordedBy: string) => ({
  innovation,
  regionName: data.region.name,
  regionKind: data.region.kind,
  regionBpsCode: data.region.bpsCode ?? null,
  provinceName: data.region.provinceName,
  note: data.note ?? null,
  recordedBy,
});
