import { LRUCache } from 'lru-cache';
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

export interface CachedReferencesOptions {
  /** How long an entity the owner knows is taken as known, in ms (default 10 minutes). */
  ttlMs?: number;
  /**
   * How long an id the owner does not know is taken as unknown, in ms (default 1 minute): short,
   * so that a pesantren registered meanwhile is soon accepted, long enough that repeating an
   * unknown id does not ask the owner again.
   */
  negativeTtlMs?: number;
  /**
   * Ids remembered (default 10,000 known and as many unknown, kept apart so that a flood of
   * unknown ids does not push out the known ones); the least recently used go first.
   */
  max?: number;
  /** Ids asked of the owner in one request (default 100). */
  batchSize?: number;
  /** Requests to the owner under way at once (default 2); the ids missed meanwhile wait and go together. */
  maxInFlight?: number;
  /** Ids waiting for the owner beyond which a new miss is refused (SERVICE_UNAVAILABLE) instead of queued (default 1,000). */
  maxQueued?: number;
}

interface Waiter {
  id: string;
  key: string;
  resolve: (entity: object | null) => void;
  reject: (error: unknown) => void;
}

/**
 * An owner's answers remembered for a while, for hot writes that name other subgraphs' entities
 * (a widget event's products and pesantren, counted for anonymous visitors): repeated ids do not
 * ask the owner again, unknown ids included (for a shorter while), and however many fresh ids
 * arrive at once the owner sees at most `maxInFlight` requests of at most `batchSize` ids; the
 * ids missed meanwhile wait and go together, and beyond `maxQueued` waiting ids a miss is refused
 * as SERVICE_UNAVAILABLE rather than queued. A failed lookup is not remembered.
 */
export function cachedReferences(owner: EntityReferences, options: CachedReferencesOptions = {}): EntityReferences {
  const ttl = options.ttlMs ?? 10 * 60_000;
  const negativeTtl = options.negativeTtlMs ?? 60_000;
  const batchSize = options.batchSize ?? 100;
  const maxInFlight = options.maxInFlight ?? 2;
  const maxQueued = options.maxQueued ?? 1_000;
  const known = new LRUCache<string, object>({ max: options.max ?? 10_000, ttl });
  const unknown = new LRUCache<string, true>({ max: options.max ?? 10_000, ttl: negativeTtl });
  const pending = new Map<string, Promise<object | null>>();
  // Ids waiting for a lookup, by what is asked (type and fields).
  const queues = new Map<string, { typename: string; fields: string; waiters: Waiter[] }>();
  let queued = 0;
  let inFlight = 0;

  const pump = () => {
    while (inFlight < maxInFlight && queues.size > 0) {
      const [group, queue] = queues.entries().next().value!;
      const batch = queue.waiters.splice(0, batchSize);
      if (queue.waiters.length === 0) queues.delete(group);
      queued -= batch.length;
      inFlight += 1;
      (async () => owner.resolve(queue.typename, batch.map((waiter) => waiter.id), queue.fields))()
        .then(
          (found) => {
            for (const waiter of batch) {
              const entity = found.get(waiter.id) ?? null;
              if (entity) known.set(waiter.key, entity);
              else unknown.set(waiter.key, true);
              waiter.resolve(entity);
            }
          },
          (error: unknown) => {
            for (const waiter of batch) waiter.reject(error);
          },
        )
        .finally(() => {
          for (const waiter of batch) pending.delete(waiter.key);
          inFlight -= 1;
          pump();
        });
    }
  };
  let scheduled = false;

  const lookup = (typename: string, fields: string, id: string, key: string): Promise<object | null> => {
    const group = `${typename}\n${fields}`;
    let queue = queues.get(group);
    if (!queue) queues.set(group, (queue = { typename, fields, waiters: [] }));
    const promise = new Promise<object | null>((resolve, reject) => queue.waiters.push({ id, key, resolve, reject }));
    pending.set(key, promise);
    queued += 1;
    // The ids missed in this tick go together.
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        pump();
      });
    }
    return promise;
  };

  return {
    async resolve<T extends { id: string }>(typename: string, ids: readonly string[], fields: string): Promise<Map<string, T>> {
      const result = new Map<string, T>();
      const missed: { id: string; key: string }[] = [];
      for (const id of new Set(ids)) {
        const key = `${typename}\n${fields}\n${id}`;
        const entity = known.get(key);
        if (entity) result.set(id, entity as T);
        else if (!unknown.has(key)) missed.push({ id, key });
      }
      const fresh = missed.filter(({ key }) => !pending.has(key)).length;
      if (fresh > 0 && queued + fresh > maxQueued) {
        throw serviceUnavailable(`Too many ${typename} references to check at once; nothing was saved, try again shortly`);
      }
      await Promise.all(
        missed.map(async ({ id, key }) => {
          const entity = await (pending.get(key) ?? lookup(typename, fields, id, key));
          if (entity) result.set(id, entity as T);
        }),
      );
      return result;
    },
  };
}
