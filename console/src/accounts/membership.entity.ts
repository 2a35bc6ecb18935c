import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

/**
 * What a person may do, and for whom: operate a pesantren, work for the programme office, or
 * represent a media or academic partner. A person may hold several; the console acts for one at
 * a time, and the router sees only that one (an access token names one role and one organisation).
 */
export const MEMBERSHIP_KINDS = ['PESANTREN_OPERATOR', 'PROGRAMME_OFFICE', 'MEDIA_PARTNER', 'ACADEMIC_PARTNER'] as const;
export type MembershipKind = (typeof MEMBERSHIP_KINDS)[number];

const MembershipSchema = defineEntity({
  name: 'Membership',
  tableName: 'membership',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    /** better-auth's user id. */
    userId: p.string().length(64).index(),
    kind: p.enum(MEMBERSHIP_KINDS),
    /** The pesantren or partner; null for the programme office, which is one organisation. */
    organisationId: p.uuid().nullable(),
    /** The organisation's name when the membership was granted, shown in the console's switcher. */
    organisationName: p.string().length(200),
    /** Scopes beyond the role's usual ones (e.g. `academics:records` for a partner with an agreement). */
    scopes: p.array().onCreate(() => []),
    grantedBy: p.string().length(64).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});

export class Membership extends MembershipSchema.class {}
MembershipSchema.setClass(Membership);
