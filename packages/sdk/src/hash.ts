/**
 * SHA-256 of a document as lowercase hex, the hash automatic persisted queries name a document
 * by. Web Crypto is in Node and in browsers, but browsers offer it on secure origins (HTTPS,
 * localhost) only: elsewhere this resolves to undefined and the client sends full documents.
 */
export async function sha256Hex(text: string): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return undefined;
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
