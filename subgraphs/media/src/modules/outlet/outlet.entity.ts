import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const OUTLET_KINDS = ['TELEVISION', 'RADIO', 'ONLINE_NEWS'] as const;

/** The media partners; they arrive as reference data through the migrations. */
const OutletSchema = defineEntity({
  name: 'Outlet',
  tableName: 'outlet',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    slug: p.string().length(80).unique(),
    name: p.string().length(160),
    kind: p.enum(OUTLET_KINDS),
    site: p.string().length(300).nullable(),
    /**
     * The partners subgraph's Partner this outlet is (a MEDIA partner): whose people and API keys
     * act for it (`identity.partnerId`). Null until one is named; one outlet per partner.
     */
    partnerId: p.uuid().nullable().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Outlet extends OutletSchema.class {}
OutletSchema.setClass(Outlet);
