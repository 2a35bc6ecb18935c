import { createHash, randomUUID } from 'node:crypto';
import { generatePartners, generateWorld, type DemoWorld, type PartnersOptions } from '@opop/demo-data';
import type { Database, EntityManager, Logger } from '@opop/server-kit';
import { Agreement, FunnelEvent, Innovation, InterestExpression, Replication } from '../src/modules/innovation/innovation.entity.ts';
import { Engagement, EngagementPesantren, EngagementProduct, Partner } from '../src/modules/partner/partner.entity.ts';

const BATCH = 2_000;

async function insertInBatches<T>(items: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += BATCH) await insert(items.slice(start, start + BATCH));
}

/**
 * Replaces engagements and the innovation funnel with the generated world's, in one transaction.
 * Partners and the EKO-TREN innovation are reference data from the migrations and stay.
 */
export async function loadPartners(em: EntityManager, world: DemoWorld, options: PartnersOptions = {}): Promise<Record<string, number>> {
  const generated = generatePartners(world, options);
  const partnerIds = new Map((await em.find(Partner, {})).map((partner) => [partner.slug, partner.id]));
  const innovation = await em.findOneOrFail(Innovation, { slug: 'eko-tren' });
  const funnel = generated.funnel;
  await em.transactional(async (tx) => {
    await tx.nativeDelete(EngagementProduct, {});
    await tx.nativeDelete(EngagementPesantren, {});
    await tx.nativeDelete(Engagement, {});
    await tx.nativeDelete(FunnelEvent, {});
    await tx.nativeDelete(InterestExpression, {});
    await tx.nativeDelete(Agreement, {});
    await tx.nativeDelete(Replication, {});
    await tx.insertMany(
      Engagement,
      generated.engagements.map((e) => ({
        id: e.id,
        partner: partnerIds.get(e.partnerSlug)!,
        aspect: e.aspect,
        titleIndonesian: e.titleId,
        titleEnglish: e.titleEn,
        startsOn: e.startsOn,
        endsOn: e.endsOn,
        outcomeIndonesian: e.outcomeId,
        outcomeEnglish: e.outcomeEn,
        isDemo: true,
        createdAt: new Date(`${e.startsOn}T00:00:00Z`),
      })),
    );
    await insertInBatches(generated.engagements.flatMap((e) => e.pesantrenIds.map((pesantrenId) => ({ engagement: e.id, pesantrenId }))), (b) => tx.insertMany(EngagementPesantren, b));
    await insertInBatches(
      generated.engagements.flatMap((e) => [...new Set(e.productIds)].map((productId) => ({ engagement: e.id, productId }))),
      (b) => tx.insertMany(EngagementProduct, b),
    );
    const event = (stage: FunnelEvent['stage'], at: Date, dedupeKey: string | null = null) => ({ id: randomUUID(), innovation: innovation.id, stage, at, dedupeKey });
    const views = funnel.views.map((view) =>
      event('VIEWED', view.at, createHash('sha256').update(`${innovation.id}|${view.visitorId}|${view.at.toISOString().slice(0, 10)}`).digest('hex')),
    );
    await insertInBatches([...new Map(views.map((v) => [v.dedupeKey, v])).values()], (b) => tx.insertMany(FunnelEvent, b));
    await tx.insertMany(InterestExpression, funnel.interests.map((i) => ({ id: i.id, innovation: innovation.id, name: i.name, organisation: i.organisation, email: i.email, phone: null, region: i.region, message: i.message, receivedAt: i.at })));
    await tx.insertMany(FunnelEvent, funnel.interests.map((i) => event('INTEREST_EXPRESSED', i.at)));
    const region = (r: (typeof funnel.agreements)[number]['region']) => ({ regionName: r.name, regionKind: r.kind, regionBpsCode: r.bpsCode, provinceName: r.provinceName });
    await tx.insertMany(Agreement, funnel.agreements.map((a) => ({ id: a.id, innovation: innovation.id, ...region(a.region), signedOn: a.signedOn, note: a.note, recordedBy: 'demo-admin', recordedAt: new Date(`${a.signedOn}T00:00:00Z`) })));
    await tx.insertMany(FunnelEvent, funnel.agreements.map((a) => event('AGREEMENT_SIGNED', new Date(`${a.signedOn}T00:00:00Z`))));
    await tx.insertMany(Replication, funnel.replications.map((r) => ({ id: r.id, innovation: innovation.id, ...region(r.region), startedOn: r.startedOn, note: r.note, recordedBy: 'demo-admin', recordedAt: new Date(`${r.startedOn}T00:00:00Z`) })));
    await tx.insertMany(FunnelEvent, funnel.replications.map((r) => event('REPLICATED', new Date(`${r.startedOn}T00:00:00Z`))));
  });
  return { engagements: generated.engagements.length, funnelViews: funnel.views.length, interests: funnel.interests.length, agreements: funnel.agreements.length, replications: funnel.replications.length };
}

/** First run of `npm start`: an empty database gets the demo data set. */
export async function seedDemoDataIfEmpty(database: Database, _logger: Logger): Promise<Record<string, number> | undefined> {
  const em = database.fork();
  if ((await em.count(Engagement, {})) > 0) return undefined;
  return loadPartners(em, generateWorld('demo'));
}
