import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { SERVICE_ROLE, type Identity } from '@opop/server-kit';
import { adminIdentity, countQueries, identityHeaders, operatorIdentity, testEngines } from '@opop/server-kit/testing';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { Kind, print, type ConstDirectiveNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPartnersService } from '../src/app.ts';
import { typeDefs } from '../src/index.ts';
import { ApiKey } from '../src/modules/api-key/api-key.entity.ts';
import { createApiKeyInput } from '../src/modules/api-key/api-key.input.ts';
import { MAX_ACTIVE_API_KEYS } from '../src/modules/api-key/api-key.service.ts';
import { generateKey, prefixOf } from '../src/modules/api-key/api-key.secret.ts';
import { Partner } from '../src/modules/partner/partner.entity.ts';

const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { secret apiKey { id name role scopes allowedOrigins prefix createdBy revokedAt lastUsedAt partner { slug role } } }
}`;
const LIST = `query($slug: String!, $all: Boolean! = false) {
  apiKeys(partnerSlug: $slug, includeRevoked: $all) { id name prefix revokedAt revokedBy revocationReason lastUsedAt }
}`;
const REVOKE = `mutation($id: ID!, $reason: String!) { revokeApiKey(id: $id, reason: $reason) { id revokedAt revokedBy revocationReason } }`;
/** Exactly what the router sends: see the partners subgraph's schema, `Query.apiKeyIdentity`. */
const LOOKUP = `query ApiKeyIdentity($secret: String!) {
  apiKeyIdentity(secret: $secret) { keyId partnerId partnerSlug role scopes allowedOrigins }
}`;

const KEY_FORMAT = /^opk_live_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$/;
const JTV = { partnerSlug: 'jtv', name: 'JTV widgets', role: 'MEDIA_PARTNER', scopes: ['widgets:events'], allowedOrigins: ['https://www.jtv.co.id'] };
const ITS = { partnerSlug: 'its', name: 'ITS research', role: 'ACADEMIC_PARTNER', scopes: ['academics:aggregate'], allowedOrigins: [] };

const serviceIdentity: Identity = { role: SERVICE_ROLE, subject: 'router', pesantrenId: null, scopes: [] };
const partnerIdentity = (role: 'media_partner' | 'academic_partner', partnerId: string | null = null, scopes: string[] = []): Identity => ({
  role,
  subject: `test-${role}`,
  pesantrenId: null,
  scopes,
  partnerId,
});

type Created = { createApiKey: { secret: string; apiKey: { id: string; prefix: string; [field: string]: unknown } } };
type Listed = { apiKeys: { id: string; prefix: string; revokedAt: string | null; revokedBy: string | null; revocationReason: string | null; lastUsedAt: string | null }[] };
type Looked = { apiKeyIdentity: { keyId: string; partnerId: string; partnerSlug: string; role: string; scopes: string[]; allowedOrigins: string[] } | null };


describe('API key format and input (no database)', () => {
  it('makes keys of 256 random bits behind a public prefix, and recognises only that shape', () => {
    const { prefix, secret, secretHash } = generateKey();
    expect(secret).toMatch(KEY_FORMAT);
    expect(secret.startsWith(`${prefix}_`)).toBe(true);
    expect(Buffer.from(secret.slice(prefix.length + 1), 'base64url')).toHaveLength(32);
    expect(secretHash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(prefixOf(secret)).toBe(prefix);
    for (const notAKey of ['', 'opk_live_ab12cd34', `${secret}x`, secret.replace('opk_live_', 'opk_test_'), `${secret}${'a'.repeat(100)}`]) {
      expect(prefixOf(notAKey), notAKey).toBeUndefined();
    }
  });

  it('takes origins only exactly as browsers send them', () => {
    const origins = (allowedOrigins: string[]) => createApiKeyInput.safeParse({ ...JTV, allowedOrigins });
    for (const good of ['https://www.jtv.co.id', 'https://jtv.co.id:8443', 'http://localhost:4321', 'http://127.0.0.1:8080']) {
      expect(origins([good]).success, good).toBe(true);
    }
    for (const bad of ['https://www.jtv.co.id/', 'https://www.jtv.co.id/berita', 'https://WWW.jtv.co.id', 'https://www.jtv.co.id:443', 'http://www.jtv.co.id', 'www.jtv.co.id', '*', 'null', 'https://*.jtv.co.id', 'javascript:alert(1)']) {
      const result = origins([bad]);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues[0]?.path, bad).toEqual(['allowedOrigins', 0]);
    }
    expect(origins(['https://WWW.jtv.co.id']).error?.issues[0]?.message).toContain('https://www.jtv.co.id');
  });
});

describe.each(testEngines())('API keys on $name', (engine) => {
  const subgraph = useTestSubgraph('partners', engine, { create: (config) => createPartnersService(config) });
  const { gql } = subgraph;
  let admin: Record<string, string>;
  let router: Record<string, string>;
  const keyRows = () => subgraph.service.database.fork().count(ApiKey, {});
  const create = async (input: Record<string, unknown>) => {
    const response = await gql<Created>(CREATE, { input }, admin);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.createApiKey;
  };
  const lookUp = async (secret: string, headers = router) => {
    const response = await gql<Looked>(LOOKUP, { secret }, headers);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.apiKeyIdentity;
  };
  /** The row as PostgreSQL holds it, read with plain SQL rather than through the entity. */
  const row = async (id: string) => {
    const { database } = subgraph.service;
    const rows = await database.fork().getConnection().execute<Record<string, unknown>[]>(`select * from "${database.schema}"."api_key" where id = ?`, [id]);
    return rows[0]!;
  };

  beforeAll(async () => {
    admin = await identityHeaders(adminIdentity());
    router = await identityHeaders(serviceIdentity);
  });

  describe.skipIf(Boolean(engine.skip))('creating and listing', () => {
    it('shows the key once, in the answer to createApiKey, and stores only its SHA-256', async () => {
      const { secret, apiKey } = await create(JTV);
      expect(secret).toMatch(KEY_FORMAT);
      expect(secret.startsWith(`${apiKey.prefix}_`)).toBe(true);
      expect(apiKey).toMatchObject({
        name: 'JTV widgets',
        role: 'MEDIA_PARTNER',
        scopes: ['widgets:events'],
        allowedOrigins: ['https://www.jtv.co.id'],
        createdBy: 'test-admin',
        revokedAt: null,
        lastUsedAt: null,
        partner: { slug: 'jtv', role: 'MEDIA' },
      });

      const stored = await row(apiKey.id);
      expect(stored['secret_hash']).toBe(createHash('sha256').update(secret).digest('hex'));
      const random = secret.slice(apiKey.prefix.length + 1);
      for (const value of Object.values(stored)) {
        expect(String(value)).not.toContain(random);
      }

      const listed = await gql<Listed>(LIST, { slug: 'jtv' }, admin);
      expect(listed.data?.apiKeys.map((k) => k.prefix)).toContain(apiKey.prefix);
      expect(JSON.stringify(listed)).not.toContain(random);
      expect(JSON.stringify(listed)).not.toContain(stored['secret_hash']);
    });

    it('offers no field through which a key or its hash could be read back', async () => {
      const { data } = await gql<{ __type: { fields: { name: string }[] } }>('{ __type(name: "ApiKey") { fields { name } } }');
      const fields = data!.__type.fields.map((f) => f.name);
      expect(fields).toContain('prefix');
      expect(fields.filter((name) => /secret|hash|key$/i.test(name))).toEqual([]);
    });

    it('lists a partner’s keys newest first, revoked ones only when asked', async () => {
      const first = await create({ ...ITS, name: 'ITS dashboard' });
      const second = await create({ ...ITS, name: 'ITS notebook', scopes: ['academics:aggregate', 'academics:records'] });
      await gql(REVOKE, { id: first.apiKey.id, reason: 'replaced by the notebook key' }, admin);
      const active = await gql<Listed>(LIST, { slug: 'its' }, admin);
      expect(active.data?.apiKeys.map((k) => k.id)).toEqual([second.apiKey.id]);
      const all = await gql<Listed>(LIST, { slug: 'its', all: true }, admin);
      expect(all.data?.apiKeys.map((k) => k.id)).toEqual([second.apiKey.id, first.apiKey.id]);
      expect(all.data?.apiKeys[1]).toMatchObject({ revokedBy: 'test-admin', revocationReason: 'replaced by the notebook key' });
      expectError(await gql(LIST, { slug: 'no-such-partner' }, admin), 'BAD_USER_INPUT', 'partnerSlug');
    });
  });

  describe.skipIf(Boolean(engine.skip))('the router’s lookup', () => {
    it('tells the service who holds a key, and records its use at most once an hour', async () => {
      const { secret, apiKey } = await create(JTV);
      const jtv = await subgraph.service.database.fork().findOneOrFail(Partner, { slug: 'jtv' });
      expect(await lookUp(secret)).toEqual({
        keyId: apiKey.id,
        partnerId: jtv.id,
        partnerSlug: 'jtv',
        role: 'media_partner',
        scopes: ['widgets:events'],
        allowedOrigins: ['https://www.jtv.co.id'],
      });
      const used = (await row(apiKey.id))['last_used_at'];
      expect(used).not.toBeNull();

      const { queries } = await countQueries(subgraph.service.database, () => lookUp(secret));
      expect(queries.filter((sql) => /^\s*update/i.test(sql))).toEqual([]);
      expect((await row(apiKey.id))['last_used_at']).toEqual(used);
    });

    it('answers null for a revoked key, a wrong key with a real prefix, and things that are not keys', async () => {
      const { secret, apiKey } = await create({ ...ITS, name: 'ITS to revoke' });
      expect(await lookUp(secret)).toMatchObject({ keyId: apiKey.id, role: 'academic_partner', allowedOrigins: [] });

      const last = secret.at(-1) === 'A' ? 'B' : 'A';
      expect(await lookUp(`${secret.slice(0, -1)}${last}`)).toBeNull();
      expect(await lookUp(`${apiKey.prefix}_${generateKey().secret.slice(-43)}`)).toBeNull();
      for (const notAKey of ['', 'opk_live_00000000', generateKey().secret, "opk_live_'; drop table api_key; --", 'x'.repeat(100_000)]) {
        expect(await lookUp(notAKey)).toBeNull();
      }

      const revoked = await gql<{ revokeApiKey: { revokedAt: string | null; revokedBy: string; revocationReason: string } }>(REVOKE, { id: apiKey.id, reason: 'the laptop was stolen' }, admin);
      expect(revoked.data?.revokeApiKey).toMatchObject({ revokedBy: 'test-admin', revocationReason: 'the laptop was stolen' });
      expect(await lookUp(secret)).toBeNull();

      // Revoking again changes nothing: the first revocation stands.
      const again = await gql<{ revokeApiKey: { revokedAt: string; revocationReason: string } }>(REVOKE, { id: apiKey.id, reason: 'second thoughts' }, admin);
      expect(again.data?.revokeApiKey).toEqual({ ...revoked.data?.revokeApiKey, id: apiKey.id });
    });

    it('refuses a key whose partner no longer has the Pentahelix role the key needs', async () => {
      const { secret } = await create({ ...ITS, partnerSlug: 'unisma', name: 'UNISMA' });
      const em = subgraph.service.database.fork();
      await em.nativeUpdate(Partner, { slug: 'unisma' }, { role: 'BUSINESS' });
      try {
        expect(await lookUp(secret)).toBeNull();
      } finally {
        await em.nativeUpdate(Partner, { slug: 'unisma' }, { role: 'ACADEMIA' });
      }
      expect(await lookUp(secret)).not.toBeNull();
    });

    it('answers the service only: anonymous callers, admins and partners are refused', async () => {
      const { secret } = await create(JTV);
      expectError(await gql(LOOKUP, { secret }), 'UNAUTHENTICATED');
      for (const identity of [adminIdentity(), partnerIdentity('media_partner'), partnerIdentity('academic_partner')]) {
        const response = await gql<Looked>(LOOKUP, { secret }, await identityHeaders(identity));
        expectError(response, 'FORBIDDEN');
        expect(response.data?.apiKeyIdentity ?? null).toBeNull();
      }
    });
  });

  describe.skipIf(Boolean(engine.skip))('who may manage keys', () => {
    it('lets no partner without a partner of its own, nor anyone else, create, revoke or list keys', async () => {
      const { apiKey } = await create(JTV);
      const before = await keyRows();
      const callers: [Record<string, string>, string][] = [[{}, 'UNAUTHENTICATED']];
      for (const identity of [partnerIdentity('media_partner'), partnerIdentity('academic_partner'), operatorIdentity('4ab8ca41-0fa5-4b37-9f50-1ad6f5b40e6a'), serviceIdentity]) {
        callers.push([await identityHeaders(identity), 'FORBIDDEN']);
      }
      for (const [headers, code] of callers) {
        expectError(await gql(CREATE, { input: JTV }, headers), code);
        expectError(await gql(REVOKE, { id: apiKey.id, reason: 'not yours to revoke' }, headers), code);
        expectError(await gql(LIST, { slug: 'jtv' }, headers), code);
      }
      expect(await keyRows()).toBe(before);
      expect((await row(apiKey.id))['revoked_at']).toBeNull();
    });
  });

  describe.skipIf(Boolean(engine.skip))('partners managing their own keys', () => {
    /** Partner ids as the partners subgraph holds them (reference data of the migrations). */
    const idOf = async (slug: string) => (await subgraph.service.database.fork().findOneOrFail(Partner, { slug })).id;
    const as = async (identity: Identity) => identityHeaders(identity);
    type Mine = { myPartner: { id: string; slug: string; role: string } | null };
    const MINE = '{ myPartner { id slug role } }';

    it('tells a partner which partner it acts for, and null when its credential names none', async () => {
      const jtv = await idOf('jtv');
      const its = await idOf('its');
      expect((await gql<Mine>(MINE, {}, await as(partnerIdentity('media_partner', jtv)))).data?.myPartner).toEqual({ id: jtv, slug: 'jtv', role: 'MEDIA' });
      expect((await gql<Mine>(MINE, {}, await as(partnerIdentity('academic_partner', its)))).data?.myPartner).toEqual({ id: its, slug: 'its', role: 'ACADEMIA' });
      const none = await gql<Mine>(MINE, {}, await as(partnerIdentity('media_partner')));
      expect(none.errors).toBeUndefined();
      expect(none.data?.myPartner).toBeNull();
      expectError(await gql(MINE, {}, admin), 'FORBIDDEN');
      expectError(await gql(MINE), 'UNAUTHENTICATED');
    });

    it('lets an academic partner list, create and revoke its own keys, with its own role and scopes', async () => {
      const its = await idOf('its');
      const me = await as(partnerIdentity('academic_partner', its, ['academics:aggregate', 'academics:records']));
      const made = await gql<Created>(CREATE, { input: { ...ITS, name: 'ITS own notebook', scopes: ['academics:aggregate', 'academics:records'] } }, me);
      expect(made.errors, JSON.stringify(made.errors)).toBeUndefined();
      const { apiKey, secret } = made.data!.createApiKey;
      expect(secret).toMatch(KEY_FORMAT);
      expect(apiKey).toMatchObject({ role: 'ACADEMIC_PARTNER', scopes: ['academics:aggregate', 'academics:records'], createdBy: 'test-academic_partner', partner: { slug: 'its' } });
      expect(await lookUp(secret)).toMatchObject({ keyId: apiKey.id, partnerId: its, role: 'academic_partner' });

      const listed = await gql<Listed>(LIST, { slug: 'its' }, me);
      expect(listed.errors).toBeUndefined();
      expect(listed.data!.apiKeys.map((key) => key.id)).toContain(apiKey.id);

      const revoked = await gql<{ revokeApiKey: { id: string; revokedAt: string | null; revokedBy: string } }>(REVOKE, { id: apiKey.id, reason: 'notebook retired' }, me);
      expect(revoked.errors).toBeUndefined();
      expect(revoked.data!.revokeApiKey).toMatchObject({ id: apiKey.id, revokedBy: 'test-academic_partner' });
      expect(revoked.data!.revokeApiKey.revokedAt).not.toBeNull();
      expect(await lookUp(secret)).toBeNull();
      expect((await gql<Listed>(LIST, { slug: 'its', all: true }, me)).data!.apiKeys.find((key) => key.id === apiKey.id)?.revokedAt).not.toBeNull();
    });

    it('lets a media partner manage its own MEDIA_PARTNER keys', async () => {
      const me = await as(partnerIdentity('media_partner', await idOf('jtv'), ['widgets:events']));
      const made = await gql<Created>(CREATE, { input: { ...JTV, name: 'JTV own site' } }, me);
      expect(made.errors, JSON.stringify(made.errors)).toBeUndefined();
      expect(made.data!.createApiKey.apiKey).toMatchObject({ role: 'MEDIA_PARTNER', scopes: ['widgets:events'], partner: { slug: 'jtv' } });
      const id = made.data!.createApiKey.apiKey.id;
      expect((await gql<Listed>(LIST, { slug: 'jtv' }, me)).data!.apiKeys.map((key) => key.id)).toContain(id);
      expect((await gql(REVOKE, { id, reason: 'site moved' }, me)).errors).toBeUndefined();
      expect((await row(id))['revoked_by']).toBe('test-media_partner');
    });

    it("refuses another partner's keys: FORBIDDEN to list, create and revoke, and nothing written", async () => {
      const { apiKey: unismaKey } = await create({ ...ITS, partnerSlug: 'unisma', name: 'UNISMA key' });
      const { apiKey: tv9Key } = await create({ ...JTV, partnerSlug: 'tv9', name: 'TV9 key', allowedOrigins: [] });
      const cases: [Identity, string, Record<string, unknown>, string][] = [
        [partnerIdentity('academic_partner', await idOf('its'), ['academics:aggregate']), 'unisma', { ...ITS, partnerSlug: 'unisma' }, unismaKey.id],
        [partnerIdentity('media_partner', await idOf('jtv'), ['widgets:events']), 'tv9', { ...JTV, partnerSlug: 'tv9', allowedOrigins: [] }, tv9Key.id],
        // A media partner going after an academic partner's keys, and the other way round.
        [partnerIdentity('media_partner', await idOf('jtv'), ['widgets:events']), 'unisma', { ...ITS, partnerSlug: 'unisma' }, unismaKey.id],
        [partnerIdentity('academic_partner', await idOf('its'), ['academics:aggregate']), 'tv9', { ...JTV, partnerSlug: 'tv9', allowedOrigins: [] }, tv9Key.id],
      ];
      const before = await keyRows();
      for (const [identity, slug, input, keyId] of cases) {
        const headers = await as(identity);
        const listed = await gql<Listed>(LIST, { slug, all: true }, headers);
        expectError(listed, 'FORBIDDEN');
        expect(listed.data?.apiKeys ?? null).toBeNull();
        expectError(await gql(CREATE, { input }, headers), 'FORBIDDEN');
        expectError(await gql(REVOKE, { id: keyId, reason: 'not mine to revoke' }, headers), 'FORBIDDEN');
      }
      expect(await keyRows()).toBe(before);
      for (const id of [unismaKey.id, tv9Key.id]) expect((await row(id))['revoked_at']).toBeNull();
    });

    it('refuses a key with more than the partner holds, or of another role, naming the field, and writes nothing', async () => {
      const its = await idOf('its');
      const jtv = await idOf('jtv');
      const before = await keyRows();
      const cases: [Identity, Record<string, unknown>, string][] = [
        // Escalation: the records scope (audited, consent-bound) the person was never given.
        [partnerIdentity('academic_partner', its, ['academics:aggregate']), { ...ITS, scopes: ['academics:aggregate', 'academics:records'] }, 'input.scopes'],
        [partnerIdentity('academic_partner', its), { ...ITS, scopes: ['academics:aggregate'] }, 'input.scopes'],
        [partnerIdentity('media_partner', jtv), JTV, 'input.scopes'],
        // Another role than the caller's own, even one its partner's kind would not allow anyway.
        [partnerIdentity('academic_partner', its, ['academics:aggregate']), { ...ITS, role: 'MEDIA_PARTNER', scopes: [] }, 'input.role'],
        [partnerIdentity('media_partner', jtv, ['widgets:events']), { ...JTV, role: 'ACADEMIC_PARTNER', scopes: [] }, 'input.role'],
      ];
      for (const [identity, input, field] of cases) expectError(await gql(CREATE, { input }, await as(identity)), 'FORBIDDEN', field);
      expect(await keyRows()).toBe(before);
      // Within its credential, the same partner is served.
      const fine = await gql<Created>(CREATE, { input: { ...ITS, name: 'ITS aggregate only' } }, await as(partnerIdentity('academic_partner', its, ['academics:aggregate'])));
      expect(fine.errors, JSON.stringify(fine.errors)).toBeUndefined();
    });

    it('lets no API key make or revoke keys, even of its own partner', async () => {
      const its = await idOf('its');
      const { apiKey } = await create({ ...ITS, name: 'ITS kept' });
      const key: Identity = { ...partnerIdentity('academic_partner', its, ['academics:aggregate']), subject: `apikey:${apiKey.id}` };
      const before = await keyRows();
      expectError(await gql(CREATE, { input: { ...ITS, name: 'Minted by a key' } }, await as(key)), 'FORBIDDEN');
      expectError(await gql(REVOKE, { id: apiKey.id, reason: 'revoked by a key' }, await as(key)), 'FORBIDDEN');
      expect(await keyRows()).toBe(before);
      expect((await row(apiKey.id))['revoked_at']).toBeNull();
      // Reading the list does no harm: no secret is in it.
      expect((await gql(LIST, { slug: 'its' }, await as(key))).errors).toBeUndefined();
    });

    it(`keeps at most ${MAX_ACTIVE_API_KEYS} active keys per partner (CONFLICT), counting only active ones`, async () => {
      const em = subgraph.service.database.fork();
      const radar = await em.findOneOrFail(Partner, { slug: 'radar96' });
      const active = await em.count(ApiKey, { partner: radar, revokedAt: null });
      for (let i = active; i < MAX_ACTIVE_API_KEYS; i++) {
        em.create(ApiKey, { partner: radar, name: `Radar ${i}`, role: 'media_partner', scopes: [], allowedOrigins: [], prefix: generateKey().prefix, secretHash: 'x'.repeat(64), createdBy: 'seed', revokedAt: null, revokedBy: null, revocationReason: null, lastUsedAt: null });
      }
      await em.flush();
      const me = await as(partnerIdentity('media_partner', radar.id, ['widgets:events']));
      const before = await keyRows();
      expectError(await gql(CREATE, { input: { ...JTV, partnerSlug: 'radar96', allowedOrigins: [] } }, me), 'CONFLICT');
      expectError(await gql(CREATE, { input: { ...JTV, partnerSlug: 'radar96', allowedOrigins: [] } }, admin), 'CONFLICT');
      expect(await keyRows()).toBe(before);
      const [oldest] = await gql<Listed>(LIST, { slug: 'radar96' }, me).then((r) => r.data!.apiKeys.slice(-1));
      expect((await gql(REVOKE, { id: oldest!.id, reason: 'making room' }, me)).errors).toBeUndefined();
      expect((await gql(CREATE, { input: { ...JTV, partnerSlug: 'radar96', allowedOrigins: [] } }, me)).errors).toBeUndefined();
    });
  });

  describe.skipIf(Boolean(engine.skip))('bad input', () => {
    it('names the field and writes nothing', async () => {
      const before = await keyRows();
      const cases: [Record<string, unknown>, string][] = [
        [{ ...JTV, partnerSlug: 'no-such-partner' }, 'input.partnerSlug'],
        [{ ...JTV, name: ' ' }, 'input.name'],
        [{ ...JTV, scopes: ['admin:everything'] }, 'input.scopes.0'],
        [{ ...JTV, scopes: ['widgets:events', 'academics:records'] }, 'input.scopes.1'],
        [{ ...ITS, scopes: ['widgets:events'] }, 'input.scopes.0'],
        [{ ...JTV, scopes: ['orders:read'] }, 'input.scopes.0'],
        [{ ...JTV, allowedOrigins: ['https://www.jtv.co.id', 'https://www.jtv.co.id/'] }, 'input.allowedOrigins.1'],
        [{ ...JTV, allowedOrigins: ['http://www.jtv.co.id'] }, 'input.allowedOrigins.0'],
        [{ ...JTV, allowedOrigins: ['not an origin'] }, 'input.allowedOrigins.0'],
        [{ ...JTV, allowedOrigins: Array.from({ length: 21 }, (_, i) => `https://site${i}.example`) }, 'input.allowedOrigins'],
        // A media key for a university, an academic key for a television station, any key for a bank.
        [{ ...JTV, partnerSlug: 'its' }, 'input.role'],
        [{ ...ITS, partnerSlug: 'jtv' }, 'input.role'],
        [{ ...ITS, partnerSlug: 'bank-indonesia' }, 'input.role'],
      ];
      for (const [input, field] of cases) {
        expectError(await gql(CREATE, { input }, admin), 'BAD_USER_INPUT', field);
      }
      // An unknown role never reaches the resolver: GraphQL refuses it against the enum.
      expectError(await gql(CREATE, { input: { ...JTV, role: 'PROGRAMME_ADMIN' } }, admin), 'BAD_USER_INPUT');
      expect(await keyRows()).toBe(before);

      expectError(await gql(REVOKE, { id: 'not-an-id', reason: 'because' }, admin), 'BAD_USER_INPUT', 'id');
      expectError(await gql(REVOKE, { id: '4ab8ca41-0fa5-4b37-9f50-1ad6f5b40e6a', reason: 'because' }, admin), 'NOT_FOUND');
      const { apiKey } = await create(JTV);
      expectError(await gql(REVOKE, { id: apiKey.id, reason: ' ' }, admin), 'BAD_USER_INPUT', 'reason');
      expect((await row(apiKey.id))['revoked_at']).toBeNull();
    });
  });
});

