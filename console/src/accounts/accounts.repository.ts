import type { EntityManager } from '@opop/server-kit';
import { AuditEvent, type AuditAction } from './audit-event.entity.ts';
import { Invitation } from './invitation.entity.ts';
import { Membership } from './membership.entity.ts';

/** Who granted the demo accounts' memberships: they do not count as the office's first admin. */
export const DEMO_GRANTOR = 'demo-seed';

/**
 * Reads of the accounts' own tables, and the few reads and one write of better-auth's user table
 * that its API does not offer without a signed-in admin (seeding, the office's last-member rule).
 */
export class AccountsRepository {
  private readonly em: EntityManager;
  private readonly schema: string;

  constructor(em: EntityManager, schema: string) {
    this.em = em;
    this.schema = schema;
  }

  async userIdByEmail(email: string): Promise<string | null> {
    const rows = await this.em.getConnection().execute<{ id: string }[]>(`select "id" from "${this.schema}"."user" where "email" = ?`, [email]);
    return rows[0]?.id ?? null;
  }

  /** better-auth's admin role follows the office membership, so its admin endpoints accept office staff. */
  async setRole(userId: string, role: string): Promise<void> {
    await this.em.getConnection().execute(`update "${this.schema}"."user" set "role" = ? where "id" = ?`, [role, userId]);
  }

  /** The office's members who are neither demo accounts nor deactivated. */
  async activeRealOfficeMembers(): Promise<string[]> {
    const rows = await this.em.getConnection().execute<{ user_id: string }[]>(
      `select m."user_id" from "${this.schema}"."membership" m join "${this.schema}"."user" u on u."id" = m."user_id"
        where m."kind" = 'PROGRAMME_OFFICE' and (m."granted_by" is null or m."granted_by" <> ?) and coalesce(u."banned", false) = false`,
      [DEMO_GRANTOR],
    );
    return rows.map((row) => row.user_id);
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
