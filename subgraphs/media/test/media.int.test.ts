import { randomUUID } from 'node:crypto';
import { OUTLETS, generateMedia, generateWorld } from '@opop/demo-data';
import type { EntityReferences } from '@opop/server-kit';

import { visitorHeaders, adminIdentity, countQueries, identityHeaders, schemaDrift, testEngines } from '@opop/server-kit/testing';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { describe, expect, it } from 'vitest';
import { loadMedia } from '../seeders/media.seeder.ts';
import { createMediaService } from '../src/app.ts';

import { Article } from '../src/modules/article/article.entity.ts';
import { WidgetPlacement } from '../src/modules/widget/widget.entity.ts';
import { OutletKey } from '../src/modules/outlet/outlet-key.entity.ts';
import { Outlet } from '../src/modules/outlet/outlet.entity.ts';
import { MAX_OUTLETS_LISTED } from '../src/modules/outlet/outlet.repository.ts';

const world = generateWorld('demo');
const media = generateMedia(world);
const jtv = OUTLETS.find((o) => o.slug === 'jtv')!;
/**
 * What the pesantren and catalogue subgraphs answer about the demo world (the router's suites ask
 * the real ones over HTTP), and every id they were asked.
 */
function demoRegister(ids: readonly string[]) {
  const known = new Set(ids);
  const asked: string[] = [];
  const register: EntityReferences = {
    resolve: async <T extends { id: string }>(_typename: string, wanted: readonly string[]) => {
      asked.push(...wanted);
      return new Map(wanted.filter((id) => known.has(id)).map((id) => [id, { id } as T]));
    },
  };
  return { register, asked };
}
const pesantrenRegister = demoRegister(world.pesantren.map((p) => p.id));
const productRegister = demoRegister(world.products.map((p) => p.id));
const newestFirst = (a: { publishedAt: Date }, b: { publishedAt: Date }) => b.publishedAt.getTime() - a.publishedAt.getTime();

