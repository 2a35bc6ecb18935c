import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';

export const AUDIT_ACTIONS = [
  'SIGN_IN',
  'SIGN_IN_FAILED',
  'SIGN_IN_LOCKED',
  'SIGN_OUT',
  'SIGN_OUT_EVERYWHERE',
  'SESSION_REVOKED',
  'INVITATION_CREATED',
  'INVITATION_ACCEPTED',
  'INVITATION_REVOKED',
  'MEMBERSHIP_GRANTED',
  'MEMBERSHIP_REVOKED',
  'ACCOUNT_CREATED',
  'ACCOUNT_DEACTIVATED',
  'ACCOUNT_REACTIVATED',
  'PASSWORD_RESET_LINK_CREATED',
  'PASSWORD_RESET',
  'PASSWORD_CHANGED',
  'TWO_FACTOR_ENABLED',
  'TWO_FACTOR_DISABLED',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One line of the accounts' audit trail: never updated, never deleted by the application. */
const AuditEventSchema = defineEntity({
  name: 'AuditEvent',
  tableName: 'audit_event',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    at: p.datetime().onCreate(() => new Date()).index(),
    action: p.enum(AUDIT_ACTIONS),
    /** Who did it; null when nobody was signed in (a failed sign-in, an accepted invitation). */
    actorUserId: p.string().length(64).nullable().index(),
    /** Whom it was done to. */
    subjectUserId: p.string().length(64).nullable().index(),
    /** The email a sign-in named, also when no account has it. */
    subjectEmail: p.string().length(160).nullable(),
    organisationId: p.uuid().nullable(),
    ip: p.string().length(45).nullable(),
    userAgent: p.string().length(300).nullable(),
    detail: p.json<Record<string, unknown>>().onCreate(() => ({})),
  },
});

export class AuditEvent extends AuditEventSchema.class {}
AuditEventSchema.setClass(AuditEvent);
