import { createHash } from 'node:crypto';
import { plugin as typedDocumentNode } from '@graphql-codegen/typed-document-node';

/**
 * A graphql-codegen plugin writing `schema/persisted-operations.json`: the SHA-256 (hex) of every
 * operation document the clients send, mapped to that document, in Relay's `{ hash: text }` form.
 * A router can load it to answer persisted queries it has never seen, or to refuse operations
 * that are not in it.
 *
 * The hash must be of the exact text a client sends, so the text comes from the same
 * typed-document-node plugin, with the same config, that generates each client's operations: a
 * client's document text includes the fragments it spreads, so each client's folder under
 * `schema/operations/` is rendered on its own, as its own codegen entry renders it.
 */

type Plugin = typeof typedDocumentNode;
type DocumentFile = Parameters<Plugin>[1][number];

const OPERATIONS_DIR = 'schema/operations/';

function clientOf(document: DocumentFile): string {
  const location = (document.location ?? '').replaceAll('\\', '/');
  const at = location.lastIndexOf(OPERATIONS_DIR);
  if (at < 0) throw new Error(`persisted-operations: ${location} is not under schema/operations/<client>/`);
  return location.slice(at + OPERATIONS_DIR.length).split('/')[0]!;
}

/**
 * An operation's document in string mode is written as
 * `new TypedDocumentString(`…`) as unknown as TypedDocumentString<…>`; a fragment's carries a
 * second argument, so this matches operations only. The plugin escapes nothing but backslashes
 * inside the template literal.
 */
export const OPERATION_LITERAL = /= new TypedDocumentString\(`([^`]*)`\) as unknown as TypedDocumentString</g;

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The text a client sends, from its literal as the generated module holds it. */
const textOf = (literal: string): string => literal.replaceAll('\\\\', '\\');

/** The hash a client sends for a document, from its literal as the generated module holds it. */
export const persistedHash = (literal: string): string => sha256Hex(textOf(literal));

export const plugin: Plugin = async (schema, documents, config, info) => {
  if (config.documentMode !== 'string') throw new Error('persisted-operations: needs the clients\' config, with documentMode: string');
  const byClient = Map.groupBy(documents, clientOf);
  const manifest = new Map<string, string>();
  for (const client of [...byClient.keys()].sort()) {
    const output = await typedDocumentNode(schema, byClient.get(client)!, config, info);
    const content = typeof output === 'string' ? output : output.content;
    for (const [, literal] of content.matchAll(OPERATION_LITERAL)) {
      manifest.set(persistedHash(literal!), textOf(literal!));
    }
  }
  const sorted = Object.fromEntries([...manifest].sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${JSON.stringify(sorted, null, 2)}\n`;
};