describe('the lookup stays out of the public API', () => {
  const read = (path: string) => readFile(new URL(`../../../schema/${path}`, import.meta.url), 'utf8');

  it('is in the supergraph, marked @inaccessible, and absent from the API schema clients see', async () => {
    const [supergraph, api] = await Promise.all([read('supergraph.graphql'), read('api.graphql')]);
    expect(supergraph).toMatch(/apiKeyIdentity\(secret: String!\): ApiKeyIdentity @inaccessible/);
    expect(api).not.toMatch(/apiKeyIdentity|ApiKeyIdentity/);
    expect(api).toMatch(/createApiKey\(input: CreateApiKeyInput!\): CreatedApiKey!/);
  });
});

describe('the access the schema declares for API keys', () => {
  /** `Type.field` (or `Type`) → its directives as written, e.g. `@policy(policies: [["service"]])`. */
  const declared = new Map<string, string[]>();
  const printed = (directives: readonly ConstDirectiveNode[] | undefined) => (directives ?? []).map((d) => print(d));
  for (const definition of typeDefs.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    declared.set(definition.name.value, printed(definition.directives));
    for (const field of definition.fields ?? []) declared.set(`${definition.name.value}.${field.name.value}`, printed(field.directives));
  }
  const ADMINS_AND_PARTNERS = '@policy(policies: [["programme_admin"], ["media_partner"], ["academic_partner"]])';
  const SERVICE = '@policy(policies: [["service"]])';

  it('keeps keys to programme admins and partners (their own, checked by the resolvers) and the lookup to the router, hidden', () => {
    for (const coordinate of ['Query.apiKeys', 'Mutation.createApiKey', 'Mutation.revokeApiKey', 'ApiKey', 'CreatedApiKey']) {
      expect(declared.get(coordinate), coordinate).toContain(ADMINS_AND_PARTNERS);
    }
    expect(declared.get('Query.myPartner')).toContain('@policy(policies: [["media_partner"], ["academic_partner"]])');
    for (const coordinate of ['Query.apiKeyIdentity', 'ApiKeyIdentity']) {
      expect(declared.get(coordinate), coordinate).toEqual(expect.arrayContaining(['@inaccessible', SERVICE]));
    }
  });
});
