import { lockForTransaction, rateLimited, type EntityManager } from '@opop/server-kit';
import { OrderCheckout, OrderRequest } from './order.entity.ts';

/** How long orders hold stock, and how many checkouts one phone or one network may make. */
export interface OrderPolicy {
  /** A REQUESTED order expires this long after it was made, and its stock returns. */
  reservationHours: number;
  /** Checkouts per phone number in the last 24 hours. */
  checkoutsPerPhonePerDay: number;
  /** Checkouts of one phone number with an order still REQUESTED (holding stock). */
  openCheckoutsPerPhone: number;
  /** Checkouts per network (the router's daily hash of the sender's address) in the last hour. */
  checkoutsPerNetworkPerHour: number;
}

export const DEFAULT_ORDER_POLICY: OrderPolicy = {
  reservationHours: 48,
  checkoutsPerPhonePerDay: 10,
  openCheckoutsPerPhone: 5,
  checkoutsPerNetworkPerHour: 20,
};

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

function refused(limit: 'PHONE_DAILY' | 'PHONE_OPEN' | 'NETWORK_HOURLY', message: string, retryAfterMs: number) {
  return rateLimited(message, { limit, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
}

/** Distinct checkouts among rows, and the earliest of their times. */
function tally<T>(rows: readonly T[], checkoutOf: (row: T) => string, timeOf: (row: T) => Date): { count: number; earliest: number } {
  return { count: new Set(rows.map(checkoutOf)).size, earliest: Math.min(...rows.map((row) => timeOf(row).getTime())) };
}

/**
 * Refuses a checkout past the limits, counted from the orders themselves (no counter to drift or
 * lose on restart). Runs inside the checkout's transaction after an advisory lock per phone and
 * per network, so parallel checkouts from one phone are counted one after the other and cannot
 * all slip under the limit; a refused checkout rolls back and leaves no trace to count.
 */
export async function checkOrderLimits(tx: EntityManager, policy: OrderPolicy, checkoutKey: string, buyerPhone: string, network: string | null, now: Date): Promise<void> {
  // Always phone before network, so two checkouts cannot wait on each other's locks.
  await lockForTransaction(tx, `opop-order-phone:${buyerPhone}`);
  if (network) await lockForTransaction(tx, `opop-order-network:${network}`);

  // Few rows: the limits themselves keep a phone's and a network's recent orders to a handful.
  const recent = await tx.find(OrderRequest, { buyerPhone, createdAt: { $gt: new Date(now.getTime() - DAY_MS) } }, { fields: ['checkout', 'createdAt'] });
  const daily = tally(recent, (order) => order.checkout.idempotencyKey, (order) => order.createdAt);
  if (daily.count >= policy.checkoutsPerPhonePerDay) {
    throw refused('PHONE_DAILY', `This phone number has sent ${policy.checkoutsPerPhonePerDay} orders in the last 24 hours, the most allowed; try again later or contact the sellers on WhatsApp`, daily.earliest + DAY_MS - now.getTime());
  }
  // Unconfirmed orders older than a day are counted too: they hold stock just the same.
  const open = await tx.find(OrderRequest, { buyerPhone, status: 'REQUESTED', reservedUntil: { $gt: now } }, { fields: ['checkout', 'reservedUntil'] });
  const holding = tally(open, (order) => order.checkout.idempotencyKey, (order) => order.reservedUntil);
  if (holding.count >= policy.openCheckoutsPerPhone) {
    throw refused('PHONE_OPEN', `This phone number has ${policy.openCheckoutsPerPhone} orders the sellers have not confirmed yet, the most allowed; wait for them to be confirmed or cancelled`, holding.earliest - now.getTime());
  }
  if (!network) return;
  const fromNetwork = await tx.find(OrderCheckout, { idempotencyKey: { $ne: checkoutKey }, visitorNetwork: network, createdAt: { $gt: new Date(now.getTime() - HOUR_MS) } }, { fields: ['createdAt'] });
  const hourly = tally(fromNetwork, (checkout) => checkout.idempotencyKey, (checkout) => checkout.createdAt);
  if (hourly.count >= policy.checkoutsPerNetworkPerHour) {
    throw refused('NETWORK_HOURLY', `Too many orders were sent from this network in the last hour (${policy.checkoutsPerNetworkPerHour}); try again later`, hourly.earliest + HOUR_MS - now.getTime());
  }
}
