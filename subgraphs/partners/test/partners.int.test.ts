import { PARTNERS, generatePartners, generateWorld } from '@opop/demo-data';

import { countPerGroup, firstRecordsPerGroup } from '@opop/server-kit';
import { visitorHeaders, adminIdentity, countQueries, identityHeaders, schemaDrift, testEngines } from '@opop/server-kit/testing';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import { describe, expect, it } from 'vitest';
import { loadPartners } from '../seeders/partners.seeder.ts';
import { createPartnersService } from '../src/app.ts';

import { randomUUID } from 'node:crypto';
import { ApiKey } from '../src/modules/api-key/api-key.entity.ts';
import { MAX_API_KEYS_LISTED } from '../src/modules/api-key/api-key.repository.ts';
import { Agreement, Innovation, InterestExpression, Replication } from '../src/modules/innovation/innovation.entity.ts';
import { MAX_AGREEMENTS_LISTED, MAX_REPLICATIONS_LISTED } from '../src/modules/innovation/innovation.repository.ts';
import { Engagement, EngagementPesantren, EngagementProduct, Partner } from '../src/modules/partner/partner.entity.ts';
import { MAX_ENGAGEMENTS_LISTED, MAX_PARTNERS_LISTED } from '../src/modules/partner/partner.repository.ts';

const world = generateWorld('demo');
const generated = generatePartners(world);
const FUNNEL = '{ innovation { funnel { views interests agreements replications } } }';
type Funnel = { views: number; interests: number; agreements: number; replications: number };

