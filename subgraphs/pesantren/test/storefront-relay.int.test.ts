import { generateWorld } from '@opop/demo-data';
import { adminIdentity, fakeStorefront, identityHeaders, operatorIdentity, testEngines } from '@opop/server-kit/testing';
import { useTestSubgraph } from '@opop/server-kit/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPesantren } from '../seeders/pesantren.seeder.ts';
import { createPesantrenService } from '../src/app.ts';
import { loadPesantrenConfig } from '../src/config.ts';
import { PublishCursor, PublishOutboxEvent } from '../src/modules/publishing/publish-outbox.entity.ts';
import { RELAY_CURSOR } from '../src/modules/publishing/storefront-feed.ts';

const world = generateWorld('demo');
const SECRET = 'storefront-publish-secret-for-tests-0123456789';
const [first, second, third] = world.pesantren;

/**
 * The pesantren subgraph's side of incremental publishing: a pesantren registered or edited
 * through the API is told to the storefront, signed, once its transaction commits; a refused edit
 * tells it nothing; a storefront that is down gets the change later, with nothing lost.
 */
describe.each(testEngines())('the pesantren storefront relay on $name', (engine) => {
  let storefront: Awaited<ReturnType<typeof fakeStorefront>>;
  beforeAll(async () => {
    storefront = await fakeStorefront(SECRET);
  });
  afterAll(() => storefront?.close());

  const subgraph = useTestSubgraph('pesantren', engine, {
    create: (config) => createPesantrenService({ ...config, storefrontPublish: { url: storefront.url, secret: SECRET } }),
    seed: (em) => loadPesantren(em, world),
  });
  const edit = async (id: string, input: Record<string, unknown>, identity = adminIdentity()) =>
    subgraph.gql<{ updatePesantren: { id: string } }>('mutation($id: ID!, $input: UpdatePesantrenInput!) { updatePesantren(id: $id, input: $input) { id } }', { id, input }, await identityHeaders(identity));

  it.skipIf(Boolean(engine.skip))('starts after the seeded data, then tells the storefront of an operator\'s profile edit, signed', async () => {
    // The seed replaced the data after the relay started; it takes its place at the outbox's end (the full build shows the seed).
    const until = Date.now() + 20_000;
    while (!(await subgraph.service.database.fork().findOne(PublishCursor, { name: RELAY_CURSOR }))) {
      if (Date.now() > until) throw new Error('the relay took no place in the outbox');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(storefront.received.filter((entry) => (entry.body['pesantren'] ?? []).length > 10)).toEqual([]);
    const result = await edit(first!.id, { address: 'Jl. Raya Pesantren No. 1, Desa Contoh' }, operatorIdentity(first!.id));
    expect(result.errors).toBeUndefined();
    await storefront.waitFor(() => storefront.told('pesantren', first!.id));
    expect(storefront.received.every((entry) => entry.signed)).toBe(true);
    expect(storefront.received.find((entry) => entry.body['pesantren']?.includes(first!.id))!.body).toMatchObject({ products: [], sellers: [] });
  });

  it.skipIf(Boolean(engine.skip))('tells it of a registered pesantren, and of nothing when an edit is refused, invalid or another pesantren\'s', async () => {
    const refused = await edit(second!.id, { memberSince: 1700 });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    // Another pesantren's operator may not edit it: refused before anything is written.
    const forbidden = await edit(second!.id, { address: 'Jl. Bukan Milik Saya No. 2, Desa Contoh' }, operatorIdentity(first!.id));
    expect(forbidden.errors?.[0]?.extensions?.['code']).toBe('FORBIDDEN');
    const created = await subgraph.gql<{ registerPesantren: { id: string } }>(
      'mutation($input: RegisterPesantrenInput!) { registerPesantren(input: $input) { id } }',
      {
        input: {
          nspp: `510035780999`,
          name: 'Pondok Pesantren Uji Terbit',
          regencyCode: '3578',
          address: 'Jl. Uji No. 9, Desa Contoh',
          pillars: ['SANTRIPRENEUR'],
          memberSince: 2024,
        },
      },
      await identityHeaders(adminIdentity()),
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.registerPesantren.id;
    await storefront.waitFor(() => storefront.told('pesantren', id));
    expect(storefront.told('pesantren', second!.id)).toBe(false);
    const events = await subgraph.service.database.fork().find(PublishOutboxEvent, { pesantrenId: second!.id });
    expect(events).toEqual([]);
  });

  it.skipIf(Boolean(engine.skip))('keeps a change while the storefront cannot publish, and delivers it when it can', async () => {
    storefront.answer = 503;
    const before = storefront.received.length;
    expect((await edit(third!.id, { whatsapp: '0812-3456-7890' })).errors).toBeUndefined();
    await storefront.waitFor(() => storefront.told('pesantren', third!.id, before));
    const refusedAt = storefront.received.length;
    storefront.answer = 200;
    // pg-boss tries again after its retry delay (2 s, then longer); the same change comes again.
    await storefront.waitFor(() => storefront.told('pesantren', third!.id, refusedAt), 30_000);
  }, 60_000);

  it('reads STOREFRONT_PUBLISH_URL with its secret, and refuses the URL without one', () => {
    expect(loadPesantrenConfig({ STOREFRONT_PUBLISH_URL: 'http://storefront:4321/_publish', STOREFRONT_PUBLISH_SECRET: SECRET }).storefrontPublish).toEqual({ url: 'http://storefront:4321/_publish', secret: SECRET });
    expect(loadPesantrenConfig({}).storefrontPublish).toBeUndefined();
    expect(() => loadPesantrenConfig({ STOREFRONT_PUBLISH_URL: 'http://storefront:4321/_publish' })).toThrow(/STOREFRONT_PUBLISH_SECRET/);
  });
});
