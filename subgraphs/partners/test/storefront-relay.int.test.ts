import { generateWorld } from '@opop/demo-data';
import { adminIdentity, fakeStorefront, identityHeaders, testEngines } from '@opop/server-kit/testing';
import { useTestSubgraph } from '@opop/server-kit/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPartners } from '../seeders/partners.seeder.ts';
import { createPartnersService } from '../src/app.ts';
import { loadPartnersConfig } from '../src/config.ts';
import { PublishCursor, PublishOutboxEvent } from '../src/modules/publishing/publish-outbox.entity.ts';
import { RELAY_CURSOR } from '../src/modules/publishing/storefront-feed.ts';

const world = generateWorld('demo');
const SECRET = 'storefront-publish-secret-for-tests-0123456789';
const CREATE = 'mutation($input: CreateEngagementInput!) { createEngagement(input: $input) { id } }';
const input = (title: string) => ({ partnerSlug: 'mui', aspect: 'PRODUCT', titleIndonesian: title, startsOn: '2025-02-01', pesantrenIds: [world.pesantren[0]!.id, world.pesantren[1]!.id] });

/**
 * The partners subgraph's side of incremental publishing: an engagement recorded through the API
 * is told to the storefront, signed, once its transaction commits; a refused one tells it nothing;
 * a storefront that is down gets the change later, with nothing lost.
 */
describe.each(testEngines())('the partners storefront relay on $name', (engine) => {
  let storefront: Awaited<ReturnType<typeof fakeStorefront>>;
  beforeAll(async () => {
    storefront = await fakeStorefront(SECRET);
  });
  afterAll(() => storefront?.close());

  const subgraph = useTestSubgraph('partners', engine, {
    create: (config) => createPartnersService({ ...config, storefrontPublish: { url: storefront.url, secret: SECRET } }),
    seed: (em) => loadPartners(em, world),
  });
  const record = async (value: Record<string, unknown>) => subgraph.gql<{ createEngagement: { id: string } }>(CREATE, { input: value }, await identityHeaders(adminIdentity()));

  it.skipIf(Boolean(engine.skip))('starts after the seeded data, then tells the storefront of a recorded engagement, signed; a refused one tells nothing', async () => {
    const until = Date.now() + 20_000;
    while (!(await subgraph.service.database.fork().findOne(PublishCursor, { name: RELAY_CURSOR }))) {
      if (Date.now() > until) throw new Error('the relay took no place in the outbox');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(storefront.received.filter((entry) => (entry.body['engagements'] ?? []).length > 5)).toEqual([]);
    const eventsBefore = await subgraph.service.database.fork().count(PublishOutboxEvent, {});
    const refused = await record({ ...input('Pendampingan yang ditolak'), endsOn: '2024-12-31' });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await subgraph.service.database.fork().count(PublishOutboxEvent, {})).toBe(eventsBefore);
    const created = await record(input('Pendampingan halal terbit'));
    expect(created.errors).toBeUndefined();
    const id = created.data!.createEngagement.id;
    await storefront.waitFor(() => storefront.told('engagements', id));
    expect(storefront.received.every((entry) => entry.signed)).toBe(true);
  });

  it.skipIf(Boolean(engine.skip))('keeps a change while the storefront cannot publish, and delivers it when it can', async () => {
    storefront.answer = 503;
    const before = storefront.received.length;
    const created = await record(input('Pendampingan saat toko tutup'));
    const id = created.data!.createEngagement.id;
    await storefront.waitFor(() => storefront.told('engagements', id, before));
    const refusedAt = storefront.received.length;
    storefront.answer = 200;
    await storefront.waitFor(() => storefront.told('engagements', id, refusedAt), 30_000);
  }, 60_000);

  it('reads STOREFRONT_PUBLISH_URL with its secret, and refuses the URL without one', () => {
    expect(loadPartnersConfig({ STOREFRONT_PUBLISH_URL: 'http://storefront:4321/_publish', STOREFRONT_PUBLISH_SECRET: SECRET }).storefrontPublish).toEqual({ url: 'http://storefront:4321/_publish', secret: SECRET });
    expect(() => loadPartnersConfig({ STOREFRONT_PUBLISH_URL: 'http://storefront:4321/_publish' })).toThrow(/STOREFRONT_PUBLISH_SECRET/);
  });
});
