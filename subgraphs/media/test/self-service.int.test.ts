import { OUTLETS, demoId, generateWorld } from '@opop/demo-data';
import type { EntityReferences, Identity } from '@opop/server-kit';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { adminIdentity, identityHeaders, testEngines, visitorHeaders } from '@opop/server-kit/testing';
import { describe, expect, it } from 'vitest';
import { Migration20261204190000_widget_event_network_key } from '../migrations/Migration20261204190000_widget_event_network_key.ts';
import { loadMedia } from '../seeders/media.seeder.ts';
import { createMediaService } from '../src/app.ts';
import { MAX_ACTIVE_OUTLET_KEYS } from '../src/modules/outlet/outlet-key.service.ts';
import { MAX_OUTLET_KEYS_LISTED } from '../src/modules/outlet/outlet.repository.ts';
import { jakartaDay } from '../src/modules/widget/widget-events.ts';

/**
 * Media partners' self-service (issue 17): an outlet names its partner, has several widget keys,
 * and its partner sees its own keys, placements and daily counts, never another outlet's. The
 * daily counts are written with the counted events, in their transaction.
 */

const world = generateWorld('demo');
const outletOf = (slug: string) => OUTLETS.find((outlet) => outlet.slug === slug)!;
/** What the pesantren and catalogue subgraphs would answer: every id of the demo world. */
const known = new Set([...world.pesantren.map((p) => p.id), ...world.products.map((p) => p.id)]);
const register: EntityReferences = {
  resolve: async <T extends { id: string }>(_typename: string, wanted: readonly string[]) => new Map(wanted.filter((id) => known.has(id)).map((id) => [id, { id } as T])),
};
const product = world.products.find((p) => p.status === 'FEATURED')!;

const mediaPartner = (slug: string | null, subject = `test-media-${slug ?? 'nobody'}`): Identity => ({
  role: 'media_partner',
  subject,
  pesantrenId: null,
  scopes: [],
  partnerId: slug ? demoId('partner', slug) : null,
});

const KEYS = 'query($slug: String!) { outletKeys(outletSlug: $slug) { id key label createdAt revokedAt } }';
const CREATE_KEY = 'mutation($slug: String!, $label: String!) { createOutletKey(outletSlug: $slug, label: $label) { id key label createdAt revokedAt } }';
const REVOKE_KEY = 'mutation($id: ID!) { revokeOutletKey(id: $id) { id key revokedAt } }';
const STATS = 'query($slug: String!, $days: Int) { widgetStats(outletSlug: $slug, days: $days) { day widget views clicks } }';
const PLACEMENTS = 'query($slug: String) { widgetPlacements(outletSlug: $slug, first: 100) { id pageUrl views clicks outlet { slug } } }';
const RECORD = 'mutation($input: WidgetEventInput!) { recordWidgetEvent(input: $input) { counted } }';

type Key = { id: string; key: string; label: string; createdAt: string; revokedAt: string | null };
type Stat = { day: string; widget: string; views: number; clicks: number };

describe('the day of a widget event', () => {
  it('is the calendar day in Asia/Jakarta (UTC+7)', () => {
    expect(jakartaDay(new Date('2026-03-01T16:59:59.999Z'))).toBe('2026-03-01');
    expect(jakartaDay(new Date('2026-03-01T17:00:00.000Z'))).toBe('2026-03-02');
    expect(jakartaDay(new Date('2026-12-31T20:00:00.000Z'))).toBe('2027-01-01');
  });
});

