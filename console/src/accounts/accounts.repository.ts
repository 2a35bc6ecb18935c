import type { EntityManager } from '@opop/server-kit';
import { AuditEvent, type AuditAction } from './audit-event.entity.ts';
import { Invitation } from './invitation.entity.ts';
import { Membership } from './membership.entity.ts';

/** Who granted the demo accounts' memberships: they do not count as the office's first admin. */
export const DEMO_GRANTOR = 'demo-seed';

/** Reads of the accounts' own tables (better-auth's tables are read through better-auth). */
export class AccountsRepository {
  private readonly em: EntityManager;

  constructor(em: EntityManager) {
    this.em = em;
  }

  membershipsOf(userId: string): Promise<Membership[]> {
    return this.em.find(Membership, { userId }, { orderBy: { createdAt: 'asc' } });
  }

  membershipsOfMany(userIds: readonly string[]): Promise<Membership[]> {
    return userIds.length ? this.em.find(Membership, { userId: { $in: [...userIds] } }, { orderBy: { createdAt: 'asc' } }) : Promise.resolve([]);
  }

  membership(id: string): Promise<Membership | null> {
    return this.em.findOne(Membership, { id });
  }

  /** Members of the programme office; `real` leaves out the demo accounts (DEMO_GRANTOR). */
  countOfficeMembers(options: { real?: boolean } = {}): Promise<number> {
    return this.em.count(Membership, { kind: 'PROGRAMME_OFFICE', ...(options.real ? { $or: [{ grantedBy: null }, { grantedBy: { $ne: DEMO_GRANTOR } }] } : {}) });
  }

  invitationByHash(tokenHash: string): Promise<Invitation | null> {
    return this.em.findOne(Invitation, { tokenHash });
  }

  /** Open invitations first, then the most recent of the rest. */
  recentInvitations(limit = 100): Promise<Invitation[]> {
    return this.em.find(Invitation, {}, { orderBy: { createdAt: 'desc' }, limit });
  }

  auditTrail(filter: { userId?: string; actions?: readonly AuditAction[]; limit?: number } = {}): Promise<AuditEvent[]> {
    const where: Record<string, unknown> = {};
    if (filter.userId) where['$or'] = [{ actorUserId: filter.userId }, { subjectUserId: filter.userId }];
    if (filter.actions?.length) where['action'] = { $in: [...filter.actions] };
    return this.em.find(AuditEvent, where, { orderBy: { at: 'desc' }, limit: Math.min(filter.limit ?? 100, 500) });
  }
}
