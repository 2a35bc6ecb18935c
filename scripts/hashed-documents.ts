import { plugin as typedDocumentNode } from '@graphql-codegen/typed-document-node';
import { OPERATION_LITERAL, persistedHash } from './persisted-operations.ts';

/**
 * typed-document-node, with each query's persisted-query hash beside its text
 * (`document.__meta__.hash`), for clients that ask for published queries by GET with the hash
 * alone, so a CDN can keep the answers. The hash is of the very literal this output holds, by the
 * same function the manifest (schema/persisted-operations.json) uses: a client cannot send a hash
 * the router does not know for the text it was built from.
 *
 * Computed at generation time rather than in the browser, because Web Crypto exists only on
 * secure pages and a media partner's page may not be one, and it costs the widgets no bytes of
 * hashing code.
 */
export const plugin: typeof typedDocumentNode = async (schema, documents, config, info) => {
  const output = await typedDocumentNode(schema, documents, config, info);
  const content = typeof output === 'string' ? output : output.content;
  // Queries only: a mutation is never sent by GET, nor kept by anyone.
  const hashed = content.replace(OPERATION_LITERAL, (whole, literal: string) =>
    /^\s*query\b/.test(literal) ? whole.replace('`) as unknown as', `\`, { hash: '${persistedHash(literal)}' }) as unknown as`) : whole,
  );
  return typeof output === 'string' ? hashed : { ...output, content: hashed };
};
