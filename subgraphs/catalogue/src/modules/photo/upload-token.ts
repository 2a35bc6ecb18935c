import { createHmac, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

const AUDIENCE = 'opop:photo-upload';

/**
 * Upload URLs carry a signed, short-lived token naming one photo, like S3's presigned URLs: the
 * router passes them through without authenticating anyone, and the token is all the catalogue
 * needs. The key is derived from the router's identity secret so no new secret is needed;
 * without one (local development) each process makes its own.
 */
export class UploadTokens {
  readonly #key: Uint8Array;

  constructor(identitySecret: string | undefined) {
    this.#key = identitySecret ? createHmac('sha256', identitySecret).update('opop photo upload tokens').digest() : randomBytes(32);
  }

  sign(photoId: string, expiresAt: Date): Promise<string> {
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(photoId)
      .setAudience(AUDIENCE)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.#key);
  }

  /** The photo id a token names, or null when it is forged, altered or expired. */
  async verify(token: string): Promise<string | null> {
    try {
      const { payload } = await jwtVerify(token, this.#key, { audience: AUDIENCE, algorithms: ['HS256'] });
      return payload.sub ?? null;
    } catch {
      return null;
    }
  }
}
