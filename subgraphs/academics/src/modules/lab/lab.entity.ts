import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { Programme } from '../programme/programme.entity.ts';

export const LAB_FOCUSES = ['FOOD_PROCESSING', 'FASHION', 'CRAFTS', 'AGRICULTURE', 'PERSONAL_CARE'] as const;
export const LAB_ACTIVITY_KINDS = ['TRAINING', 'PRODUCTION', 'MENTORING', 'EXHIBITION', 'MARKETING'] as const;
export type LabActivityKind = (typeof LAB_ACTIVITY_KINDS)[number];

export interface StoredLabActivity {
  kind: LabActivityKind;
  titleIndonesian: string;
  titleEnglish: string | null;
  /** ISO date. */
  on: string;
  participants: number;
}

/** A lab's activities as `EntrepreneurshipLab.activities` lists them, newest first: the SDL's @listSize(assumedSize: 20). All are kept. */
export const MAX_LAB_ACTIVITIES_LISTED = 20;
/** A lab's products as `EntrepreneurshipLab.products` lists them: the SDL's @listSize(assumedSize: 50). */
export const MAX_LAB_PRODUCTS_LISTED = 50;

/** A Santripreneur lab. `productIds` are keys of catalogue products; catalogue owns the products. */
const EntrepreneurshipLabSchema = defineEntity({
  name: 'EntrepreneurshipLab',
  tableName: 'entrepreneurship_lab',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    programme: () => p.manyToOne(Programme).unique(),
    pesantrenId: p.uuid().index(),
    name: p.string().length(160),
    focus: p.enum(LAB_FOCUSES),
    productIds: p.array().onCreate(() => []),
    activities: p.json<StoredLabActivity[]>().onCreate(() => []),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class EntrepreneurshipLab extends EntrepreneurshipLabSchema.class {}
EntrepreneurshipLabSchema.setClass(EntrepreneurshipLab);
