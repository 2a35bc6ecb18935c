import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const PENTAHELIX_ROLES = ['GOVERNMENT', 'MEDIA', 'ACADEMIA', 'BUSINESS', 'COMMUNITY'] as const;
export const FACILITATION_ASPECTS = ['INSTITUTION', 'HUMAN_RESOURCES', 'PRODUCT', 'MARKETING', 'FINANCING'] as const;

/** Pentahelix partners; the programme's partners arrive as reference data through the migrations. */
const PartnerSchema = defineEntity({
  name: 'Partner',
  tableName: 'partner',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    slug: p.string().length(80).unique(),
    name: p.string().length(160),
    role: p.enum(PENTAHELIX_ROLES).index(),
    site: p.string().length(300).nullable(),
    logoUrl: p.string().length(300).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Partner extends PartnerSchema.class {}
PartnerSchema.setClass(Partner);

const EngagementSchema = defineEntity({
  name: 'Engagement',
  tableName: 'engagement',
  // A partner's newest engagements, in the order lists show them, read from the index alone: with
  // an index on the partner only, PostgreSQL read a partner's engagements by date across every
  // partner, and a partner page cost five times as much with four times the engagements.
  indexes: [{ name: 'engagement_partner_newest_index', columns: [{ name: 'partner' }, { name: 'startsOn', sort: 'desc' }, { name: 'id' }] }],
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    partner: () => p.manyToOne(Partner),
    aspect: p.enum(FACILITATION_ASPECTS),
    titleIndonesian: p.string().length(200),
    titleEnglish: p.string().length(200).nullable(),
    startsOn: p.date().index(),
    endsOn: p.date().nullable(),
    outcomeIndonesian: p.text().nullable(),
    outcomeEnglish: p.text().nullable(),
    isDemo: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Engagement extends EngagementSchema.class {}
EngagementSchema.setClass(Engagement);

/** An engagement as read for answers (server-kit's records): its partner is only its key. */
export type EngagementRecord = Omit<Engagement, 'partner'> & { partner: Pick<Partner, 'id'> };

/** Which pesantren take part in an engagement, by their key in the pesantren subgraph. */
const EngagementPesantrenSchema = defineEntity({
  name: 'EngagementPesantren',
  tableName: 'engagement_pesantren',
  properties: {
    engagement: () => p.manyToOne(Engagement).primary(),
    pesantrenId: p.uuid().primary().index(),
  },
});

export class EngagementPesantren extends EngagementPesantrenSchema.class {}
EngagementPesantrenSchema.setClass(EngagementPesantren);

/** Which products an engagement supported, by their key in the catalogue. */
const EngagementProductSchema = defineEntity({
  name: 'EngagementProduct',
  tableName: 'engagement_product',
  properties: {
    engagement: () => p.manyToOne(Engagement).primary(),
    productId: p.uuid().primary().index(),
  },
});

export class EngagementProduct extends EngagementProductSchema.class {}
EngagementProductSchema.setClass(EngagementProduct);
