import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';

/**
 * The caller's IP, for rate limits and audit trails. X-Forwarded-For is believed only as far as it was written by
 * proxies we trust (the storefront's server, on loopback by default): walking back from the
 * socket, the first address not in `trustedProxies` is the client. Anyone else sending the header
 * is rate-limited by the address they connect from.
 */
export function clientIpResolver(trustedProxies: readonly string[]): (request: IncomingMessage) => string {
  const trust = proxyaddr.compile([...trustedProxies]);
  return (request) => normalise(proxyaddr(request, trust));
}

/** `::ffff:10.0.0.1` and `10.0.0.1` are one client, whichever socket family it came through. */
function normalise(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address.toLowerCase();
}
