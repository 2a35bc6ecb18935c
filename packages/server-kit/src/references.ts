import { badUserInput, serviceUnavailable } from './errors.ts';
import { IDENTITY_HEADER, SERVICE_ROLE, signForwardedIdentity } from './identity.ts';

/**
 * Ids a subgraph stores that name another subgraph's entity (a programme's pesantren, an
 * article's products). A subgraph cannot read another's tables (DESIGN.md, "Ownership"), so it
 * asks the owner the way the router does: `_entities` with `{ __typename, id }` representations,
 * one request per batch. The answer is the owner's, at the moment of the write.
 */
export interface EntityReferences {
  /**
   * The entities of `typename` among `ids`, each with the `fields` asked (a selection set such as
   * `id regency { code }`); an id the owner does not know is absent from the map.
   */
  resolve<T extends { id: string }>(typename: string, ids: readonly string[], fields: string): Promise<Map<string, T>>;
}

export interface FederatedReferencesOptions {
  /** The owning subgraph's GraphQL endpoint, e.g. http://127.0.0.1:4002/graphql. */
  url: string;
  /**
   * The secret subgraphs verify forwarded identities with: the lookup is signed as the platform's
   * own service. Unset only where the owner accepts unsigned requests (one subgraph run alone).
   */
  identitySecret: string | undefined;
  /** Who asks, for the owner's logs (e.g. `subgraph:academics`). */
  caller: string;
  timeoutMs?: number;
}

/** Asks the owning subgraph over HTTP, signed as the platform's own service identity. */
export function federatedReferences(options: FederatedReferencesOptions): EntityReferences {
  return {
    async resolve<T extends { id: string }>(typename: string, ids: readonly string[], fields: string): Promise<Map<string, T>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      if (!/^[A-Z][A-Za-z0-9]*$/.test(typename)) throw new Error(`not a type name: ${typename}`);
      const signed: Record<string, string> = options.identitySecret
        ? { [IDENTITY_HEADER]: await signForwardedIdentity({ role: SERVICE_ROLE, subject: options.caller, pesantrenId: null, scopes: [] }, options.identitySecret) }
        : {};
      let body: { data?: { _entities?: (T | null)[] } | null; errors?: { message: string }[] };
      try {
        const response = await fetch(options.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signed },
          body: JSON.stringify({
            query: `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${fields} } } }`,
            variables: { representations: unique.map((id) => ({ __typename: typename, id })) },
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
        });
        body = (await response.json()) as typeof body;
      } catch {
        // Nothing is written on an unverified reference: the write fails and can be retried.
        throw serviceUnavailable(`Could not check the ${typename} this refers to; nothing was saved, try again shortly`);
      }
      const entities = body.data?._entities;
      if (!entities || entities.length !== unique.length) throw serviceUnavailable(`Could not check the ${typename} this refers to; nothing was saved, try again shortly`);
      return new Map(entities.flatMap((entity) => (entity ? [[entity.id, entity] as const] : [])));
    },
  };
}

interface RegisteredPesantren {
  id: string;
  regency: { code: string };
}

/**
 * Refuses a write naming a pesantren the pesantren subgraph does not know, or placing it in
 * another regency than its own: what academics (programmes) and catalogue (sellers) count and
 * search by regency comes from the pesantren, not from the caller. Without a register (a subgraph
 * run alone, never in production) the caller's values are taken as given.
 */
export async function verifyPesantrenPlace(register: EntityReferences | undefined, pesantrenId: string, regencyCode: string): Promise<void> {
  if (!register) return;
  const found = (await register.resolve<RegisteredPesantren>('Pesantren', [pesantrenId], 'id regency { code }')).get(pesantrenId);
  if (!found) throw badUserInput('is not a registered pesantren', 'input.pesantrenId');
  if (found.regency.code !== regencyCode) throw badUserInput(`must be the pesantren's own regency (${found.regency.code})`, 'input.regencyCode');
}

/**
 * Refuses ids that their owner does not know (a product, a pesantren another subgraph owns), so a
 * link to nothing is never stored. Without a register (a subgraph run alone, never in production)
 * the ids are taken as given.
 */
export async function verifyReferences(register: EntityReferences | undefined, typename: string, ids: readonly string[], field: string): Promise<void> {
  if (!register || ids.length === 0) return;
  const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
  const found = await register.resolve(typename, wanted, 'id');
  const unknown = wanted.filter((id) => !found.has(id));
  if (unknown.length > 0) throw badUserInput(`names no known ${typename} (${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''})`, field);
}
