import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Key format: `opk_live_<8 hex>_<43 base64url>`, e.g. `opk_live_ab12cd34_Vq3…`.
 *
 * - `opk_live_<8 hex>` is the public prefix: shown in lists and logs, and the row's lookup key.
 * - The 43 base64url characters are 32 random bytes (256 bits), the actual secret.
 * - The fixed `opk_live_` start lets secret scanners (and people) recognise a leaked key.
 *
 * Only SHA-256 of the whole key string is stored. A slow password hash (bcrypt, scrypt) would buy
 * nothing here: it protects guessable human passwords, and 256 random bits cannot be guessed,
 * while it would cost the router milliseconds on every lookup.
 */
const PREFIX_START = 'opk_live_';
const KEY_PATTERN = /^(opk_live_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;
/** Anything longer is not a key; refusing it early keeps a caller from making us hash megabytes. */
const MAX_KEY_LENGTH = 80;

export interface GeneratedKey {
  prefix: string;
  /** The whole key, to show once. */
  secret: string;
  secretHash: string;
}

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

export function generateKey(): GeneratedKey {
  const prefix = `${PREFIX_START}${randomBytes(4).toString('hex')}`;
  const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { prefix, secret, secretHash: hashKey(secret) };
}

/** The prefix of a well-formed key, or undefined for anything that cannot be one of ours. */
export function prefixOf(key: string): string | undefined {
  if (key.length > MAX_KEY_LENGTH) return undefined;
  return KEY_PATTERN.exec(key)?.[1];
}

/** Compares in constant time, so response timing says nothing about how much of a hash matched. */
export function matchesHash(key: string, storedHash: string): boolean {
  const given = Buffer.from(hashKey(key), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
