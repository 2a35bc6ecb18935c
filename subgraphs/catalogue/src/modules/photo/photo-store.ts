/**
 * Where photo files live: the local disk by default (`npm start`), S3-compatible object storage
 * in production (S3_URL). Both adapters pass one contract suite (test/photo-store.test.ts; its S3
 * run needs S3_URL).
 *
 * Keys are paths with `/` separators made of [a-z0-9._-] segments. Two prefixes are used:
 * `originals/` (uploads waiting to be processed; private, deleted once processed) and `p/`
 * (processed variants, named by the content of the original, served to anyone).
 */
export interface PhotoStore {
  readonly kind: 'disk' | 's3';
  /** Writes the whole object or nothing: a reader never sees half a file. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<StoredObject | null>;
  has(key: string): Promise<boolean>;
  /** Removes the object; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Where shoppers' browsers fetch a public (`p/`) object. */
  publicUrl(key: string): string;
  /** Checks that the store answers (for /ready). */
  ping(): Promise<void>;
}

export interface StoredObject {
  bytes: Uint8Array;
  contentType: string;
}

const KEY = /^(?:[a-z0-9][a-z0-9._-]*\/)*[a-z0-9][a-z0-9._-]*$/;

/** Refuses keys that could escape the store's folder or bucket prefix (`..`, absolute paths, odd characters). */
export function assertPhotoKey(key: string): void {
  if (!KEY.test(key) || key.split('/').some((segment) => segment === '.' || segment === '..') || key.length > 300) {
    throw new Error(`Invalid photo key: ${JSON.stringify(key)}`);
  }
}

export const ORIGINALS_PREFIX = 'originals/';
export const PUBLIC_PREFIX = 'p/';
