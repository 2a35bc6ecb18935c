import { readFileSync } from 'node:fs';
import { demoId, generateWorld } from '@opop/demo-data';
import { IDENTITY_HEADER, issueAccessToken, signForwardedIdentity } from '@opop/server-kit';
import { TEST_ACCESS_TOKEN_SECRET, TEST_IDENTITY_SECRET, postGraphQL, testEngines } from '@opop/server-kit/testing';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter, type Router } from '../src/app.ts';
import type { RouterProtection } from '../src/config.ts';
import { API_SCHEMA_PATH } from '../src/subgraphs.ts';
import { codeOf, fragmentBomb, median, partnerTokenFor, send, testRouterConfig, tokenFor, type RawResponse } from './support.ts';
import { SUBGRAPH_NAMES, startSupergraph, type Supergraph } from './supergraph.ts';

/**
 * Attacks on the whole supergraph, in process: each gets a 4xx or a typed GraphQL error, the
 * process stays up, and nothing is written (every table of every subgraph counted before and after).
 */

const world = generateWorld('demo');
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;
const manifest = JSON.parse(readFileSync(new URL('../../schema/persisted-operations.json', import.meta.url), 'utf8')) as Record<string, string>;
const [regenciesHash] = Object.entries(manifest).find(([, text]) => text.includes('query StorefrontRegencies'))!;

/** Generous, so that the attacks meet the limits they are about rather than the rate limits. */
const UNLIMITED: Partial<RouterProtection> = { ipRate: { points: 1_000_000, seconds: 60 }, keyRate: { points: 1_000_000, seconds: 60 } };

/** Codes an attack may be answered with; INTERNAL_SERVER_ERROR, above all, is not one. */
const TYPED = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'PERSISTED_QUERY_REQUIRED',
  'REQUEST_TOO_LARGE',
]);

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE product; --",
  '") OR 1=1; DELETE FROM seller; --',
  "1' UNION SELECT usename, passwd FROM pg_shadow --",
  "'; SELECT pg_sleep(5); --",
  '%_%\\',
  'status = FEATURED OR id != 0', // a Meilisearch filter, should it ever be interpolated
  '{"$ne": null}',
  '<script>alert(1)</script>',
  '\u0000\u202e',
];

// Read with this file's own copy of graphql: the schema is only walked, never executed.
const apiSchema = buildSchema(readFileSync(API_SCHEMA_PATH, 'utf8'));