describe.each(testEngines())('media partner self-service on $name', (engine) => {
  const subgraph = useTestSubgraph('media', engine, {
    create: (config) => createMediaService(config, undefined, { references: { pesantren: register, products: register } }),
    seed: (em) => loadMedia(em, world),
  });
  const gql = async <T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, identity?: Identity, extra: Record<string, string> = {}) =>
    subgraph.gql<T>(query, variables, { ...(identity ? await identityHeaders(identity) : {}), ...extra });
  const sql = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => {
    const { database } = subgraph.service;
    return database.orm.em.getConnection().execute<T[]>(text.replaceAll('$schema', `"${database.schema}"`), params);
  };
  const count = async (table: string) => (await sql<{ n: number }>(`select count(*)::int as n from $schema.${table}`))[0]!.n;
  const keysOf = async (slug: string, identity: Identity = adminIdentity()) => {
    const response = await gql<{ outletKeys: Key[] }>(KEYS, { slug }, identity);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.outletKeys;
  };
  const newKey = async (slug: string, label: string, identity: Identity = adminIdentity()) => {
    const response = await gql<{ createOutletKey: Key }>(CREATE_KEY, { slug, label }, identity);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.createOutletKey;
  };
  const stats = async (slug: string, days: number | null, identity: Identity = adminIdentity()) => {
    const response = await gql<{ widgetStats: Stat[] }>(STATS, { slug, days }, identity);
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.widgetStats;
  };
  const event = (outletKey: string, change: Record<string, unknown> = {}) => ({
    outletKey,
    pageUrl: 'https://tv9.example/berita/kemandirian-pesantren',
    widget: 'PRODUCT_CARD',
    productIds: [product.id],
    event: 'VIEW',
    ...change,
  });
  const record = async (input: Record<string, unknown>, visitor: string, network?: string) =>
    subgraph.gql<{ recordWidgetEvent: { counted: boolean } }>(RECORD, { input }, visitorHeaders({ id: visitor, ...(network ? { network } : {}) }));
  /** Counted events of an outlet per Jakarta day and widget kind, read from the events themselves. */
  const countedEvents = async (slug: string) =>
    sql<Stat>(
      `select to_char((e.at at time zone 'UTC' + interval '7 hours')::date, 'YYYY-MM-DD') as day, p.widget,
         count(*) filter (where e.kind = 'VIEW')::int as views, count(*) filter (where e.kind = 'CLICK')::int as clicks
       from $schema.widget_event e join $schema.widget_placement p on p.id = e.placement_id join $schema.outlet o on o.id = p.outlet_id
       where o.slug = ? group by 1, 2 order by 1 desc, 2`,
      [slug],
    );

  describe.skipIf(Boolean(engine.skip))('outlets, their partners and their keys', () => {
    it('names each outlet’s partner as the partners subgraph has it, and keeps each outlet’s key as its first', async () => {
      const response = await gql<{ outlets: { slug: string; partnerId: string | null; publicKey: string }[] }>('{ outlets { slug partnerId publicKey } }', {});
      expect(response.errors).toBeUndefined();
      expect(response.data!.outlets.map(({ slug, partnerId, publicKey }) => ({ slug, partnerId, publicKey })).sort((a, b) => a.slug.localeCompare(b.slug))).toEqual(
        OUTLETS.map((outlet) => ({ slug: outlet.slug, partnerId: demoId('partner', outlet.slug), publicKey: outlet.publicKey })).sort((a, b) => a.slug.localeCompare(b.slug)),
      );
      for (const outlet of OUTLETS) {
        expect(await keysOf(outlet.slug)).toEqual([expect.objectContaining({ key: outlet.publicKey, label: 'Kunci awal', revokedAt: null })]);
      }
    });

    it('lets a media partner create keys for its own outlet, counts events on any of them, and refuses a revoked one', async () => {
      const tv9 = mediaPartner('tv9');
      const made = await newKey('tv9', 'tv9now.example', tv9);
      expect(made).toMatchObject({ label: 'tv9now.example', revokedAt: null });
      expect(made.key).toMatch(/^opop_pk_[0-9a-f]{24}$/);
      expect((await keysOf('tv9', tv9)).map((key) => key.id)).toEqual([made.id, expect.any(String)]);
      expect((await sql<{ created_by: string }>('select created_by from $schema.outlet_key where id = ?', [made.id]))[0]!.created_by).toBe('test-media-tv9');

      // Either key counts for TV9.
      for (const [key, visitor] of [[outletOf('tv9').publicKey, 'reader-first-key'], [made.key, 'reader-second-key']] as const) {
        const answer = await record(event(key), visitor);
        expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
        expect(answer.data!.recordWidgetEvent.counted).toBe(true);
      }

      const revoked = await gql<{ revokeOutletKey: Key }>(REVOKE_KEY, { id: made.id }, tv9);
      expect(revoked.errors).toBeUndefined();
      expect(revoked.data!.revokeOutletKey.revokedAt).not.toBeNull();
      // Revoking again changes nothing.
      expect((await gql<{ revokeOutletKey: Key }>(REVOKE_KEY, { id: made.id }, tv9)).data!.revokeOutletKey).toEqual(revoked.data!.revokeOutletKey);

      const events = await count('widget_event');
      const daily = await stats('tv9', 1);
      const refused = await record(event(made.key), 'reader-after-revocation');
      expectError(refused, 'BAD_USER_INPUT', 'input.outletKey');
      expect(await count('widget_event')).toBe(events);
      expect(await stats('tv9', 1)).toEqual(daily);
      // The first key still counts, and is still the outlet's public key.
      expect((await record(event(outletOf('tv9').publicKey), 'reader-after-revocation')).data?.recordWidgetEvent.counted).toBe(true);
      const outlet = await gql<{ outlet: { publicKey: string } }>('{ outlet(slug: "tv9") { publicKey } }', {});
      expect(outlet.data!.outlet.publicKey).toBe(outletOf('tv9').publicKey);
    });

    it('never revokes an outlet’s last active key (CONFLICT), and its public key moves to the next active one', async () => {
      const [only] = await keysOf('radar96');
      const conflictOn = async (id: string) => {
        expectError(await gql(REVOKE_KEY, { id }, mediaPartner('radar96')), 'CONFLICT');
        expect((await sql<{ revoked_at: Date | null }>('select revoked_at from $schema.outlet_key where id = ?', [id]))[0]!.revoked_at).toBeNull();
      };
      await conflictOn(only!.id);
      const second = await newKey('radar96', 'radar96.example', mediaPartner('radar96'));
      expect((await gql(REVOKE_KEY, { id: only!.id }, mediaPartner('radar96'))).errors).toBeUndefined();
      expect((await gql<{ outlet: { publicKey: string } }>('{ outlet(slug: "radar96") { publicKey } }', {})).data!.outlet.publicKey).toBe(second.key);
      await conflictOn(second.id);
      // Two revocations at once of the last two keys: the outlet keeps one.
      const third = await newKey('radar96', 'radio.example');
      const both = await Promise.all([second.id, third.id].map(async (id) => gql(REVOKE_KEY, { id }, adminIdentity())));
      expect(both.filter((answer) => answer.errors === undefined)).toHaveLength(1);
      expectError(both.find((answer) => answer.errors)!, 'CONFLICT');
      expect((await keysOf('radar96')).filter((key) => key.revokedAt === null)).toHaveLength(1);
    });

    it(`keeps at most ${MAX_ACTIVE_OUTLET_KEYS} active keys per outlet (CONFLICT)`, async () => {
      const active = (await keysOf('duta-co')).filter((key) => key.revokedAt === null).length;
      for (let i = active; i < MAX_ACTIVE_OUTLET_KEYS; i++) await newKey('duta-co', `situs-${i}.example`);
      const before = await count('outlet_key');
      expectError(await gql(CREATE_KEY, { slug: 'duta-co', label: 'one too many' }, mediaPartner('duta-co')), 'CONFLICT');
      expect(await count('outlet_key')).toBe(before);
    });

    it('lets an API key of the outlet’s partner read its widget keys, not make or revoke them', async () => {
      const key: Identity = { ...mediaPartner('jtv'), subject: 'apikey:0b0e6e43-8a5c-4d0e-9f1a-2b3c4d5e6f70', scopes: ['widgets:events'] };
      const keys = await keysOf('jtv', key);
      const before = await count('outlet_key');
      expectError(await gql(CREATE_KEY, { slug: 'jtv', label: 'minted.example' }, key), 'FORBIDDEN');
      expectError(await gql(REVOKE_KEY, { id: keys[0]!.id }, key), 'FORBIDDEN');
      expect(await count('outlet_key')).toBe(before);
      expect(await keysOf('jtv')).toEqual(keys);
    });

    it(`lists an outlet’s newest ${MAX_OUTLET_KEYS_LISTED} keys`, async () => {
      const outlet = (await sql<{ id: string }>("select id from $schema.outlet where slug = 'times-indonesia'"))[0]!.id;
      const existing = await count('outlet_key');
      for (let i = 0; i < MAX_OUTLET_KEYS_LISTED + 5; i++) {
        const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
        await sql(`insert into $schema.outlet_key (id, outlet_id, key, label, created_at, created_by, revoked_at, revoked_by) values (gen_random_uuid(), ?, ?, ?, ?, 'test', ?, 'test')`, [
          outlet,
          `opop_pk_old_${String(i).padStart(4, '0')}`,
          `Lama ${i}`,
          at,
          at,
        ]);
      }
      expect(await count('outlet_key')).toBe(existing + MAX_OUTLET_KEYS_LISTED + 5);
      const listed = await keysOf('times-indonesia');
      expect(listed).toHaveLength(MAX_OUTLET_KEYS_LISTED);
      // Newest first: the outlet's own key (created now), then the newest of the old ones.
      expect(listed[0]!.key).toBe(outletOf('times-indonesia').publicKey);
      expect(listed.slice(1).map((key) => key.label)).toEqual(Array.from({ length: MAX_OUTLET_KEYS_LISTED - 1 }, (_, i) => `Lama ${MAX_OUTLET_KEYS_LISTED + 4 - i}`));
    });

    it('refuses bad labels, unknown outlets and unknown keys with typed errors, writing nothing', async () => {
      const before = await count('outlet_key');
      expectError(await gql(CREATE_KEY, { slug: 'jtv', label: ' ' }, mediaPartner('jtv')), 'BAD_USER_INPUT', 'label');
      expectError(await gql(CREATE_KEY, { slug: 'jtv', label: 'x'.repeat(81) }, adminIdentity()), 'BAD_USER_INPUT', 'label');
      expectError(await gql(CREATE_KEY, { slug: 'kompas', label: 'kompas.example' }, adminIdentity()), 'BAD_USER_INPUT', 'outletSlug');
      expectError(await gql(KEYS, { slug: 'kompas' }, adminIdentity()), 'BAD_USER_INPUT', 'outletSlug');
      expectError(await gql(REVOKE_KEY, { id: 'not-an-id' }, adminIdentity()), 'BAD_USER_INPUT', 'id');
      expectError(await gql(REVOKE_KEY, { id: '4ab8ca41-0fa5-4b37-9f50-1ad6f5b40e6a' }, adminIdentity()), 'NOT_FOUND');
      expect(await count('outlet_key')).toBe(before);
    });
  });

  describe.skipIf(Boolean(engine.skip))('one outlet’s partner, another outlet', () => {
    it('refuses another outlet’s keys, statistics and placements: FORBIDDEN, and nothing written', async () => {
      const [tv9Key] = (await keysOf('tv9')).filter((key) => key.revokedAt === null);
      const jtvKey = await newKey('jtv', 'jtv-second.example');
      const strangers: Identity[] = [mediaPartner('jtv'), mediaPartner(null)];
      const before = { keys: await count('outlet_key'), active: (await keysOf('tv9')).filter((key) => !key.revokedAt).length };
      for (const stranger of strangers) {
        const listed = await gql<{ outletKeys: Key[] | null }>(KEYS, { slug: 'tv9' }, stranger);
        expectError(listed, 'FORBIDDEN');
        expect(listed.data?.outletKeys ?? null).toBeNull();
        expectError(await gql(CREATE_KEY, { slug: 'tv9', label: 'not mine' }, stranger), 'FORBIDDEN');
        expectError(await gql(REVOKE_KEY, { id: tv9Key!.id }, stranger), 'FORBIDDEN');
        const stats = await gql<{ widgetStats: Stat[] | null }>(STATS, { slug: 'tv9', days: 30 }, stranger);
        expectError(stats, 'FORBIDDEN');
        expect(stats.data?.widgetStats ?? null).toBeNull();
        const placements = await gql<{ widgetPlacements: unknown[] | null }>(PLACEMENTS, { slug: 'tv9' }, stranger);
        expectError(placements, 'FORBIDDEN');
        expect(placements.data?.widgetPlacements ?? null).toBeNull();
        // Every outlet's placements at once are an admin's view.
        expectError(await gql(PLACEMENTS, {}, stranger), 'FORBIDDEN');
      }
      // A media partner without a partner owns no outlet, its "own" included.
      expectError(await gql(KEYS, { slug: 'jtv' }, mediaPartner(null)), 'FORBIDDEN');
      expectError(await gql(REVOKE_KEY, { id: jtvKey.id }, mediaPartner(null)), 'FORBIDDEN');
      expect(await count('outlet_key')).toBe(before.keys);
      expect((await keysOf('tv9')).filter((key) => !key.revokedAt)).toHaveLength(before.active);
      expect((await keysOf('jtv')).find((key) => key.id === jtvKey.id)?.revokedAt).toBeNull();

      // Other roles are refused by the schema's rule.
      const academic: Identity = { role: 'academic_partner', subject: 'test-academic', pesantrenId: null, scopes: [], partnerId: demoId('partner', 'tv9') };
      for (const query of [KEYS, STATS, PLACEMENTS]) {
        expectError(await gql(query, { slug: 'tv9' }, academic), 'FORBIDDEN');
        expectError(await gql(query, { slug: 'tv9' }), 'UNAUTHENTICATED');
      }
    });

    it('shows a media partner its own outlet’s placements, as an admin sees them', async () => {
      const own = await gql<{ widgetPlacements: { id: string; outlet: { slug: string } }[] }>(PLACEMENTS, { slug: 'jtv' }, mediaPartner('jtv'));
      expect(own.errors).toBeUndefined();
      const seen = own.data!.widgetPlacements;
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen.map((placement) => placement.outlet.slug))).toEqual(new Set(['jtv']));
      expect((await gql<{ widgetPlacements: unknown[] }>(PLACEMENTS, { slug: 'jtv' }, adminIdentity())).data!.widgetPlacements).toEqual(seen);
    });
  });

  describe.skipIf(Boolean(engine.skip))('views and clicks by day and by widget', () => {
    it('equal the counted events, and only the counted ones', async () => {
      const key = outletOf('times-indonesia').publicKey;
      const receipts: boolean[] = [];
      const tally = async (input: Record<string, unknown>, visitor: string, network?: string) => {
        const answer = await record(input, visitor, network);
        expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
        receipts.push(answer.data!.recordWidgetEvent.counted);
      };
      const grid = { widget: 'PRODUCT_GRID', productIds: [product.id], pageUrl: 'https://timesindonesia.co.id/ekonomi/opop' };
      const search = { widget: 'SEARCH', productIds: [], pageUrl: 'https://timesindonesia.co.id/ekonomi/cari' };
      for (let i = 0; i < 5; i++) await tally(event(key), `card-reader-${i}`);
      await tally(event(key), 'card-reader-0'); // the same visitor again: not counted
      await tally(event(key, { event: 'CLICK' }), 'card-reader-1');
      for (let i = 0; i < 3; i++) await tally(event(key, grid), `grid-reader-${i}`);
      await tally(event(key, { ...grid, event: 'CLICK' }), 'grid-reader-2');
      for (let i = 0; i < 24; i++) await tally(event(key, search), `cafe-${i}`, 'one-cafe'); // 20 of one network count
      const counted = receipts.filter(Boolean).length;
      expect(counted).toBe(5 + 1 + 3 + 1 + 20);

      const today = jakartaDay(new Date());
      const expected = [
        { day: today, widget: 'PRODUCT_CARD', views: 5, clicks: 1 },
        { day: today, widget: 'PRODUCT_GRID', views: 3, clicks: 1 },
        { day: today, widget: 'SEARCH', views: 20, clicks: 0 },
      ];
      expect(await stats('times-indonesia', 1)).toEqual(expected);
      expect(await stats('times-indonesia', 1, mediaPartner('times-indonesia'))).toEqual(expected);
      expect(await stats('times-indonesia', 1)).toEqual(await countedEvents('times-indonesia'));
      // The placements' own counters agree.
      const placements = (await gql<{ widgetPlacements: { views: number; clicks: number }[] }>(PLACEMENTS, { slug: 'times-indonesia' }, adminIdentity())).data!.widgetPlacements;
      const demo = (await sql<{ views: number; clicks: number }>("select coalesce(sum(p.views), 0)::int as views, coalesce(sum(p.clicks), 0)::int as clicks from $schema.widget_placement p join $schema.outlet o on o.id = p.outlet_id where o.slug = 'times-indonesia' and p.is_demo"))[0]!;
      expect(placements.reduce((sum, p) => sum + p.views + p.clicks, 0) - demo.views - demo.clicks).toBe(counted);
    });

    it('covers the days asked for, newest first, only days with events, 1 to 366 days', async () => {
      const outlet = (await sql<{ id: string }>("select id from $schema.outlet where slug = 'duta-co'"))[0]!.id;
      const today = Date.parse(`${jakartaDay(new Date())}T00:00:00Z`);
      const daysAgo = (n: number) => new Date(today - n * 86_400_000).toISOString().slice(0, 10);
      for (const [ago, widget, views, clicks] of [[0, 'SEARCH', 4, 1], [29, 'PRODUCT_CARD', 7, 2], [29, 'PESANTREN_BADGE', 1, 0], [30, 'PRODUCT_CARD', 9, 9], [365, 'SEARCH', 2, 0], [366, 'SEARCH', 3, 3]] as const) {
        await sql('insert into $schema.widget_daily_stat (outlet_id, day, widget, views, clicks) values (?, ?, ?, ?, ?)', [outlet, daysAgo(ago), widget, views, clicks]);
      }
      const row = (ago: number, widget: string, views: number, clicks: number) => ({ day: daysAgo(ago), widget, views, clicks });
      const last30 = [row(0, 'SEARCH', 4, 1), row(29, 'PRODUCT_CARD', 7, 2), row(29, 'PESANTREN_BADGE', 1, 0)];
      expect(await stats('duta-co', null)).toEqual(last30);
      expect(await stats('duta-co', 30)).toEqual(last30);
      expect(await stats('duta-co', 1)).toEqual([row(0, 'SEARCH', 4, 1)]);
      expect(await stats('duta-co', 366)).toEqual([...last30, row(30, 'PRODUCT_CARD', 9, 9), row(365, 'SEARCH', 2, 0)]);
      expect(await stats('radar96', 366)).toEqual([]);
      for (const days of [0, -1, 367, 100_000]) expectError(await gql(STATS, { slug: 'duta-co', days }, adminIdentity()), 'BAD_USER_INPUT', 'days');
      expectError(await gql(STATS, { slug: 'kompas', days: 30 }, adminIdentity()), 'BAD_USER_INPUT', 'outletSlug');
    });

    it('commits an event and its daily count together: when one cannot be written, neither is', async () => {
      const key = outletOf('jtv').publicKey;
      await sql(`create function $schema.refuse_for_test() returns trigger language plpgsql as $$ begin raise exception 'daily counts unavailable'; end $$`);
      await sql('create trigger refuse_for_test before insert or update on $schema.widget_daily_stat for each row execute function $schema.refuse_for_test()');
      const before = { events: await count('widget_event'), placements: await sql('select id, views, clicks from $schema.widget_placement order by id'), stats: await stats('jtv', 1) };
      try {
        const refused = await record(event(key, { pageUrl: 'https://jtv.example/berita/gagal-dicatat' }), 'reader-during-outage');
        expectError(refused, 'INTERNAL_SERVER_ERROR');
        expect(refused.data?.recordWidgetEvent ?? null).toBeNull();
        expect(await count('widget_event')).toBe(before.events);
        // Not even the new placement the event would have created.
        expect(await sql('select id, views, clicks from $schema.widget_placement order by id')).toEqual(before.placements);
      } finally {
        await sql('drop trigger refuse_for_test on $schema.widget_daily_stat');
        await sql('drop function $schema.refuse_for_test()');
      }
      expect(await stats('jtv', 1)).toEqual(before.stats);
      // Once the table takes writes again, the same event counts, once, in both.
      expect((await record(event(key, { pageUrl: 'https://jtv.example/berita/gagal-dicatat' }), 'reader-during-outage')).data?.recordWidgetEvent.counted).toBe(true);
      expect(await count('widget_event')).toBe(before.events + 1);
      expect(await stats('jtv', 1)).toEqual(await countedEvents('jtv'));
    });
  });
});

