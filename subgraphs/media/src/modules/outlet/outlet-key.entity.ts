import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Outlet } from './outlet.entity.ts';

/**
 * One of an outlet's public widget keys, one per site that embeds its widgets: a widget event
 * counts for the outlet whose active key it carries. Public, not secrets (they are in every
 * embed snippet); revoked, never deleted, so a revoked key stays refused rather than free to be
 * taken again. Every outlet keeps at least one active key (`Outlet.publicKey` is its first).
 */
const OutletKeySchema = defineEntity({
  name: 'OutletKey',
  tableName: 'outlet_key',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    outlet: () => p.manyToOne(Outlet).index(),
    key: p.string().length(64).unique(),
    label: p.string().length(80),
    createdAt: p.datetime().onCreate(() => new Date()),
    /** The subject of whoever created it (an admin, the outlet's partner, `migration` for the keys outlets had before). */
    createdBy: p.string().length(120),
    revokedAt: p.datetime().nullable(),
    revokedBy: p.string().length(120).nullable(),
  },
});

export class OutletKey extends OutletKeySchema.class {}
OutletKeySchema.setClass(OutletKey);
