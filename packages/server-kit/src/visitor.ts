import { createHmac, timingSafeEqual } from 'node:crypto';
import { badUserInput } from './errors.ts';

/**
 * Who a visitor is, for counters (views, widget clicks), as the router derives it from the
 * connection: never an id the client chose, which anyone could renew at will to count again.
 *
 * - `network`: the client's IP address;
 * - `id`: the IP address with the browser's user agent, so people behind one address (a
 *   pesantren's network, an office) still count as several.
 *
 * Both are keyed hashes that change every day (UTC): no address is kept or forwarded, and one
 * day's visitors cannot be linked to the next day's. A counter counts a visitor once, and at most
 * a few visitors per network, so rotating user agents buys little.
 */
export interface Visitor {
  network: string;
  id: string;
}

/** Header carrying the router-signed visitor to subgraphs. */
export const VISITOR_HEADER = 'x-opop-visitor';

const digest = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const short = (bytes: Buffer) => bytes.subarray(0, 16).toString('base64url');

export function deriveVisitor(ip: string, userAgent: string | undefined, secret: string, now = new Date()): Visitor {
  const day = digest(secret, `opop-visitor-day:${now.toISOString().slice(0, 10)}`);
  return { network: short(digest(day, `network:${ip}`)), id: short(digest(day, `visitor:${ip}\n${(userAgent ?? '').slice(0, 512)}`)) };
}

const signature = (network: string, id: string, secret: string) => short(digest(secret, `opop-visitor-header:${network}.${id}`));

export const signVisitor = (visitor: Visitor, secret: string): string => `${visitor.network}.${visitor.id}.${signature(visitor.network, visitor.id, secret)}`;

/** The visitor the router signed, or null when the header is missing or not the router's. */
export function verifyVisitor(header: string | string[] | undefined, secret: string | undefined): Visitor | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !secret) return null;
  const [network, id, given, extra] = value.split('.');
  if (!network || !id || !given || extra !== undefined) return null;
  const expected = Buffer.from(signature(network, id, secret));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? { network, id } : null;
}

/** A counter counts at most this many visitors from one network (IP address) per item and period. */
export const MAX_VISITORS_PER_NETWORK = 20;

/**
 * The keys a counter stores for one event: `dedupeKey` is unique per visitor, item and period
 * (so a visitor counts once), `networkKey` shared by every visitor of the network (so it can be
 * capped at MAX_VISITORS_PER_NETWORK). Hashes only: neither leads back to the visitor.
 */
export function counterKeys(scope: string, visitor: Visitor, period: string): { dedupeKey: string; networkKey: string } {
  const hash = (text: string) => createHmac('sha256', 'opop-counter').update(text).digest('hex');
  return { dedupeKey: hash(`${scope}|visitor:${visitor.id}|${period}`), networkKey: hash(`${scope}|network:${visitor.network}|${period}`) };
}

/** The visitor a counter needs; a request that did not come through the router has none to count. */
export function requireVisitor(visitor: Visitor | null): Visitor {
  if (!visitor) throw badUserInput('Counters count visitors the router identifies: send this through the router');
  return visitor;
}
