import { defineEntity, p } from '@mikro-orm/core';

export const REGENCY_KINDS = ['KABUPATEN', 'KOTA'] as const;

/** Reference data: regencies and cities by BPS code. Rows arrive through migrations, not the API. */
const RegencySchema = defineEntity({
  name: 'Regency',
  tableName: 'regency',
  properties: {
    code: p.string().length(4).primary(),
    kind: p.enum(REGENCY_KINDS),
    name: p.string().length(80),
    provinceCode: p.string().length(2).index(),
    provinceName: p.string().length(80),
  },
});

export class Regency extends RegencySchema.class {
  get displayName(): string {
    return `${this.kind === 'KOTA' ? 'Kota' : 'Kabupaten'} ${this.name}`;
  }
}
RegencySchema.setClass(Regency);
