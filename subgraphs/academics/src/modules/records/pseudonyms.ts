import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Who a set of pseudonyms is for. Each partner gets its own key, so two partners' datasets share
 * no identifier and cannot be joined; the programme office (every programme admin) shares one.
 */
export type PseudonymAudience = { kind: 'partner'; partnerId: string } | { kind: 'programme_office' };

const audienceLabel = (audience: PseudonymAudience) => (audience.kind === 'partner' ? `partner:${audience.partnerId}` : 'programme-office');

/** 128 bits: no collision to expect among millions of santri, and a shorter id for researchers. */
const PSEUDONYM_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The pseudonyms and page cursors of one audience. */
export interface AudienceKeys {
  /** The same santri always gets the same pseudonym for this audience, and a different one for every other. */
  pseudonym(santriId: string): string;
  /** A cursor naming the last santri of a page, readable only by this service and only for the same listing. */
  sealCursor(santriId: string, listing: string): string;
  /** The santri a cursor names; undefined when it was not sealed for this audience and listing, or was altered. */
  openCursor(cursor: string, listing: string): string | undefined;
}

/**
 * Keys derived from PSEUDONYM_SECRET. An audience's key is HMAC-SHA256(secret, label) and a
 * pseudonym is HMAC-SHA256(audience key, santri id): without the secret nobody, a partner
 * included, can go from a pseudonym back to the santri or across to another partner's.
 *
 * Cursors would otherwise carry the internal santri id (the operator's pseudonymousId), so they
 * are sealed with AES-256-GCM under a key of their own, bound to the audience and the listing
 * (purpose and filter): a cursor is opaque, cannot be forged, and works nowhere else.
 */
export class SantriPseudonyms {
  readonly #secret: string;
  readonly #cursorKey: Buffer;

  constructor(secret: string) {
    this.#secret = secret;
    this.#cursorKey = this.#derive('opop/santri-records/cursor/v1');
  }

  #derive(label: string): Buffer {
    return createHmac('sha256', this.#secret).update(label).digest();
  }

  for(audience: PseudonymAudience): AudienceKeys {
    const label = audienceLabel(audience);
    const pseudonymKey = this.#derive(`opop/santri-pseudonym/v1/${label}`);
    const cursorKey = this.#cursorKey;
    const binding = (listing: string) => Buffer.from(`${label}\n${listing}`);
    return {
      pseudonym: (santriId) => createHmac('sha256', pseudonymKey).update(santriId).digest().subarray(0, PSEUDONYM_BYTES).toString('base64url'),
      sealCursor: (santriId, listing) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', cursorKey, iv).setAAD(binding(listing));
        const sealed = Buffer.concat([cipher.update(santriId, 'utf8'), cipher.final()]);
        return Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
      },
      openCursor: (cursor, listing) => {
        const bytes = Buffer.from(cursor, 'base64url');
        if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
        try {
          const decipher = createDecipheriv('aes-256-gcm', cursorKey, bytes.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES }).setAAD(binding(listing));
          decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
          return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
        } catch {
          return undefined;
        }
      },
    };
  }
}
