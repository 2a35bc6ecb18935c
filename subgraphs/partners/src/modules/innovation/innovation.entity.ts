import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const FUNNEL_STAGES = ['VIEWED', 'INTEREST_EXPRESSED', 'AGREEMENT_SIGNED', 'REPLICATED'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];
export const REGION_KINDS = ['PROVINCE', 'REGENCY', 'CITY'] as const;

const InnovationSchema = defineEntity({
  name: 'Innovation',
  tableName: 'innovation',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    slug: p.string().length(80).unique(),
    nameIndonesian: p.string().length(200),
    nameEnglish: p.string().length(200).nullable(),
    descriptionIndonesian: p.text(),
    descriptionEnglish: p.text().nullable(),
  },
});

export class Innovation extends InnovationSchema.class {}
InnovationSchema.setClass(Innovation);

/**
 * One step of someone through the funnel. The counters are counts of these rows: there is no
 * counter column anyone could edit. `dedupeKey` (a hash) makes a visitor's repeat views on one
 * day a single event.
 */
const FunnelEventSchema = defineEntity({
  name: 'FunnelEvent',
  tableName: 'funnel_event',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    innovation: () => p.manyToOne(Innovation),
    stage: p.enum(FUNNEL_STAGES),
    dedupeKey: p.string().length(64).nullable().unique(),
    /** Shared by every visitor of one network, so a network's views can be capped (server-kit counterKeys). */
    networkKey: p.string().length(64).nullable().index(),
    at: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['innovation', 'stage'] }],
});

export class FunnelEvent extends FunnelEventSchema.class {}
FunnelEventSchema.setClass(FunnelEvent);

/** Contact details of someone interested: personal data, readable by programme admins only. */
const InterestExpressionSchema = defineEntity({
  name: 'InterestExpression',
  tableName: 'interest_expression',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    innovation: () => p.manyToOne(Innovation).index(),
    name: p.string().length(120),
    organisation: p.string().length(160),
    email: p.string().length(254).nullable(),
    phone: p.string().length(15).nullable(),
    region: p.string().length(120),
    message: p.text(),
    receivedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class InterestExpression extends InterestExpressionSchema.class {}
InterestExpressionSchema.setClass(InterestExpression);

const regionProperties = {
  regionName: p.string().length(120),
  regionKind: p.enum(REGION_KINDS),
  regionBpsCode: p.string().length(4).nullable(),
  provinceName: p.string().length(80),
};

const AgreementSchema = defineEntity({
  name: 'Agreement',
  tableName: 'agreement',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    innovation: () => p.manyToOne(Innovation).index(),
    ...regionProperties,
    signedOn: p.date(),
    note: p.text().nullable(),
    recordedBy: p.string().length(120),
    recordedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Agreement extends AgreementSchema.class {}
AgreementSchema.setClass(Agreement);

const ReplicationSchema = defineEntity({
  name: 'Replication',
  tableName: 'replication',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    innovation: () => p.manyToOne(Innovation).index(),
    ...regionProperties,
    startedOn: p.date(),
    note: p.text().nullable(),
    recordedBy: p.string().length(120),
    recordedAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Replication extends ReplicationSchema.class {}
ReplicationSchema.setClass(Replication);