describe.each(testEngines())('media subgraph on $name', (engine) => {
  const subgraph = useTestSubgraph('media', engine, {
    create: (config) => createMediaService(config, undefined, { references: { pesantren: pesantrenRegister.register, products: productRegister.register } }),
    seed: (em) => loadMedia(em, world),
  });
  const { gql } = subgraph;

  describe.skipIf(Boolean(engine.skip))('articles', () => {
    it('migrations build exactly the schema the entities describe, with the five media partners', async () => {
      expect(await schemaDrift(subgraph.service.database)).toBe('');
      const { data } = await gql<{ outlets: { slug: string; publicKey: string }[] }>('{ outlets { slug publicKey } }');
      expect(data?.outlets.map((o) => o.slug).sort()).toEqual(OUTLETS.map((o) => o.slug).sort());
    });

    it('pages through an outlet’s articles newest first, and filters by pesantren', async () => {
      const ofJtv = media.articles.filter((a) => a.outletSlug === 'jtv').sort(newestFirst);
      const first = await gql<{ articles: { totalCount: number; nodes: { slug: string }[]; pageInfo: { endCursor: string } } }>(
        '{ articles(first: 3, filter: { outletSlug: "jtv" }) { totalCount nodes { slug } pageInfo { endCursor } } }',
      );
      expect(first.data?.articles.totalCount).toBe(ofJtv.length);
      expect(first.data?.articles.nodes.map((n) => n.slug)).toEqual(ofJtv.slice(0, 3).map((a) => a.slug));
      const next = await gql<{ articles: { nodes: { slug: string }[] } }>('query($after: String) { articles(first: 3, after: $after, filter: { outletSlug: "jtv" }) { nodes { slug } } }', {
        after: first.data!.articles.pageInfo.endCursor,
      });
      expect(next.data?.articles.nodes.map((n) => n.slug)).toEqual(ofJtv.slice(3, 6).map((a) => a.slug));
      const pesantrenId = world.pesantren[0]!.id;
      const about = await gql<{ articles: { totalCount: number } }>(`{ articles(first: 50, filter: { pesantrenId: "${pesantrenId}" }) { totalCount } }`);
      expect(about.data?.articles.totalCount).toBe(media.articles.filter((a) => a.pesantrenIds.includes(pesantrenId)).length);
      expectError(await gql('{ articles(filter: { outletSlug: "kompas" }) { totalCount } }'), 'BAD_USER_INPUT', 'filter.outletSlug');
      expectError(await gql('{ articles(filter: { pesantrenId: "1 or 1=1" }) { totalCount } }'), 'BAD_USER_INPUT', 'filter.pesantrenId');
    });

    it('gives every pesantren its newest coverage in one SQL query', async () => {
      const representations = world.pesantren.map((p) => ({ __typename: 'Pesantren', id: p.id }));
      const { result, queries } = await countQueries(subgraph.service.database, () =>
        gql<{ _entities: { coverage: { slug: string }[] }[] }>('query($r: [_Any!]!) { _entities(representations: $r) { ... on Pesantren { coverage(first: 2) { slug } } } }', {
          r: representations,
        }),
      );
      expect(result.errors).toBeUndefined();
      expect(queries).toHaveLength(1);
      world.pesantren.forEach((pesantren, index) => {
        const expected = media.articles.filter((a) => a.pesantrenIds.includes(pesantren.id)).sort(newestFirst).slice(0, 2);
        expect(result.data!._entities[index]!.coverage.map((a) => a.slug)).toEqual(expected.map((a) => a.slug));
      });
    });

    it('publishes articles for programme admins, rendering Markdown and removing anything executable', async () => {
      const publish = `mutation($input: PublishArticleInput!) { publishArticle(input: $input) { slug bodyHtml outlet { slug } pesantren { id } } }`;
      const input = {
        outletSlug: 'times-indonesia',
        titleIndonesian: 'Santri Belajar Mengemas Produk',
        bodyMarkdown: 'Santri **belajar** mengemas produk.\n\n<script>alert("x")</script>\n\n[klik](javascript:alert(1)) <img src=x onerror="alert(1)"> [situs](https://opop.example/)',
        pesantrenIds: [world.pesantren[1]!.id],
      };
      expectError(await gql(publish, { input }), 'UNAUTHENTICATED');
      const published = await gql<{ publishArticle: { bodyHtml: string; outlet: { slug: string } } }>(publish, { input }, await identityHeaders(adminIdentity()));
      expect(published.errors).toBeUndefined();
      const html = published.data!.publishArticle.bodyHtml;
      expect(html).toContain('<strong>belajar</strong>');
      expect(html).toContain('<a href="https://opop.example/" rel="nofollow noopener noreferrer">situs</a>');
      expect(html).not.toMatch(/<script|javascript:|onerror|<img/i);
      const before = await subgraph.service.database.fork().count(Article, {});
      expectError(await gql(publish, { input: { ...input, titleIndonesian: 'T'.repeat(201) } }, await identityHeaders(adminIdentity())), 'BAD_USER_INPUT', 'input.titleIndonesian');
      expectError(await gql(publish, { input: { ...input, publishedAt: '2999-01-01T00:00:00Z' } }, await identityHeaders(adminIdentity())), 'BAD_USER_INPUT', 'input.publishedAt');
      expect(await subgraph.service.database.fork().count(Article, {})).toBe(before);
    });

    it('refuses an article about a pesantren or product their subgraphs do not know, and writes nothing', async () => {
      const publish = `mutation($input: PublishArticleInput!) { publishArticle(input: $input) { slug pesantren { id } products { id } } }`;
      const admin = await identityHeaders(adminIdentity());
      const input = {
        outletSlug: 'jtv',
        titleIndonesian: 'Produk Santri di Pameran',
        bodyMarkdown: 'Santri memamerkan produk unggulan pesantren.',
        pesantrenIds: [world.pesantren[2]!.id],
        productIds: [world.products[2]!.id],
      };
      const before = await subgraph.service.database.fork().count(Article, {});
      expectError(await gql(publish, { input: { ...input, pesantrenIds: [world.pesantren[2]!.id, randomUUID()] } }, admin), 'BAD_USER_INPUT', 'input.pesantrenIds');
      expectError(await gql(publish, { input: { ...input, productIds: [randomUUID()] } }, admin), 'BAD_USER_INPUT', 'input.productIds');
      expect(await subgraph.service.database.fork().count(Article, {})).toBe(before);
      // Ids are compared as the owners store them, whatever their case.
      const published = await gql<{ publishArticle: { pesantren: { id: string }[] } }>(publish, { input: { ...input, pesantrenIds: [world.pesantren[2]!.id.toUpperCase()] } }, admin);
      expect(published.errors).toBeUndefined();
      expect(published.data?.publishArticle.pesantren).toEqual([{ id: world.pesantren[2]!.id }]);
    });
  });

  describe.skipIf(Boolean(engine.skip))('widget placements', () => {
    const record = `mutation($input: WidgetEventInput!) { recordWidgetEvent(input: $input) { counted } }`;
    const product = world.products.find((p) => p.status === 'FEATURED')!;
    const event = (change: Record<string, unknown> = {}) => ({
      outletKey: jtv.publicKey,
      pageUrl: 'https://jtv.example/berita/produk-santri?id=7#komentar',
      widget: 'PRODUCT_CARD',
      productIds: [product.id],
      event: 'VIEW',
      ...change,
    });
    const placements = async () => {
      const response = await gql<{ widgetPlacements: { pageUrl: string; views: number; clicks: number }[] }>(
        '{ widgetPlacements(outletSlug: "jtv", first: 100) { pageUrl views clicks } }',
        {},
        await identityHeaders(adminIdentity()),
      );
      return response.data!.widgetPlacements.find((p) => p.pageUrl === 'https://jtv.example/berita/produk-santri?id=7');
    };

    it('counts a visitor’s view once per window, however often the page reloads or races', async () => {
      const browser = visitorHeaders({ id: 'browser-0001-aaaa' });
      const results = await Promise.all(Array.from({ length: 12 }, () => gql<{ recordWidgetEvent: { counted: boolean } }>(record, { input: event() }, browser)));
      expect(results.filter((r) => r.data?.recordWidgetEvent.counted)).toHaveLength(1);
      expect(results.every((r) => r.errors === undefined)).toBe(true);
      await gql(record, { input: event({ pageUrl: 'https://jtv.example/berita/produk-santri?id=7&utm_source=wa' }) }, visitorHeaders({ id: 'browser-0002-bbbb' }));
      await gql(record, { input: event({ event: 'CLICK', visitorId: 'ignored-by-the-server' }) }, browser);
      expect(await placements()).toMatchObject({ views: 2, clicks: 1 });
    });

    it('counts at most 20 visitors of one network per window, and nobody the router did not identify', async () => {
      const click = (id: string) => gql<{ recordWidgetEvent: { counted: boolean } }>(record, { input: event({ event: 'CLICK' }) }, visitorHeaders({ id, network: 'one-cafe' }));
      const counted = [];
      for (let i = 0; i < 25; i++) counted.push((await click(`rotating-${i}`)).data?.recordWidgetEvent.counted);
      expect(counted.filter(Boolean)).toHaveLength(20);
      expectError(await gql(record, { input: event() }), 'BAD_USER_INPUT');
    });

    it.each([
      ['an unknown outlet key', { outletKey: 'opop_pk_nobody_000000' }, 'input.outletKey'],
      ['a script URL as the page', { pageUrl: 'javascript:alert(1)' }, 'input.pageUrl'],
      ['a badge without its pesantren', { widget: 'PESANTREN_BADGE', productIds: [] }, 'input.pesantrenId'],
      ['a malformed product id', { productIds: ["1'; drop table widget_event; --"] }, 'input.productIds.0'],
    ])('refuses %s', async (_name, change, field) => {
      expectError(await gql(record, { input: event(change) }), 'BAD_USER_INPUT', field);
    });

    it('refuses events for a product or pesantren their subgraphs do not know, and records no placement', async () => {
      const placementsBefore = await subgraph.service.database.fork().count(WidgetPlacement, {});
      const browser = visitorHeaders({ id: 'browser-unknown-ids' });
      expectError(await gql(record, { input: event({ productIds: [product.id, randomUUID()] }) }, browser), 'BAD_USER_INPUT', 'input.productIds');
      expectError(await gql(record, { input: event({ widget: 'PESANTREN_BADGE', productIds: [], pesantrenId: randomUUID() }) }, browser), 'BAD_USER_INPUT', 'input.pesantrenId');
      expect(await subgraph.service.database.fork().count(WidgetPlacement, {})).toBe(placementsBefore);
      const badge = await gql<{ recordWidgetEvent: { counted: boolean } }>(record, { input: event({ widget: 'PESANTREN_BADGE', productIds: [], pesantrenId: world.pesantren[3]!.id }) }, browser);
      expect(badge.data?.recordWidgetEvent.counted).toBe(true);
    });

    it('asks the owners about an id once, not at every event, unknown ids included', async () => {
      const shown = world.products.filter((p) => p.id !== product.id)[7]!;
      const stranger = randomUUID();
      const askedBefore = productRegister.asked.length;
      const events = Array.from({ length: 30 }, (_, i) => [
        gql(record, { input: event({ productIds: [shown.id] }) }, visitorHeaders({ id: `reader-${i}-cached` })),
        gql(record, { input: event({ productIds: [stranger] }) }, visitorHeaders({ id: `reader-${i}-stranger` })),
      ]).flat();
      const answers = await Promise.all(events);
      expect(answers.filter((answer) => answer.errors === undefined)).toHaveLength(30);
      expect(answers.filter((answer) => answer.errors?.[0]?.extensions?.['field'] === 'input.productIds')).toHaveLength(30);
      for (let i = 0; i < 10; i++) await gql(record, { input: event({ productIds: [shown.id] }) }, visitorHeaders({ id: `reader-${i}-later` }));
      expect(productRegister.asked.slice(askedBefore).sort()).toEqual([shown.id, stranger].sort());
    });

    it('shows placements and their counts to no anonymous caller', async () => {
      expectError(await gql('{ widgetPlacements { views } }'), 'UNAUTHENTICATED');
    });
  });

  describe.skipIf(Boolean(engine.skip))('list maxima the SDL declares', () => {
    it(`lists at most ${MAX_OUTLETS_LISTED} outlets, by name`, async () => {
      const em = subgraph.service.database.fork();
      for (let i = await em.count(Outlet, {}); i <= MAX_OUTLETS_LISTED + 5; i++) {
        const outlet = em.create(Outlet, { slug: `outlet-uji-${i}`, name: `Outlet Uji ${String(i).padStart(3, '0')}`, kind: 'ONLINE_NEWS', site: null, partnerId: null });
        em.create(OutletKey, { outlet, key: `opop_pk_uji_${String(i).padStart(4, '0')}`, label: 'Situs uji', createdBy: 'test', revokedAt: null, revokedBy: null });
      }
      await em.flush();
      expect(await em.count(Outlet, {})).toBeGreaterThan(MAX_OUTLETS_LISTED);
      const { data, errors } = await gql<{ outlets: { name: string; publicKey: string }[] }>('{ outlets { name publicKey } }');
      expect(errors).toBeUndefined();
      const names = (await em.find(Outlet, {}, { orderBy: { name: 'asc', id: 'asc' } })).map((outlet) => outlet.name);
      expect(data!.outlets.map((outlet) => outlet.name)).toEqual(names.slice(0, MAX_OUTLETS_LISTED));
      expect(data!.outlets.every((outlet) => outlet.publicKey.startsWith('opop_pk_'))).toBe(true);
    });
  });
});
