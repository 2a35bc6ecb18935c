import type { PgBoss } from 'pg-boss';
import { BACKGROUND_JOB_COMMENT, runAsBackgroundWork, type Database, type EntityManager, type Logger } from '@opop/server-kit';
import { LockMode } from '@mikro-orm/core';
import { OrderLine, OrderRequest } from './order.entity.ts';
import { StockService } from './stock.service.ts';

/** The pg-boss queue that ends reservations; one job queued and one running at most. */
export const EXPIRE_ORDERS = 'expire-orders';
/** Orders ended per transaction: a backlog after downtime is worked off in short transactions. */
const BATCH = 200;

/**
 * Ends REQUESTED orders whose reservation ran out (`reservedUntil`) and returns their stock, in
 * batches of short transactions. The rows are locked as they are taken and an operator's decision
 * is a compare-and-set on the status, so whichever of the two comes first wins cleanly and no
 * stock returns twice. Answers how many orders expired.
 */
export async function expireDueOrders(database: Database, now: Date): Promise<number> {
  let expired = 0;
  for (;;) {
    const ids = await database.fork().transactional(async (tx: EntityManager) => {
      // FOR UPDATE SKIP LOCKED: rows an operator is deciding right now are left for the next run.
      const due = await tx.find(
        OrderRequest,
        { status: 'REQUESTED', reservedUntil: { $lte: now } },
        // Marked, so this minutely look can be told apart in pg_stat_activity.
        { fields: ['id'], orderBy: { reservedUntil: 'asc' }, limit: BATCH, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE, comments: [BACKGROUND_JOB_COMMENT] },
      );
      const orderIds = due.map((order) => order.id);
      if (orderIds.length === 0) return orderIds;
      // The rows are locked by this transaction and were REQUESTED when taken: each changes here.
      await tx.nativeUpdate(OrderRequest, { id: { $in: orderIds }, status: 'REQUESTED' }, { status: 'EXPIRED', decidedAt: now, updatedAt: now });
      const lines = await tx.find(OrderLine, { order: { $in: orderIds } });
      await new StockService(tx).release(lines.map((line) => ({ productId: line.product.id, quantity: line.quantity })), now);
      await tx.flush();
      return orderIds;
    });
    expired += ids.length;
    if (ids.length < BATCH) return expired;
  }
}

export interface OrderExpiryOptions {
  database: Database;
  boss: PgBoss;
  logger: Logger;
  now?: () => Date;
}

/** Runs `expireDueOrders` every minute as a pg-boss job (retried if it fails), and once at start. */
export async function startOrderExpiry(options: OrderExpiryOptions): Promise<void> {
  const { boss, database, logger, now = () => new Date() } = options;
  await boss.createQueue(EXPIRE_ORDERS, { policy: 'stately', retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 });
  await boss.work(EXPIRE_ORDERS, { pollingIntervalSeconds: 2 }, async () => {
    const expired = await runAsBackgroundWork(() => expireDueOrders(database, now()));
    if (expired === 0) return;
    // The stock's outbox events wake the search index and the storefront relay (SearchOutboxSubscriber).
    logger.info({ expired }, 'unconfirmed order requests expired; their stock is back on sale');
  });
  await boss.schedule(EXPIRE_ORDERS, '* * * * *');
  await boss.send(EXPIRE_ORDERS, {});
}
