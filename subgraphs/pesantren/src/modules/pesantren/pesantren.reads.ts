import { checkNarrowReads, type ColumnRead } from '@opop/server-kit';
import type { Pesantren as PesantrenFields } from '../../generated/graphql.ts';
import type { PesantrenRecord } from './pesantren.entity.ts';

type PesantrenField = Exclude<keyof PesantrenFields, '__typename'>;
/** The record's properties that are columns of the pesantren table. */
export type PesantrenProperty = keyof PesantrenRecord & string;

/**
 * What the resolvers of each Pesantren field read of a record (server-kit's narrow-reads.ts).
 * Typed against the schema's Pesantren type, so a new field does not compile until it says what
 * it reads. The pesantren suite answers every field of every pesantren from its read and from the
 * whole row, and expects the same answer.
 */
export const PESANTREN_FIELD_READS: Record<PesantrenField, readonly PesantrenProperty[]> = {
  id: ['id'],
  nspp: ['nspp'],
  name: ['name'],
  slug: ['slug'],
  regency: ['regency'],
  address: ['address'],
  pillars: ['pillars'],
  cooperative: ['cooperativeName', 'cooperativeLegalNumber'],
  whatsapp: ['whatsapp'],
  whatsappUrl: ['whatsapp'],
  memberSince: ['memberSince'],
  awards: ['awards'],
  isDemo: ['isDemo'],
  createdAt: ['createdAt'],
  updatedAt: ['updatedAt'],
};

/**
 * The column sets a reference read chooses from (anything else reads the whole row).
 *
 * Why: the router asks this subgraph for the same few fields of many pesantren at once (the
 * partners listing at programme scale: the slug and name of 273), and whole rows (the address,
 * awards as JSON, pillars as an array, timestamps, parsed and converted for each) made that
 * answer's cost grow with every reference: the listing's pesantren part took 4.4 ms of CPU against
 * 2.0 ms on the demo data's 96 references, 3.0 ms once narrowed (issue 21).
 */
export const PESANTREN_READS: readonly ColumnRead<PesantrenProperty>[] = [
  // A pesantren named and linked to, as the partners listings show an engagement's pesantren:
  // without the card's pillars, an array each row's value of which the driver parses (9% of this
  // subgraph's CPU for the listing's 273 references at programme scale, issue 21).
  { name: 'link', properties: ['id', 'slug', 'name'] },
  // What a pesantren looks like in a list, a card, a badge or beside a product.
  { name: 'card', properties: ['id', 'slug', 'name', 'regency', 'pillars', 'memberSince', 'isDemo'] },
];

checkNarrowReads('pesantren', PESANTREN_READS);
