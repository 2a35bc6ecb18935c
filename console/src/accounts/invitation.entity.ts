import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import { MEMBERSHIP_KINDS } from './membership.entity.ts';

export const CONTACT_KINDS = ['EMAIL', 'WHATSAPP'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

/**
 * An invitation to a membership, passed on as a one-time link. Only the SHA-256 of the link's
 * secret is stored, so a copy of the database cannot be turned into working links.
 */
const InvitationSchema = defineEntity({
  name: 'Invitation',
  tableName: 'invitation',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    tokenHash: p.string().length(64).unique(),
    contactKind: p.enum(CONTACT_KINDS),
    /** An email address (lower case) or a WhatsApp number (E.164 without the plus, e.g. 6281234567890). */
    contact: p.string().length(160),
    name: p.string().length(120),
    kind: p.enum(MEMBERSHIP_KINDS),
    organisationId: p.uuid().nullable(),
    organisationName: p.string().length(200),
    scopes: p.array().onCreate(() => []),
    invitedBy: p.string().length(64),
    createdAt: p.datetime().onCreate(() => new Date()).index(),
    expiresAt: p.datetime(),
    acceptedAt: p.datetime().nullable(),
    acceptedBy: p.string().length(64).nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export class Invitation extends InvitationSchema.class {}
InvitationSchema.setClass(Invitation);