describe.each(testEngines())('the migration to outlet keys and daily counts on $name', (engine) => {
  const subgraph = useTestSubgraph('media', engine, { create: (config) => createMediaService(config, undefined, { references: { pesantren: register, products: register } }) });

  it.skipIf(Boolean(engine.skip))('moves the keys back and forth, and counts the events recorded before it by Jakarta day', async () => {
    const { database } = subgraph.service;
    const sql = <T = Record<string, unknown>>(text: string) => database.orm.em.getConnection().execute<T[]>(text.replaceAll('$schema', `"${database.schema}"`));
    // Back to the schema before it: one key per outlet, in the outlet row.
    await database.orm.migrator.down({ to: Migration20261204190000_widget_event_network_key.name });
    const outlets = await sql<{ slug: string; public_key: string; id: string }>('select id, slug, public_key from $schema.outlet order by slug');
    expect(outlets.map(({ slug, public_key }) => [slug, public_key])).toEqual(OUTLETS.map((o) => [o.slug, o.publicKey]).sort(([a], [b]) => a!.localeCompare(b!)));
    const jtv = outlets.find((o) => o.slug === 'jtv')!.id;
    const tv9 = outlets.find((o) => o.slug === 'tv9')!.id;

    // Events recorded before: around a Jakarta midnight (17:00 UTC), of two widget kinds and two outlets.
    await sql(`insert into $schema.widget_placement (id, placement_key, outlet_id, page_url, widget, product_ids, views, clicks, first_seen_at, last_seen_at) values
      ('00000000-0000-4000-8000-000000000001', 'p1', '${jtv}', 'https://jtv.example/a', 'PRODUCT_CARD', '{}', 3, 1, now(), now()),
      ('00000000-0000-4000-8000-000000000002', 'p2', '${jtv}', 'https://jtv.example/b', 'SEARCH', '{}', 1, 0, now(), now()),
      ('00000000-0000-4000-8000-000000000003', 'p3', '${tv9}', 'https://tv9.example/a', 'PRODUCT_CARD', '{}', 1, 0, now(), now())`);
    await sql(`insert into $schema.widget_event (id, placement_id, kind, dedupe_key, at) values
      ('10000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', 'VIEW', 'd1', '2026-03-01T16:59:59Z'),
      ('10000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 'VIEW', 'd2', '2026-03-01T17:00:00Z'),
      ('10000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', 'VIEW', 'd3', '2026-03-01T23:00:00Z'),
      ('10000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', 'CLICK', 'd4', '2026-03-01T23:30:00Z'),
      ('10000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000002', 'VIEW', 'd5', '2026-03-01T10:00:00Z'),
      ('10000000-0000-4000-8000-000000000006', '00000000-0000-4000-8000-000000000003', 'VIEW', 'd6', '2026-03-01T10:00:00Z')`);

    await database.orm.migrator.up();
    const daily = await sql<{ slug: string; day: string; widget: string; views: number; clicks: number }>(
      `select o.slug, to_char(s.day, 'YYYY-MM-DD') as day, s.widget, s.views, s.clicks from $schema.widget_daily_stat s join $schema.outlet o on o.id = s.outlet_id order by 1, 2, 3`,
    );
    expect(daily).toEqual([
      { slug: 'jtv', day: '2026-03-01', widget: 'PRODUCT_CARD', views: 1, clicks: 0 },
      { slug: 'jtv', day: '2026-03-01', widget: 'SEARCH', views: 1, clicks: 0 },
      { slug: 'jtv', day: '2026-03-02', widget: 'PRODUCT_CARD', views: 2, clicks: 1 },
      { slug: 'tv9', day: '2026-03-01', widget: 'PRODUCT_CARD', views: 1, clicks: 0 },
    ]);
    const keys = await sql<{ slug: string; key: string; label: string; revoked_at: Date | null }>(
      'select o.slug, k.key, k.label, k.revoked_at from $schema.outlet_key k join $schema.outlet o on o.id = k.outlet_id order by o.slug',
    );
    expect(keys).toEqual(OUTLETS.map((o) => ({ slug: o.slug, key: o.publicKey, label: 'Kunci awal', revoked_at: null })).sort((a, b) => a.slug.localeCompare(b.slug)));
    const partners = await sql<{ slug: string; partner_id: string }>('select slug, partner_id from $schema.outlet order by slug');
    expect(partners).toEqual(OUTLETS.map((o) => ({ slug: o.slug, partner_id: demoId('partner', o.slug) })).sort((a, b) => a.slug.localeCompare(b.slug)));
  });
});
