import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const PROGRAMME_KINDS = ['MTS', 'MA', 'SMK', 'DINIYAH', 'TAHFIDZ', 'VOCATIONAL_TRAINING', 'ENTREPRENEURSHIP_LAB'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

/** A programme of a pesantren. `pesantrenId` and `regencyCode` are keys of the pesantren subgraph's entities. */
const ProgrammeSchema = defineEntity({
  name: 'Programme',
  tableName: 'programme',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    pesantrenId: p.uuid().index(),
    regencyCode: p.string().length(4),
    kind: p.enum(PROGRAMME_KINDS),
    name: p.string().length(160),
    establishedYear: p.smallint().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Programme extends ProgrammeSchema.class {}
ProgrammeSchema.setClass(Programme);

/**
 * The one regency every programme of a pesantren lies in, fixed by its first programme. A row per
 * pesantren, so two first programmes created at once cannot land in two regencies: one insert
 * wins, and the other is checked against it.
 */
const PesantrenPlaceSchema = defineEntity({
  name: 'PesantrenPlace',
  tableName: 'pesantren_place',
  properties: {
    pesantrenId: p.uuid().primary(),
    regencyCode: p.string().length(4),
  },
});

export class PesantrenPlace extends PesantrenPlaceSchema.class {}
PesantrenPlaceSchema.setClass(PesantrenPlace);

/** Counts that describe children are published rounded to the nearest ten. */
export const roundToTens = (count: number) => Math.round(count / 10) * 10;
