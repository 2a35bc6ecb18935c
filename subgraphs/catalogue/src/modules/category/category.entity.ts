import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const FOOD_PERMIT_RULES = ['NONE', 'PIRT_OR_BPOM', 'BPOM'] as const;

const CategorySchema = defineEntity({
  name: 'Category',
  tableName: 'category',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    slug: p.string().length(80).unique(),
    parent: () => p.manyToOne(Category).nullable().index(),
    nameIndonesian: p.string().length(120),
    nameEnglish: p.string().length(120).nullable(),
    position: p.smallint().default(0),
    requiresHalal: p.boolean().default(false),
    foodPermit: p.enum(FOOD_PERMIT_RULES).default('NONE'),
    requiresSni: p.boolean().default(false),
  },
});

export class Category extends CategorySchema.class {}
CategorySchema.setClass(Category);