describe.each(testEngines())('partners subgraph on $name', (engine) => {
  const subgraph = useTestSubgraph('partners', engine, { create: (config) => createPartnersService(config), seed: (em) => loadPartners(em, world) });
  const { gql } = subgraph;
  const funnel = async () => (await gql<{ innovation: { funnel: Funnel } }>(FUNNEL)).data!.innovation.funnel;

  describe.skipIf(Boolean(engine.skip))('partners and engagements', () => {
    it('migrations build exactly the schema the entities describe, with the programme’s partners', async () => {
      expect(await schemaDrift(subgraph.service.database)).toBe('');
      const { data } = await gql<{ partners: { slug: string; role: string }[]; media: { name: string }[] }>('{ partners { slug role } media: partners(role: MEDIA) { name } }');
      expect(data?.partners).toHaveLength(PARTNERS.length);
      expect(data?.media.map((p) => p.name).sort()).toEqual(['Duta.co', 'JTV', 'Radar96', 'TV9', 'Times Indonesia']);
    });

    it('gives every pesantren its partnerships in one SQL query per kind of thing asked for', async () => {
      const representations = world.pesantren.map((p) => ({ __typename: 'Pesantren', id: p.id }));
      const { result, queries } = await countQueries(subgraph.service.database, () =>
        gql<{ _entities: { partnerships: { aspect: string; partner: { name: string } }[] }[] }>(
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Pesantren { partnerships { aspect partner { name } } } } }',
          { r: representations },
        ),
      );
      expect(result.errors).toBeUndefined();
      expect(queries).toHaveLength(2);
      world.pesantren.forEach((pesantren, index) => {
        expect(result.data!._entities[index]!.partnerships).toHaveLength(generated.engagements.filter((e) => e.pesantrenIds.includes(pesantren.id)).length);
      });
    });

    it('lists the partner programmes behind a product', async () => {
      const engagement = generated.engagements.find((e) => e.productIds.length > 0)!;
      const { data } = await gql<{ _entities: { partnerPrograms: { title: { indonesian: string } }[] }[] }>(
        `{ _entities(representations: [{ __typename: "Product", id: "${engagement.productIds[0]}" }]) { ... on Product { partnerPrograms { title { indonesian } } } } }`,
      );
      expect(data?._entities[0]!.partnerPrograms.map((p) => p.title.indonesian)).toContain(engagement.titleId);
    });

    it("lists the first pesantren of each engagement it is asked for, with how many there are", async () => {
      const engagement = [...generated.engagements].sort((a, b) => b.pesantrenIds.length - a.pesantrenIds.length)[0]!;
      expect(engagement.pesantrenIds.length).toBeGreaterThan(2);
      const read = (first: number | null) =>
        gql<{ engagement: { all: { id: string }[]; some: { id: string }[] | null; pesantrenCount: number } }>(
          'query($id: ID!, $first: Int) { engagement(id: $id) { all: pesantren { id } some: pesantren(first: $first) { id } pesantrenCount } }',
          { id: engagement.id, first },
        );
      const { data, errors } = await read(2);
      expect(errors).toBeUndefined();
      // In one stable order (by key), so the first few a page shows are the same on every build.
      expect(data?.engagement.all.map((p) => p.id)).toEqual([...engagement.pesantrenIds].sort());
      expect(data?.engagement.some).toEqual(data?.engagement.all.slice(0, 2));
      expect(data?.engagement.pesantrenCount).toBe(engagement.pesantrenIds.length);
      for (const first of [0, -1, 501]) expectError(await read(first), 'BAD_USER_INPUT', 'first');
    });

    it("answers the storefront's partners page (a few engagements of each partner, a few pesantren of each) in one SQL query per list and count", async () => {
      type Page = { partners: { slug: string; engagements: { id: string; pesantren: { id: string }[]; pesantrenCount: number }[] }[] };
      const { result, queries } = await countQueries(subgraph.service.database, () =>
        gql<Page>('{ partners { slug engagementCount engagements(first: 3) { id pesantren(first: 2) { id } pesantrenCount } } }'),
      );
      expect(result.errors).toBeUndefined();
      // Partners, their engagement counts, their engagements, those engagements' first pesantren, and how many each has.
      expect(queries).toHaveLength(5);
      const byId = new Map(generated.engagements.map((e) => [e.id, e]));
      const shown = result.data!.partners.flatMap((partner) => partner.engagements);
      expect(shown.length).toBeGreaterThan(0);
      for (const engagement of shown) {
        const recorded = byId.get(engagement.id)!;
        expect(engagement.pesantrenCount).toBe(recorded.pesantrenIds.length);
        expect(engagement.pesantren.map((p) => p.id)).toEqual([...recorded.pesantrenIds].sort().slice(0, 2));
      }
      expect(shown.some((engagement) => engagement.pesantrenCount > 2)).toBe(true);
    });

    it('reads each group once, and the keys nothing belongs to as empty, however the keys are given', async () => {
      const engagement = [...generated.engagements].sort((a, b) => b.pesantrenIds.length - a.pesantrenIds.length)[0]!;
      const other = generated.engagements.find((e) => e.id !== engagement.id)!;
      const unknown = randomUUID();
      const em = subgraph.service.database.fork();
      const keys = [engagement.id, other.id, engagement.id, unknown];
      const groups = await firstRecordsPerGroup<{ pesantrenId: string }>(em, EngagementPesantren, { keys, groupBy: 'engagement', orderBy: { pesantrenId: 'asc' }, limit: 3 });
      expect(groups.get(engagement.id)!.map((link) => link.pesantrenId)).toEqual([...engagement.pesantrenIds].sort().slice(0, 3));
      expect(groups.get(other.id)!.map((link) => link.pesantrenId)).toEqual([...other.pesantrenIds].sort().slice(0, 3));
      expect(groups.has(unknown)).toBe(false);
      expect(await countPerGroup(em, EngagementPesantren, { keys, groupBy: 'engagement' })).toEqual([engagement.pesantrenIds.length, other.pesantrenIds.length, engagement.pesantrenIds.length, 0]);
    });

    it("lists each partner's newest engagements, as many as asked, and how many it has run, one SQL query for each", async () => {
      type Listed = { slug: string; engagementCount: number; few: { id: string }[]; all: { id: string }[] };
      const read = (first: number | null) =>
        gql<{ partners: Listed[] }>('query($first: Int) { partners { slug engagementCount few: engagements(first: $first) { id } all: engagements { id } } }', { first });
      const { result, queries } = await countQueries(subgraph.service.database, () => read(1));
      expect(result.errors).toBeUndefined();
      // The partners, each list size asked for, and the counts.
      expect(queries).toHaveLength(4);
      for (const partner of result.data!.partners) {
        const own = generated.engagements.filter((e) => e.partnerSlug === partner.slug);
        const newestFirst = [...own].sort((a, b) => b.startsOn.localeCompare(a.startsOn) || a.id.localeCompare(b.id)).map((e) => e.id);
        expect(partner.engagementCount).toBe(own.length);
        expect(partner.all.map((e) => e.id)).toEqual(newestFirst);
        expect(partner.few.map((e) => e.id)).toEqual(newestFirst.slice(0, 1));
      }
      expect(result.data!.partners.some((p) => p.engagementCount > 1)).toBe(true);
      for (const first of [0, -1, MAX_ENGAGEMENTS_LISTED + 1]) expectError(await read(first), 'BAD_USER_INPUT', 'first');
    });

    it('records engagements for programme admins only, with valid periods and known partners', async () => {
      const create = `mutation($input: CreateEngagementInput!) { createEngagement(input: $input) { partner { slug } aspect pesantren { id } endsOn } }`;
      const input = { partnerSlug: 'mui', aspect: 'PRODUCT', titleIndonesian: 'Pendampingan halal 2025', startsOn: '2025-02-01', endsOn: '2025-06-30', pesantrenIds: [world.pesantren[0]!.id] };
      expectError(await gql(create, { input }), 'UNAUTHENTICATED');
      const admin = await identityHeaders(adminIdentity());
      expect((await gql(create, { input }, admin)).data).toEqual({ createEngagement: { partner: { slug: 'mui' }, aspect: 'PRODUCT', pesantren: [{ id: world.pesantren[0]!.id }], endsOn: '2025-06-30' } });
      expectError(await gql(create, { input: { ...input, partnerSlug: 'no-such-partner' } }, admin), 'BAD_USER_INPUT', 'input.partnerSlug');
      expectError(await gql(create, { input: { ...input, endsOn: '2024-12-31' } }, admin), 'BAD_USER_INPUT', 'input.endsOn');
      // An impossible date is refused by the Date scalar itself, before any resolver runs.
      const impossible = await gql(create, { input: { ...input, startsOn: '2025-02-30' } }, admin);
      expectError(impossible, 'BAD_USER_INPUT');
      expect(impossible.errors?.[0]?.message).toMatch(/startsOn/);
    });
  });

  describe.skipIf(Boolean(engine.skip))('the innovation funnel', () => {
    it('starts from the recorded events: EKO-TREN replicated by eight regions of East Java and Kalimantan Selatan', async () => {
      const { data } = await gql<{ innovation: { funnel: Funnel; replications: { region: { name: string; kind: string; bpsCode: string } }[] } }>(
        '{ innovation(slug: "eko-tren") { funnel { views interests agreements replications } replications { region { name kind bpsCode } } } }',
      );
      const uniqueViews = new Set(generated.funnel.views.map((v) => `${v.visitorId}|${v.at.toISOString().slice(0, 10)}`)).size;
      expect(data?.innovation.funnel).toEqual({ views: uniqueViews, interests: generated.funnel.interests.length, agreements: 9, replications: 9 });
      expect(data?.innovation.replications.map((r) => r.region)).toContainEqual({ name: 'Provinsi Kalimantan Selatan', kind: 'PROVINCE', bpsCode: '63' });
    });

    it('counts each visitor the router identifies once a day, at most 20 per network, and ignores the client’s visitorId', async () => {
      const before = await funnel();
      const view = (visitor: { id: string; network?: string }, visitorId = 'chosen-by-client') =>
        gql('mutation($v: String) { recordInnovationView(visitorId: $v) { views } }', { v: visitorId }, visitorHeaders(visitor));
      await Promise.all(Array.from({ length: 5 }, (_, i) => view({ id: 'browser-aaaa' }, `fresh-id-${i}`)));
      await view({ id: 'browser-bbbb' });
      expect((await funnel()).views).toBe(before.views + 2);
      // Rotating browsers behind one address: the network's share is capped.
      for (let i = 0; i < 30; i++) await view({ id: `rotating-${i}`, network: 'one-office' });
      expect((await funnel()).views).toBe(before.views + 2 + 20);
      // Straight to the subgraph, not through the router: no visitor to count.
      expectError(await gql('mutation { recordInnovationView { views } }'), 'BAD_USER_INPUT');
      // A forged visitor header is no visitor either.
      expectError(await gql('mutation { recordInnovationView { views } }', {}, { 'x-opop-visitor': 'net.forged.signature' }), 'BAD_USER_INPUT');
      expect((await funnel()).views).toBe(before.views + 22);
    });

    it('takes expressions of interest from anyone, with a way to reply, and shows their details to admins only', async () => {
      const express = `mutation($input: ExpressInterestInput!) { expressInterest(input: $input) { received funnel { interests } } }`;
      const input = { name: 'Siti Demo', organisation: 'Dinas Koperasi Kabupaten Demo', email: 'siti@example.org', region: 'Kabupaten Demo', message: 'Kami ingin mereplikasi EKO-TREN di daerah kami.' };
      const before = await funnel();
      const response = await gql<{ expressInterest: { received: boolean; funnel: { interests: number } } }>(express, { input });
      expect(response.data?.expressInterest).toEqual({ received: true, funnel: { interests: before.interests + 1 } });
      const rows = await subgraph.service.database.fork().count(InterestExpression, {});
      expectError(await gql(express, { input: { ...input, email: null } }), 'BAD_USER_INPUT', 'input.email');
      expectError(await gql(express, { input: { ...input, email: 'not-an-email' } }), 'BAD_USER_INPUT', 'input.email');
      expectError(await gql(express, { input: { ...input, email: null, phone: '021 555' } }), 'BAD_USER_INPUT', 'input.phone');
      expectError(await gql(express, { input: { ...input, message: 'x'.repeat(2_001) } }), 'BAD_USER_INPUT', 'input.message');
      expect(await subgraph.service.database.fork().count(InterestExpression, {})).toBe(rows);

      const interests = '{ innovationInterests(first: 1) { name email organisation } }';
      expectError(await gql(interests), 'UNAUTHENTICATED');
      expect((await gql(interests, {}, await identityHeaders(adminIdentity()))).data).toEqual({ innovationInterests: [{ name: 'Siti Demo', email: 'siti@example.org', organisation: 'Dinas Koperasi Kabupaten Demo' }] });
    });

    it('records agreements and replications from programme admins, across provinces', async () => {
      const replicate = `mutation($input: RecordReplicationInput!) { recordReplication(input: $input) { region { name kind bpsCode provinceName } startedOn } }`;
      const input = { region: { name: 'Provinsi Nusa Tenggara Barat', kind: 'PROVINCE', bpsCode: '52', provinceName: 'Nusa Tenggara Barat' }, startedOn: '2025-05-01' };
      expectError(await gql(replicate, { input }), 'UNAUTHENTICATED');
      const before = await funnel();
      const admin = await identityHeaders(adminIdentity());
      expect((await gql(replicate, { input }, admin)).errors).toBeUndefined();
      expect((await funnel()).replications).toBe(before.replications + 1);
      expectError(await gql(replicate, { input: { ...input, region: { ...input.region, bpsCode: '5201' } } }, admin), 'BAD_USER_INPUT', 'input.region.bpsCode');
      const agreement = `mutation($input: RecordAgreementInput!) { recordAgreement(input: $input) { region { name kind bpsCode provinceName } signedOn } }`;
      const tuban = { region: { name: 'Kabupaten Tuban', kind: 'REGENCY', bpsCode: '3523', provinceName: 'Jawa Timur' }, signedOn: '2025-04-02' };
      const beforeAgreement = await funnel();
      expect((await gql(agreement, { input: tuban }, admin)).data).toEqual({ recordAgreement: tuban });
      expect((await funnel()).agreements).toBe(beforeAgreement.agreements + 1);
      // Refused input writes nothing, neither the record nor its funnel event.
      expectError(await gql(agreement, { input: { ...tuban, innovationSlug: 'no-such-innovation' } }, admin), 'BAD_USER_INPUT', 'input.innovationSlug');
      expectError(await gql(agreement, { input: { ...tuban, signedOn: '2999-01-01' } }, admin), 'BAD_USER_INPUT', 'input.signedOn');
      expectError(await gql(replicate, { input: { ...input, innovationSlug: 'no-such-innovation' } }, admin), 'BAD_USER_INPUT', 'input.innovationSlug');
      expect(await funnel()).toEqual({ ...beforeAgreement, agreements: beforeAgreement.agreements + 1 });
    });

    it('offers no way to set a counter: they only move through events', async () => {
      const { data } = await gql<{ __type: { fields: { name: string }[] } }>('{ __type(name: "Mutation") { fields { name } } }');
      expect(data?.__type.fields.map((f) => f.name).sort()).toEqual(['createApiKey', 'createEngagement', 'expressInterest', 'recordAgreement', 'recordInnovationView', 'recordReplication', 'revokeApiKey']);
    });
  });

  describe.skipIf(Boolean(engine.skip))('list maxima the SDL declares', () => {
    /** `count` dates a day apart, newest first from 2026-01-01 backwards: what a newest-first list shows. */
    const days = (count: number) => Array.from({ length: count }, (_, i) => new Date(Date.UTC(2026, 0, 1) - i * 86_400_000).toISOString().slice(0, 10));

    it(`lists a partner's, a pesantren's and a product's newest ${MAX_ENGAGEMENTS_LISTED} engagements, each list in one SQL query`, async () => {
      const em = subgraph.service.database.fork();
      const partner = em.create(Partner, { slug: 'uji-batas', name: 'Mitra Uji Batas', role: 'BUSINESS', site: null, logoUrl: null });
      const pesantrenId = randomUUID();
      const productId = randomUUID();
      const dates = days(MAX_ENGAGEMENTS_LISTED + 5);
      // Written oldest first, so that the order shown comes from the query, not from insertion.
      for (const startsOn of [...dates].reverse()) {
        const engagement = em.create(Engagement, { partner, aspect: 'PRODUCT', titleIndonesian: `Pendampingan ${startsOn}`, titleEnglish: null, startsOn, endsOn: null, outcomeIndonesian: null, outcomeEnglish: null });
        em.create(EngagementPesantren, { engagement, pesantrenId });
        em.create(EngagementProduct, { engagement, productId });
      }
      await em.flush();
      const newest = dates.slice(0, MAX_ENGAGEMENTS_LISTED);
      const ofPartner = await gql<{ partner: { engagements: { startsOn: string }[] } }>('{ partner(slug: "uji-batas") { engagements { startsOn } } }');
      expect(ofPartner.errors).toBeUndefined();
      expect(ofPartner.data!.partner.engagements.map((e) => e.startsOn)).toEqual(newest);
      const { result, queries } = await countQueries(subgraph.service.database, () =>
        gql<{ _entities: ({ partnerships?: { startsOn: string }[]; partnerPrograms?: { startsOn: string }[] })[] }>(
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Pesantren { partnerships { startsOn } } ... on Product { partnerPrograms { startsOn } } } }',
          { r: [{ __typename: 'Pesantren', id: pesantrenId }, { __typename: 'Product', id: productId }] },
        ),
      );
      expect(result.errors).toBeUndefined();
      expect(queries).toHaveLength(2);
      expect(result.data!._entities[0]!.partnerships!.map((e) => e.startsOn)).toEqual(newest);
      expect(result.data!._entities[1]!.partnerPrograms!.map((e) => e.startsOn)).toEqual(newest);
    });

    it(`lists an innovation's newest ${MAX_AGREEMENTS_LISTED} agreements and ${MAX_REPLICATIONS_LISTED} replications`, async () => {
      const em = subgraph.service.database.fork();
      const innovation = em.create(Innovation, { slug: 'uji-batas', nameIndonesian: 'Inovasi Uji Batas', nameEnglish: null, descriptionIndonesian: 'Inovasi untuk menguji batas daftar.', descriptionEnglish: null });
      const region = { regionName: 'Kabupaten Pasuruan', regionKind: 'REGENCY' as const, regionBpsCode: '3514', provinceName: 'Jawa Timur', note: null, recordedBy: 'test-admin' };
      const dates = days(Math.max(MAX_AGREEMENTS_LISTED, MAX_REPLICATIONS_LISTED) + 5);
      for (const on of [...dates].reverse()) {
        em.create(Agreement, { innovation, ...region, signedOn: on });
        em.create(Replication, { innovation, ...region, startedOn: on });
      }
      await em.flush();
      const { data, errors } = await gql<{ innovation: { agreements: { signedOn: string }[]; replications: { startedOn: string }[] } }>(
        '{ innovation(slug: "uji-batas") { agreements { signedOn } replications { startedOn } } }',
      );
      expect(errors).toBeUndefined();
      expect(data!.innovation.agreements.map((a) => a.signedOn)).toEqual(dates.slice(0, MAX_AGREEMENTS_LISTED));
      expect(data!.innovation.replications.map((r) => r.startedOn)).toEqual(dates.slice(0, MAX_REPLICATIONS_LISTED));
    });

    it(`lists a partner's newest ${MAX_API_KEYS_LISTED} API keys`, async () => {
      const em = subgraph.service.database.fork();
      const partner = await em.findOneOrFail(Partner, { slug: 'uji-batas' });
      const start = Date.UTC(2026, 0, 1);
      for (let i = 0; i < MAX_API_KEYS_LISTED + 5; i++) {
        em.create(ApiKey, {
          partner,
          name: `Kunci ${i}`,
          role: 'media_partner',
          scopes: ['widgets:events'],
          allowedOrigins: [],
          prefix: `opop_uji_${String(i).padStart(4, '0')}`,
          secretHash: 'f'.repeat(64),
          createdAt: new Date(start + i * 60_000),
          createdBy: 'test-admin',
        });
      }
      await em.flush();
      const { data, errors } = await gql<{ apiKeys: { name: string }[] }>('{ apiKeys(partnerSlug: "uji-batas") { name } }', {}, await identityHeaders(adminIdentity()));
      expect(errors).toBeUndefined();
      expect(data!.apiKeys.map((key) => key.name)).toEqual(Array.from({ length: MAX_API_KEYS_LISTED }, (_, i) => `Kunci ${MAX_API_KEYS_LISTED + 4 - i}`));
    });

    it(`lists at most ${MAX_PARTNERS_LISTED} partners`, async () => {
      const em = subgraph.service.database.fork();
      const before = await em.count(Partner, {});
      for (let i = before; i <= MAX_PARTNERS_LISTED + 5; i++) em.create(Partner, { slug: `mitra-uji-${i}`, name: `Mitra Uji ${i}`, role: 'COMMUNITY', site: null, logoUrl: null });
      await em.flush();
      expect(await em.count(Partner, {})).toBeGreaterThan(MAX_PARTNERS_LISTED);
      const { data, errors } = await gql<{ partners: { slug: string }[] }>('{ partners { slug } }');
      expect(errors).toBeUndefined();
      expect(data!.partners).toHaveLength(MAX_PARTNERS_LISTED);
    });
  });
});
