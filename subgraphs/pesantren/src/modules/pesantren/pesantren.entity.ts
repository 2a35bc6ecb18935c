import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Regency } from '../regency/regency.entity.ts';

export const PILLARS = ['PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR'] as const;
export type Pillar = (typeof PILLARS)[number];

export interface Award {
  year: number;
  category: Pillar;
  rank: number;
}

const PesantrenSchema = defineEntity({
  name: 'Pesantren',
  tableName: 'pesantren',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    nspp: p.string().length(12).unique(),
    name: p.string().length(160).index(),
    slug: p.string().length(180).unique(),
    regency: () => p.manyToOne(Regency).index(),
    address: p.string().length(300),
    pillars: p.enum(PILLARS).array(),
    cooperativeName: p.string().length(160).nullable(),
    cooperativeLegalNumber: p.string().length(80).nullable(),
    whatsapp: p.string().length(15).nullable(),
    memberSince: p.smallint(),
    awards: p.json<Award[]>().onCreate(() => []),
    isDemo: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()).index(),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
  },
});

export class Pesantren extends PesantrenSchema.class {}
PesantrenSchema.setClass(Pesantren);

/**
 * A pesantren as the router's entity batches read it (server-kit's `readRecords`): its columns,
 * with the regency as a reference by code. What the Pesantren type's resolvers read; an entity is
 * one too.
 */
export type PesantrenRecord = Omit<Pesantren, 'regency'> & { regency: Pick<Regency, 'code'> };

/** The pesantren's cooperative, when it has registered one with its legal number. */
export const cooperativeOf = (pesantren: Pick<Pesantren, 'cooperativeName' | 'cooperativeLegalNumber'>): { name: string; legalNumber: string } | null =>
  pesantren.cooperativeName && pesantren.cooperativeLegalNumber ? { name: pesantren.cooperativeName, legalNumber: pesantren.cooperativeLegalNumber } : null;
