import { randomUUID } from 'node:crypto';
import { defineEntity, p } from '@mikro-orm/core';
import type { Role } from '@opop/server-kit';
import { Partner, type PENTAHELIX_ROLES } from '../partner/partner.entity.ts';

/** The roles a key can act with: the partner roles of server-kit, never operator, admin or service. */
export const API_KEY_ROLES = ['media_partner', 'academic_partner'] as const satisfies readonly Role[];
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

/**
 * Every scope a key may ever be given. A scope reaches a key only through this list, so a
 * mistyped scope cannot be stored and then silently grant nothing (or, later, something).
 */
export const API_KEY_SCOPES = ['academics:aggregate', 'academics:records', 'widgets:events', 'orders:read'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * Which of those scopes each role may hold. `orders:read` is known but granted to no role yet:
 * nothing reads it, and a key holding it today would gain whatever the first feature that checks
 * it decides, without anyone having chosen to give that key that access.
 */
export const SCOPES_BY_ROLE: Readonly<Record<ApiKeyRole, readonly ApiKeyScope[]>> = {
  media_partner: ['widgets:events'],
  academic_partner: ['academics:aggregate', 'academics:records'],
};

/** The Pentahelix role a partner needs to hold a key of each role. */
export const PARTNER_KIND_OF_ROLE: Readonly<Record<ApiKeyRole, (typeof PENTAHELIX_ROLES)[number]>> = {
  media_partner: 'MEDIA',
  academic_partner: 'ACADEMIA',
};

/**
 * A partner's API key. The key itself is never stored: `secretHash` is the SHA-256 of the whole
 * key string, and `prefix` (its public start) finds the row. Keys are revoked, never deleted, so
 * audit records that name a key id keep meaning something.
 */
const ApiKeySchema = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: p.uuid().primary().onCreate(() => randomUUID()),
    partner: () => p.manyToOne(Partner).index(),
    name: p.string().length(80),
    role: p.enum(API_KEY_ROLES),
    scopes: p.enum(API_KEY_SCOPES).array(),
    allowedOrigins: p.array(),
    prefix: p.string().length(24).unique(),
    secretHash: p.string().length(64),
    createdAt: p.datetime().onCreate(() => new Date()),
    createdBy: p.string().length(120),
    revokedAt: p.datetime().nullable(),
    revokedBy: p.string().length(120).nullable(),
    revocationReason: p.string().length(500).nullable(),
    /** Written at most once an hour per key (see `touchLastUsed`), never on every request. */
    lastUsedAt: p.datetime().nullable(),
  },
});

export class ApiKey extends ApiKeySchema.class {}
ApiKeySchema.setClass(ApiKey);
