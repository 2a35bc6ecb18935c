import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The operations our own clients send (storefront, widgets, SDK), from
 * schema/persisted-operations.json: the SHA-256 hex of each document's exact text → the text.
 * It is the allow-list for anonymous traffic, and lets clients send a hash instead of a document.
 */
export class PersistedOperations {
  readonly #byHash: ReadonlyMap<string, string>;

  constructor(entries: Iterable<[string, string]>) {
    const byHash = new Map<string, string>();
    for (const [hash, text] of entries) {
      // A hand-edited or stale manifest would make the router refuse the clients it was written for.
      if (sha256Hex(text) !== hash) throw new Error(`persisted operation ${hash} does not hash to its key: run \`npm run codegen\``);
      byHash.set(hash, text);
    }
    this.#byHash = byHash;
  }

  static async load(path: string | URL): Promise<PersistedOperations> {
    const manifest = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    const entries = Object.entries(manifest).map(([hash, text]): [string, string] => {
      if (typeof text !== 'string') throw new Error(`persisted operation ${hash} is not a string`);
      return [hash.toLowerCase(), text];
    });
    return new PersistedOperations(entries);
  }

  get size(): number {
    return this.#byHash.size;
  }

  document(hash: string): string | undefined {
    return this.#byHash.get(hash.toLowerCase());
  }

  /** Whether this exact text is a published operation; hashing it is all the work done on unknown text. */
  contains(text: string): boolean {
    return this.#byHash.has(sha256Hex(text));
  }
}
