import { generateWorld } from '@opop/demo-data';
import type { EntityReferences } from '@opop/server-kit';
import { adminIdentity, fakeStorefront, identityHeaders, testEngines } from '@opop/server-kit/testing';
import { useTestSubgraph } from '@opop/server-kit/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMedia } from '../seeders/media.seeder.ts';
import { createMediaService } from '../src/app.ts';
import { loadMediaConfig } from '../src/config.ts';
import { PublishCursor, PublishOutboxEvent } from '../src/modules/publishing/publish-outbox.entity.ts';
import { RELAY_CURSOR } from '../src/modules/publishing/storefront-feed.ts';

const world = generateWorld('demo');
const SECRET = 'storefront-publish-secret-for-tests-0123456789';
const PUBLISH = 'mutation($input: PublishArticleInput!) { publishArticle(input: $input) { slug } }';
const input = (title: string) => ({ outletSlug: 'times-indonesia', titleIndonesian: title, bodyMarkdown: 'Santri **belajar** mengemas produk.', pesantrenIds: [world.pesantren[1]!.id] });
/** The pesantren subgraph as the media subgraph asks it: every demo pesantren exists. */
const known = new Set([...world.pesantren.map((p) => p.id), ...world.products.map((p) => p.id)]);
const demoOwners: EntityReferences = {
  resolve: async <T extends { id: string }>(_typename: string, wanted: readonly string[]) => new Map(wanted.filter((id) => known.has(id)).map((id) => [id, { id } as T])),
};

/**
 * The media subgraph's side of incremental publishing: an article published through the API is
 * told to the storefront by its slug, signed, once its transaction commits; a refused one tells
 * it nothing; a storefront that is down gets the change later, with nothing lost.
 */
describe.each(testEngines())('the media storefront relay on $name', (engine) => {
  let storefront: Awaited<ReturnType<typeof fakeStorefront>>;
  beforeAll(async () => {
    storefront = await fakeStorefront(SECRET);
  });
  afterAll(() => storefront?.close());

  const subgraph = useTestSubgraph('media', engine, {
    create: (config) =>
      createMediaService({ ...config, storefrontPublish: { url: storefront.url, secret: SECRET } }, undefined, { references: { pesantren: demoOwners, products: demoOwners } }),
    seed: (em) => loadMedia(em, world),
  });
  const publish = async (value: Record<string, unknown>) => subgraph.gql<{ publishArticle: { slug: string } }>(PUBLISH, { input: value }, await identityHeaders(adminIdentity()));

  it.skipIf(Boolean(engine.skip))('starts after the seeded data, then tells the storefront of a published article by its slug, signed; a refused one tells nothing', async () => {
    const until = Date.now() + 20_000;
    while (!(await subgraph.service.database.fork().findOne(PublishCursor, { name: RELAY_CURSOR }))) {
      if (Date.now() > until) throw new Error('the relay took no place in the outbox');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(storefront.received.filter((entry) => (entry.body['articles'] ?? []).length > 5)).toEqual([]);
    const eventsBefore = await subgraph.service.database.fork().count(PublishOutboxEvent, {});
    const refused = await publish({ ...input('Artikel yang ditolak'), publishedAt: '2999-01-01T00:00:00Z' });
    expect(refused.errors?.[0]?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(await subgraph.service.database.fork().count(PublishOutboxEvent, {})).toBe(eventsBefore);
    const published = await publish(input('Santri Belajar Mengekspor Produk'));
    expect(published.errors).toBeUndefined();
    const slug = published.data!.publishArticle.slug;
    await storefront.waitFor(() => storefront.told('articles', slug));
    expect(storefront.received.every((entry) => entry.signed)).toBe(true);
  });

  it.skipIf(Boolean(engine.skip))('keeps a change while the storefront cannot publish, and delivers it when it can', async () => {
    storefront.answer = 503;
    const before = storefront.received.length;
    const slug = (await publish(input('Artikel saat toko tutup'))).data!.publishArticle.slug;
    await storefront.waitFor(() => storefront.told('articles', slug, before));
    const refusedAt = storefront.received.length;
    storefront.answer = 200;
    await storefront.waitFor(() => storefront.told('articles', slug, refusedAt), 30_000);
  }, 60_000);

  it('reads STOREFRONT_PUBLISH_URL with its secret, and refuses the URL without one', () => {
    expect(loadMediaConfig({ STOREFRONT_PUBLISH_URL: 'http://storefront:4321/_publish', STOREFRONT_PUBLISH_SECRET: SECRET }).storefrontPublish).toEqual({ url: 'http://storefront:4321/_publish', secret: SECRET });
    expect(() => loadMediaConfig({ STOREFRONT_PUBLISH_URL: 'http://storefront:4321/_publish' })).toThrow(/STOREFRONT_PUBLISH_SECRET/);
  });
});
