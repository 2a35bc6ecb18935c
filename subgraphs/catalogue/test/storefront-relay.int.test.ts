import { generateWorld } from '@opop/demo-data';
import { adminIdentity, fakeStorefront, identityHeaders, testEngines } from '@opop/server-kit/testing';
import { useTestSubgraph } from '@opop/server-kit/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../seeders/catalogue.seeder.ts';
import { createCatalogueService } from '../src/app.ts';
import { EMBEDDED_SEARCH } from '../src/config.ts';
import { RELAY_CURSOR } from '../src/modules/publishing/storefront-relay.ts';
import { SearchIndexCursor } from '../src/modules/search/outbox.entity.ts';

const world = generateWorld('demo');
const SECRET = 'storefront-publish-secret-for-tests-0123456789';
const submitted = world.products.filter((p) => p.status === 'SUBMITTED');

/**
 * The catalogue's side of incremental publishing: what a change made through the API tells the
 * storefront, signed, and that a storefront which is down gets it later, with nothing lost.
 */
describe.each(testEngines())('the storefront relay on $name', (engine) => {
  let storefront: Awaited<ReturnType<typeof fakeStorefront>>;
  beforeAll(async () => {
    storefront = await fakeStorefront(SECRET);
  });
  afterAll(() => storefront?.close());

  const subgraph = useTestSubgraph('catalogue', engine, {
    create: (config) =>
      createCatalogueService({ ...config, search: { ...EMBEDDED_SEARCH, pollMs: 60_000 }, storefrontPublish: { url: storefront.url, secret: SECRET } }),
    seed: (em) => loadCatalogue(em, world),
  });
  const feature = async (id: string) => {
    const headers = await identityHeaders(adminIdentity());
    await subgraph.gql(`mutation($id: ID!) { startProductReview(id: $id) { id } }`, { id }, headers);
    await subgraph.gql(`mutation($id: ID!) { featureProduct(id: $id) { id } }`, { id }, headers);
  };

  it('starts after the seeded data (the full build shows it), then tells the storefront about a featured product, signed', async () => {
    // The seed replaced the data after the relay started; the seed's commits wake it, and it takes its place at the outbox's end.
    const until = Date.now() + 20_000;
    while (!(await subgraph.service.database.fork().findOne(SearchIndexCursor, { indexName: RELAY_CURSOR }))) {
      if (Date.now() > until) throw new Error('the relay took no place in the outbox');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(storefront.received.filter((entry) => (entry.body['products'] ?? []).length > 100)).toEqual([]);
    const product = submitted[0]!;
    await feature(product.id);
    await storefront.waitFor(() => storefront.told('products', product.id));
    expect(storefront.received.every((entry) => entry.signed)).toBe(true);
  });

  it('keeps a change while the storefront cannot publish, and delivers it when it can', async () => {
    storefront.answer = 503;
    const product = submitted[1]!;
    const before = storefront.received.length;
    await feature(product.id);
    await storefront.waitFor(() => storefront.told('products', product.id, before));
    const refusedAt = storefront.received.length;
    storefront.answer = 200;
    // pg-boss tries again after its retry delay (2 s, then longer); the same change comes again.
    await storefront.waitFor(() => storefront.told('products', product.id, refusedAt), 30_000);
  }, 60_000);
});