/** A value any argument of this type accepts well enough to reach its resolver. */
function sampleOf(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sampleOf(type.ofType);
  if (isListType(type)) return [sampleOf(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = sampleOf(field.type);
    return value;
  }
  switch (type.name) {
    case 'Int':
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'ID':
      return '00000000-0000-4000-8000-000000000000';
    case 'Date':
      return '2024-01-01';
    case 'DateTime':
      return '2024-01-01T00:00:00.000Z';
    default:
      return 'x';
  }
}

const isText = (type: GraphQLInputType) => {
  const named = getNamedType(type);
  return isScalarType(named) && ['String', 'ID'].includes(named.name);
};
const wrapLike = (type: GraphQLInputType, value: string): unknown => (isListType(getNullableType(type)) ? [value] : value);

interface Probe {
  name: string;
  query: string;
  variables: (payload: string) => Record<string, unknown>;
}

/** One probe per string argument, and per string field of an input-object argument, of every public Query field. */
function probes(): Probe[] {
  const found: Probe[] = [];
  for (const field of Object.values(apiSchema.getQueryType()!.getFields())) {
    const named = getNamedType(field.type);
    const selection = isScalarType(named) || isEnumType(named) ? '' : '{ __typename }';
    const definitions = field.args.map((arg, i) => `$a${i}: ${String(arg.type)}`).join(', ');
    const passed = field.args.map((arg, i) => `${arg.name}: $a${i}`).join(', ');
    const query = `query Probe${definitions ? `(${definitions})` : ''} { ${field.name}${passed ? `(${passed})` : ''} ${selection} }`;
    const base = (except: GraphQLArgument) =>
      Object.fromEntries(field.args.flatMap((arg, i) => (arg === except || (!isNonNullType(arg.type) && arg.defaultValue === undefined) ? [] : [[`a${i}`, sampleOf(arg.type)]])));
    field.args.forEach((arg, i) => {
      if (isText(arg.type)) found.push({ name: `${field.name}(${arg.name})`, query, variables: (payload) => ({ ...base(arg), [`a${i}`]: wrapLike(arg.type, payload) }) });
      const input = getNamedType(arg.type);
      if (!isInputObjectType(input)) return;
      for (const inner of Object.values(input.getFields())) {
        if (!isText(inner.type)) continue;
        found.push({
          name: `${field.name}(${arg.name}.${inner.name})`,
          query,
          variables: (payload) => ({ ...base(arg), [`a${i}`]: wrapLike(arg.type, { ...(sampleOf(input) as object), [inner.name]: wrapLike(inner.type, payload) } as never) }),
        });
      }
    });
  }
  return found;
}

function expectTyped(response: RawResponse, what: string): void {
  expect(response.status, what).toBeLessThan(500);
  for (const error of response.body?.errors ?? []) expect(TYPED.has(String(error.extensions?.['code'])), `${what}: ${JSON.stringify(error)}`).toBe(true);
}

describe.each(testEngines())('attacks on the supergraph, subgraphs on $name', (engine) => {
  let supergraph: Supergraph;
  const routers: Router[] = [];
  let dev: string;
  let production: string;

  async function start(environment: 'development' | 'production', protection: Partial<RouterProtection> = {}) {
    const router = await createRouter(testRouterConfig(environment, { ...UNLIMITED, ...protection }, supergraph.urls));
    routers.push(router);
    return router.server.listen('127.0.0.1', 0);
  }

  beforeAll(async () => {
    if (engine.skip) return;
    supergraph = await startSupergraph(engine, world);
    dev = await start('development');
    // Revocation is seen within the positive TTL: a short one here, so the test need not wait 30 s.
    production = await start('production', { apiKeyCacheSeconds: 0.2, apiKeyNegativeCacheSeconds: 0.2 });
  });

  afterAll(async () => {
    for (const router of routers) await router.server.close();
    await supergraph?.close();
  });

  if (engine.skip) {
    it.skip(engine.skip, () => {});
    return;
  }

  it('passes the graphql-http audit suite (GraphQL over HTTP) with no error or warning', async () => {
    const results = await Promise.all(serverAudits({ url: dev }).map((audit) => audit.fn()));
    const failed = results.filter((result) => result.status === 'error' || result.status === 'warn');
    expect(failed.map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`)).toEqual([]);
    // What is left are notices about things the specification says a server MAY do. All three are
    // GET requests refused by Apollo's CSRF prevention: a GET without `apollo-require-preflight`
    // (or a non-simple content type) could be sent by any web page in a visitor's browser, so the
    // router answers 400 instead of running it. Clients that want GET send that header.
    const notices = results.filter((result) => result.status === 'notice').map((r) => r.id);
    expect(notices.sort()).toEqual(['5A70', '6A70', 'D6D5']);
    const csrf = await send(`${dev}?query=${encodeURIComponent('{ __typename }')}`, undefined, {}, 'GET');
    expect(csrf.status).toBe(400);
    const preflighted = await send(`${dev}?query=${encodeURIComponent('{ __typename }')}`, undefined, { 'apollo-require-preflight': 'true' }, 'GET');
    expect(preflighted.body).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers every abuse with a 4xx or a typed error, stays up and writes nothing', async () => {
    const before = await supergraph.rowCounts();
    const admin = { authorization: `Bearer ${await tokenFor('programme_admin')}` };
    const deep = `{ pesantrenList { nodes { ${'products { nodes { pesantren { '.repeat(6)} id ${'} } } '.repeat(6)} } } }`;
    const aliases = Array.from({ length: 200 }, (_, i) => `r${i}: requestOrder(input: $input) { __typename }`).join(' ');
    const attacks: [string, unknown, Record<string, string>?][] = [
      ['malformed JSON', '{"query": "mutation { registerPesantren', {}],
      ['not JSON', 'query=mutation+{+x+}', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['a huge query', { query: `mutation { ${'recordInnovationView(visitorId: "x") { views } '.repeat(5_000)} }` }],
      ['a deeply nested query', { query: deep }],
      ['an alias bomb of writes', { query: `mutation M($input: RequestOrderInput!) { ${aliases} }`, variables: { input: {} } }, admin],
      ['a fragment bomb', { query: fragmentBomb(25) }],
      ['a fragment cycle', { query: 'mutation { ...A } fragment A on Mutation { ...B } fragment B on Mutation { ...A }' }],
      ['a batch of writes', Array.from({ length: 50 }, (_, i) => ({ query: `mutation { recordInnovationView(visitorId: "batch-${i}") { views } }` }))],
      ['a write in a GET', undefined],
      ['a wide query', { query: '{ pesantrenList(first: 100) { nodes { products(first: 100) { nodes { coverage(first: 100) { slug } } } } } }' }],
    ];
    for (const [what, body, headers] of attacks) {
      const response =
        what === 'a write in a GET'
          ? await send(`${dev}?query=${encodeURIComponent('mutation { recordInnovationView(visitorId: "get") { views } }')}`, undefined, { 'apollo-require-preflight': 'true' }, 'GET')
          : await send(dev, body, headers);
      const refused = (response.status >= 400 && response.status < 500) || Boolean(response.body?.errors?.length);
      expect(refused, `${what}: ${response.status} ${response.text.slice(0, 200)}`).toBe(true);
      expect(response.body && 'data' in response.body && response.body.data !== null, what).toBe(false);
      expectTyped(response, what);
    }
    expect((await fetch(new URL('/health', dev))).status).toBe(200);
    expect(await supergraph.rowCounts()).toEqual(before);
  });

  it('refuses a cost bomb on the full supergraph in under 50 ms (median of several)', async () => {
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const started = performance.now();
      const response = await send(dev, { query: `{ pesantrenList(first: 100) { nodes { products(first: 100) { nodes { coverage(first: 100) { slug t${i}: slug } } } } } }` });
      times.push(performance.now() - started);
      expect(codeOf(response)).toBe('QUERY_TOO_COMPLEX');
    }
    expect(median(times)).toBeLessThan(50);
  });

  it('treats SQL and filter injection in every string argument of every public query as data: typed errors or results, nothing written', async () => {
    const all = probes();
    // Every query field with a string argument is probed, so a new one is covered without editing this test.
    expect(all.length).toBeGreaterThan(30);
    const before = await supergraph.rowCounts();
    const callers: Record<string, Record<string, string>> = {
      anonymous: {},
      admin: { authorization: `Bearer ${await tokenFor('programme_admin')}` },
      operator: { authorization: `Bearer ${await tokenFor('pesantren_operator', sidogiri.id)}` },
      // Reaches the statistics' filters; not academics:records, whose every read is audited (a write).
      researcher: { authorization: `Bearer ${await tokenFor('academic_partner', null, ['academics:aggregate'])}` },
    };
    const durations: number[] = [];
    for (const probe of all) {
      for (const payload of INJECTIONS) {
        for (const [who, headers] of Object.entries(callers)) {
          const started = performance.now();
          const response = await send(dev, { query: probe.query, variables: probe.variables(payload) }, headers);
          durations.push(performance.now() - started);
          expectTyped(response, `${probe.name} as ${who} with ${JSON.stringify(payload)}`);
        }
      }
    }
    // pg_sleep(5) never ran (with room for a slow moment of a loaded machine).
    expect(Math.max(...durations)).toBeLessThan(4_500);
    // Nothing written but the audit of the refused requests for santri records (every request for
    // records is audited, refused ones included; none of these callers may read them).
    const after = await supergraph.rowCounts();
    const audited = after['academics.santri_record_access']! - before['academics.santri_record_access']!;
    expect({ ...after, 'academics.santri_record_access': before['academics.santri_record_access'] }).toEqual(before);
    // One row per request that reached the academics service (the router refuses some payloads itself).
    const recordRequests = probes().filter((probe) => probe.name.startsWith('santriRecords')).length * Object.keys(callers).length;
    expect(audited).toBeGreaterThanOrEqual(recordRequests);
    expect(audited).toBeLessThanOrEqual(recordRequests * INJECTIONS.length);
  });

  it('keeps an operator out of another pesantren’s products: FORBIDDEN, and the row is unchanged', async () => {
    const sellerIds = new Set(world.sellers.filter((s) => s.pesantrenId !== sidogiri.id).map((s) => s.id));
    const foreign = world.products.find((p) => sellerIds.has(p.sellerId))!;
    const admin = { authorization: `Bearer ${await tokenFor('programme_admin')}` };
    const read = async () => (await postGraphQL(dev, `{ product(id: "${foreign.id}") { name { indonesian } priceRupiah stock curationStatus } }`, {}, admin)).data;
    const before = await read();
    expect(before).toBeTruthy();
    const operator = { authorization: `Bearer ${await tokenFor('pesantren_operator', sidogiri.id)}` };
    const writes = [
      `mutation { updateProduct(id: "${foreign.id}", input: { nameIndonesian: "Dibajak", priceRupiah: 1 }) { id } }`,
      `mutation { submitProductForCuration(id: "${foreign.id}") { id } }`,
    ];
    for (const write of writes) {
      const response = await send(dev, { query: write }, operator);
      expect(codeOf(response), write).toBe('FORBIDDEN');
      expect(response.body?.data ?? null).toBeNull();
    }
    expect(await read()).toEqual(before);
  });

  describe('partners of one organisation and another’s (issue 17)', () => {
    // A and B: JTV and TV9 (media: outlets and partners share their slugs), ITS and UNISMA (academic).
    const JTV = demoId('partner', 'jtv');
    const ITS = demoId('partner', 'its');
    const UNISMA = demoId('partner', 'unisma');
    const bearer = async (token: Promise<string>) => ({ authorization: `Bearer ${await token}` });
    const admin = () => bearer(tokenFor('programme_admin'));
    const adminDo = async <T>(query: string, variables: Record<string, unknown> = {}) => {
      const response = await postGraphQL<T>(dev, query, variables, await admin());
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return response.data!;
    };
    /** B's things A goes after: an API key of each kind, and an outlet key. */
    const foreign = async () => {
      const key = (input: Record<string, unknown>) =>
        adminDo<{ createApiKey: { apiKey: { id: string } } }>('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }', { input }).then((d) => d.createApiKey.apiKey.id);
      return {
        mediaKey: await key({ partnerSlug: 'tv9', name: 'TV9 situs', role: 'MEDIA_PARTNER' }),
        academicKey: await key({ partnerSlug: 'unisma', name: 'UNISMA riset', role: 'ACADEMIC_PARTNER', scopes: ['academics:aggregate'] }),
        outletKey: (await adminDo<{ outletKeys: { id: string }[] }>('{ outletKeys(outletSlug: "tv9") { id } }')).outletKeys[0]!.id,
      };
    };
    /** Every way a partner of A could read or change B's keys, statistics, placements and audit trail. */
    const attempts = (b: Awaited<ReturnType<typeof foreign>>): [string, string][] => [
      ['B’s API keys', '{ apiKeys(partnerSlug: "tv9", includeRevoked: true) { id prefix } }'],
      ['B’s API keys (academic)', '{ apiKeys(partnerSlug: "unisma", includeRevoked: true) { id prefix } }'],
      ['a key for B', 'mutation { createApiKey(input: { partnerSlug: "tv9", name: "Kunci curian", role: MEDIA_PARTNER }) { secret } }'],
      ['a key for B (academic)', 'mutation { createApiKey(input: { partnerSlug: "unisma", name: "Kunci curian", role: ACADEMIC_PARTNER, scopes: ["academics:aggregate"] }) { secret } }'],
      ['revoking B’s key', `mutation { revokeApiKey(id: "${b.mediaKey}", reason: "Bukan milik saya") { id } }`],
      ['revoking B’s key (academic)', `mutation { revokeApiKey(id: "${b.academicKey}", reason: "Bukan milik saya") { id } }`],
      ['B’s outlet keys', '{ outletKeys(outletSlug: "tv9") { id key } }'],
      ['an outlet key for B', 'mutation { createOutletKey(outletSlug: "tv9", label: "situs-curian.example") { key } }'],
      ['revoking B’s outlet key', `mutation { revokeOutletKey(id: "${b.outletKey}") { id } }`],
      ['B’s statistics', '{ widgetStats(outletSlug: "tv9", days: 366) { day views clicks } }'],
      ['B’s placements', '{ widgetPlacements(outletSlug: "tv9", first: 100) { id views } }'],
      ['every outlet’s placements', '{ widgetPlacements(first: 100) { id views } }'],
      ['B’s audit trail', `{ santriRecordAccessLog(first: 100, partnerId: "${UNISMA}") { nodes { id partnerId } } }`],
    ];

    it('a media or academic partner of A never reads or changes B’s keys, statistics, placements or audit trail: refused, nothing written', async () => {
      const b = await foreign();
      // Academic partner: the audit trail of B's record reads holds something to steal.
      await send(dev, { query: '{ santriRecords(purpose: RESEARCH, first: 1) { totalCount } }' }, await bearer(partnerTokenFor('academic_partner', UNISMA, ['academics:records'])));
      const before = await supergraph.rowCounts();
      const callers: [string, Record<string, string>][] = [
        ['media partner of JTV', await bearer(partnerTokenFor('media_partner', JTV, ['widgets:events']))],
        ['academic partner of ITS', await bearer(partnerTokenFor('academic_partner', ITS, ['academics:aggregate', 'academics:records']))],
      ];
      for (const [who, headers] of callers) {
        for (const [what, query] of attempts(b)) {
          const response = await send(dev, { query }, headers);
          // FORBIDDEN from the schema's rule (the other kind of partner) or from the ownership check.
          expect(codeOf(response), `${who}: ${what}`).toBe('FORBIDDEN');
          expect(response.body?.data ?? null, `${who}: ${what}`).toBeNull();
        }
      }
      expect(await supergraph.rowCounts()).toEqual(before);
      const keys = await adminDo<{ apiKeys: { id: string; revokedAt: string | null }[] }>('{ apiKeys(partnerSlug: "tv9") { id revokedAt } }');
      expect(keys.apiKeys.find((key) => key.id === b.mediaKey)?.revokedAt).toBeNull();
      const outletKeys = await adminDo<{ outletKeys: { id: string; revokedAt: string | null }[] }>('{ outletKeys(outletSlug: "tv9") { id revokedAt } }');
      expect(outletKeys.outletKeys.find((key) => key.id === b.outletKey)?.revokedAt).toBeNull();
    });

    it('lets each partner do the same for its own organisation', async () => {
      const media = await bearer(partnerTokenFor('media_partner', JTV, ['widgets:events']));
      const own = await send(
        dev,
        { query: '{ myPartner { slug } apiKeys(partnerSlug: "jtv") { id } outletKeys(outletSlug: "jtv") { key } widgetStats(outletSlug: "jtv") { day } widgetPlacements(outletSlug: "jtv", first: 5) { id outlet { slug } } }' },
        media,
      );
      expect(own.body?.errors).toBeUndefined();
      expect(own.body?.data).toMatchObject({ myPartner: { slug: 'jtv' }, outletKeys: [{ key: expect.stringMatching(/^opop_pk_/) }] });
      const academic = await bearer(partnerTokenFor('academic_partner', ITS, ['academics:records']));
      await send(dev, { query: '{ santriRecords(purpose: RESEARCH, first: 1) { totalCount } }' }, academic);
      const log = await send(dev, { query: '{ myPartner { slug } santriRecordAccessLog(first: 100) { nodes { partnerId } } }' }, academic);
      expect(log.body?.errors).toBeUndefined();
      const { myPartner, santriRecordAccessLog } = log.body!.data as { myPartner: { slug: string }; santriRecordAccessLog: { nodes: { partnerId: string }[] } };
      expect(myPartner.slug).toBe('its');
      expect(santriRecordAccessLog.nodes.length).toBeGreaterThan(0);
      expect(new Set(santriRecordAccessLog.nodes.map((entry) => entry.partnerId))).toEqual(new Set([ITS]));
    });

    it('holds for API keys too: the router names the key’s partner, and a key of A gets nothing of B', async () => {
      const b = await foreign();
      const keyOf = (partnerSlug: string, role: string, scopes: string[]) =>
        adminDo<{ createApiKey: { secret: string } }>('mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', {
          input: { partnerSlug, name: `Kunci ${partnerSlug}`, role, scopes },
        }).then((d) => d.createApiKey.secret);
      const before = await supergraph.rowCounts();
      for (const secret of [await keyOf('jtv', 'MEDIA_PARTNER', ['widgets:events']), await keyOf('its', 'ACADEMIC_PARTNER', ['academics:aggregate'])]) {
        const after = await supergraph.rowCounts();
        for (const [what, query] of attempts(b)) {
          const response = await send(dev, { query }, { 'x-api-key': secret });
          expect(codeOf(response), what).toBe('FORBIDDEN');
          expect(response.body?.data ?? null, what).toBeNull();
        }
        // Nothing written but the key itself (and its last use).
        expect(await supergraph.rowCounts()).toEqual(after);
      }
      expect((await supergraph.rowCounts())['partners.api_key']).toBe(before['partners.api_key']! + 2);
    });
  });

  it('refuses direct calls to a subgraph without an identity the router signed (401)', async () => {
    const before = await supergraph.rowCounts();
    const forged = await signForwardedIdentity({ role: 'programme_admin', subject: 'mallory', pesantrenId: null, scopes: [] }, 'a-different-secret-of-thirty-two-chars!');
    const accessToken = await issueAccessToken({ role: 'programme_admin', subject: 'mallory', pesantrenId: null, scopes: [] }, TEST_ACCESS_TOKEN_SECRET);
    for (const name of SUBGRAPH_NAMES) {
      const url = supergraph.urls[name];
      const unsigned = await postGraphQL(url, '{ __typename }', {}, {}, { signedAnonymous: false });
      expect([unsigned.status, unsigned.errors?.[0]?.extensions?.['code']], name).toEqual([401, 'UNAUTHENTICATED']);
      for (const token of [forged, accessToken, 'not-a-jwt']) {
        const response = await postGraphQL(url, '{ __typename }', {}, { [IDENTITY_HEADER]: token });
        expect([response.status, response.errors?.[0]?.extensions?.['code']], name).toEqual([401, 'UNAUTHENTICATED']);
      }
      // The same request through the router is fine: it signs an identity even for anonymous callers.
      expect((await postGraphQL(url, '{ __typename }')).data, name).toEqual({ __typename: 'Query' });
    }
    // Nor does a client's own identity header get through the router: it signs the caller it verified.
    const smuggled = await send(dev, { query: 'mutation { recordAgreement(input: { region: { name: "X", kind: CITY, provinceName: "Y" }, signedOn: "2024-01-01" }) { id } }' }, {
      [IDENTITY_HEADER]: await signForwardedIdentity({ role: 'programme_admin', subject: 'smuggled', pesantrenId: null, scopes: [] }, TEST_IDENTITY_SECRET),
    });
    expect(codeOf(smuggled)).toBe('UNAUTHENTICATED');
    const write = await postGraphQL(supergraph.urls.partners, 'mutation { recordInnovationView(visitorId: "direct") { views } }', {}, {}, { signedAnonymous: false });
    expect(write.status).toBe(401);
    expect(await supergraph.rowCounts()).toEqual(before);
  });

  it('lets anonymous callers in production run published operations by hash, and nothing else', async () => {
    const byHash = await send(production, { extensions: { persistedQuery: { version: 1, sha256Hash: regenciesHash } } });
    expect(byHash.status).toBe(200);
    expect((byHash.body?.data as { regencies: unknown[] }).regencies).toHaveLength(38);
    const own = await send(production, { query: '{ regencies { code } }' });
    expect(codeOf(own)).toBe('PERSISTED_QUERY_REQUIRED');
  });

  describe('API keys, created and revoked through the partners subgraph', () => {
    const admin = async () => ({ authorization: `Bearer ${await tokenFor('programme_admin')}` });
    const STATS = '{ enrolmentStats(groupBy: [GENDER]) { total } }';
    const create = async (role: 'ACADEMIC_PARTNER' | 'MEDIA_PARTNER', scopes: string[], allowedOrigins: string[]) => {
      const kind = role === 'ACADEMIC_PARTNER' ? 'ACADEMIA' : 'MEDIA';
      const partners = await postGraphQL<{ partners: { slug: string }[] }>(dev, `{ partners(role: ${kind}) { slug } }`);
      const response = await postGraphQL<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
        dev,
        'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }',
        { input: { partnerSlug: partners.data!.partners[0]!.slug, name: `Router test ${role}`, role, scopes, allowedOrigins } },
        await admin(),
      );
      expect(response.errors).toBeUndefined();
      return response.data!.createApiKey;
    };

    it('carries a key’s partner identity to the subgraphs, and lets it run its own operations', async () => {
      const key = await create('ACADEMIC_PARTNER', ['academics:aggregate'], []);
      const keyed = await send(production, { query: STATS }, { 'x-api-key': key.secret });
      expect(keyed.body?.errors).toBeUndefined();
      expect((keyed.body?.data as { enrolmentStats: { total: number } }).enrolmentStats.total).toBeGreaterThan(0);
      // Anonymous callers get neither the operation nor the data.
      expect(codeOf(await send(production, { query: STATS }))).toBe('PERSISTED_QUERY_REQUIRED');
      expect(codeOf(await send(dev, { query: STATS }))).toBe('UNAUTHENTICATED');
    });

    it('answers unknown and revoked keys with 401', async () => {
      const unknown = await send(production, { query: STATS }, { 'x-api-key': 'opk_live_00000000_notakeyatall' });
      expect([unknown.status, codeOf(unknown)]).toEqual([401, 'UNAUTHENTICATED']);
      const key = await create('ACADEMIC_PARTNER', ['academics:aggregate'], []);
      expect((await send(production, { query: STATS }, { 'x-api-key': key.secret })).status).toBe(200);
      const revoked = await postGraphQL(dev, `mutation { revokeApiKey(id: "${key.apiKey.id}", reason: "Kunci bocor di repositori publik") { revokedAt } }`, {}, await admin());
      expect(revoked.errors).toBeUndefined();
      // Within the positive TTL (0.2 s here, 30 s by default) the router may still accept it.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const after = await send(production, { query: STATS }, { 'x-api-key': key.secret });
      expect([after.status, codeOf(after)]).toEqual([401, 'UNAUTHENTICATED']);
    });

    it('refuses a key bound to an origin when a browser sends it from another (403)', async () => {
      const key = await create('MEDIA_PARTNER', [], ['https://www.jtv.co.id']);
      const query = '{ __typename }';
      const foreign = await send(production, { query }, { 'x-api-key': key.secret, origin: 'https://evil.example' });
      expect([foreign.status, codeOf(foreign)]).toEqual([403, 'FORBIDDEN']);
      expect((await send(production, { query }, { 'x-api-key': key.secret, origin: 'https://www.jtv.co.id' })).body).toEqual({ data: { __typename: 'Query' } });
    });
  });
});
