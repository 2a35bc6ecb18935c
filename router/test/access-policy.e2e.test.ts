import { randomInt, randomUUID } from 'node:crypto';
import { createAcademicsService } from '@opop/academics/app';
import { loadAcademics } from '@opop/academics/seeder';
import { createCatalogueService, type CatalogueService } from '@opop/catalogue/app';
import { EMBEDDED_SEARCH } from '@opop/catalogue/config';
import { loadCatalogue } from '@opop/catalogue/seeder';
import { generateWorld, type DemoWorld } from '@opop/demo-data';
import { createMediaService } from '@opop/media/app';
import { loadMedia } from '@opop/media/seeder';
import { createPartnersService } from '@opop/partners/app';
import { loadPartners } from '@opop/partners/seeder';
import { createPesantrenService } from '@opop/pesantren/app';
import { loadPesantren } from '@opop/pesantren/seeder';
import * as academicsModule from '@opop/academics';
import * as catalogueModule from '@opop/catalogue';
import * as mediaModule from '@opop/media';
import * as partnersModule from '@opop/partners';
import * as pesantrenModule from '@opop/pesantren';
import {
  ROLES,
  SERVICE_ROLE,
  buildSubgraph,
  enforceAccess,
  isAllowed,
  issueAccessToken,
  readAccessRules,
  type AccessRule,
  type Database,
  type EntityManager,
  type Identity,
  type Role,
  type SubgraphConfig,
  type SubgraphModule,
} from '@opop/server-kit';
import { TEST_ACCESS_TOKEN_SECRET, TEST_IDENTITY_SECRET, dropTestSchema, postGraphQL, testEngines, testSubgraphConfig, type GraphQLResponse } from '@opop/server-kit/testing';
import { getNamedType, isAbstractType, isLeafType, isNonNullType, isObjectType, type GraphQLNamedType, type GraphQLObjectType } from 'graphql';
import { phonePhoto } from '../../subgraphs/catalogue/test/photo-files.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessPolicy, type Access, type AccessPolicy, type FieldPolicy, type TableRole } from '../../scripts/access-policy.ts';
import { createRouter, type Router } from '../src/app.ts';
import { composeSupergraph } from '../src/compose.ts';
import type { RouterConfig } from '../src/config.ts';
import type { SubgraphName } from '../src/subgraphs.ts';
import { inParallel } from './support.ts';

/**
 * Walks the policy table (docs/access-policy.md) through the router: for every field of the
 * public API and every role, an operation that reaches the field, compared with the table. A
 * field the table refuses must fail with UNAUTHENTICATED (anonymous) or FORBIDDEN (others) from
 * its declared rule, before any resolver ran: the error names the field the rule is on, so a
 * resolver that happens to refuse too does not hide a rule that is no longer enforced. A field
 * the table allows must be answered, at least once, without either code.
 *
 * Paths are found in the schema: from Query (Mutation only where nothing else leads), through
 * fields the caller may read, with the arguments below. Allowed fields of one caller are asked
 * for together, one operation per root field; a field refused by its own rule gets an operation
 * of its own, so that one refusal cannot hide another. Rules that never refuse anyone first
 * (behind a field with the same or a narrower rule) are checked on each subgraph's schema below.
 */

type Service = { server: { close(): Promise<void>; listen(h: string, p: number): Promise<string> }; database: Database };

const loading = (load: (em: EntityManager, world: DemoWorld) => Promise<unknown>) => (service: Service) => load(service.database.fork(), world);
const SUBGRAPH_SERVICES: Record<SubgraphName, { create: (config: SubgraphConfig) => Promise<Service>; load: (service: Service) => Promise<unknown> }> = {
  catalogue: {
    // No polling: the index is rebuilt once the demo data is in, as a first `npm start` builds it.
    create: (config) => createCatalogueService({ ...config, search: { ...EMBEDDED_SEARCH, pollMs: 60_000 } }),
    load: async (service) => {
      await loadCatalogue(service.database.fork(), world);
      await (service as CatalogueService).indexer.rebuild();
    },
  },
  pesantren: { create: createPesantrenService, load: loading(loadPesantren) },
  academics: { create: createAcademicsService, load: loading(loadAcademics) },
  partners: { create: createPartnersService, load: loading(loadPartners) },
  media: { create: createMediaService, load: loading(loadMedia) },
};
const NAMES = Object.keys(SUBGRAPH_SERVICES) as SubgraphName[];
const engine = testEngines().find((candidate) => candidate.name === 'pglite')!;
const world = generateWorld('demo');
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;

/** A caller of the walk: a role, with or without every scope the rules name. */
interface Caller {
  name: string;
  identity: Identity;
  /** Whether the table lets this caller read a cell. */
  reads: (access: Access) => boolean;
  /** Whether this caller's walk covers a cell (the scoped callers only walk the "with scope" cells). */
  walks: (access: Access) => boolean;
}

/** What the fixtures need from the demo data, looked up through the API once it runs. */
interface Demo {
  product: { id: string; slug: string };
  seller: { id: string; slug: string };
  programme: string;
  lab: string;
  engagement: string;
  partner: string;
  /** The media partner the outlet is: the walk's media partner acts for it. */
  mediaPartner: { id: string; slug: string };
  academicPartner: { id: string; slug: string };
  outlet: { slug: string; publicKey: string; partnerId: string };
  article: string;
  category: string;
  /** The status link of a transfer order to a seller with a bank account and a QRIS, so both are reached. */
  orderToken: string;
}

const text = (value: string) => JSON.stringify(value);

/**
 * Arguments per field coordinate. Mutations a caller may call either succeed (where their answer
 * is the only way to the type they return) or fail on their input after the access check
 * (random ids, invalid values), so the walk changes nothing else it depends on.
 */
function fixtures(demo: Demo): Record<string, (caller: Caller) => string> {
  const missing = randomUUID();
  return {
    'Query.programme': () => `(id: ${text(demo.programme)})`,
    'Query.entrepreneurshipLab': () => `(id: ${text(demo.lab)})`,
    'Query.enrolmentStats': () => '(groupBy: [REGENCY, GENDER])',
    'Query.santriRecords': (caller) => `(purpose: ${caller.identity.role === 'academic_partner' ? 'RESEARCH' : 'PROGRAMME_EVALUATION'}, first: 5)`,
    'Query.santriRecordAccessLog': () => '(first: 5)',
    'Query.product': () => `(slug: ${text(demo.product.slug)})`,
    'Query.products': () => '(first: 3)',
    'Query.category': () => `(slug: ${text(demo.category)})`,
    'Query.seller': () => `(slug: ${text(demo.seller.slug)})`,
    'Query.managedProducts': () => '(first: 3)',
    'Query.searchProducts': () => '(query: "keripik", pageSize: 3)',
    'Query.managedOrders': () => '(first: 3)',
    'Query.orderStatus': () => `(token: ${text(demo.orderToken)})`,
    'Query.outlet': () => `(slug: ${text(demo.outlet.slug)})`,
    'Query.article': () => `(slug: ${text(demo.article)})`,
    'Query.articles': () => '(first: 3)',
    // Partners act for their own outlet and partner only (the kit's requireOwnPartner): the walk's partners ask for theirs.
    'Query.widgetPlacements': () => `(outletSlug: ${text(demo.outlet.slug)}, first: 3)`,
    'Query.outletKeys': () => `(outletSlug: ${text(demo.outlet.slug)})`,
    'Query.widgetStats': () => `(outletSlug: ${text(demo.outlet.slug)}, days: 30)`,
    'Query.partner': () => `(slug: ${text(demo.partner)})`,
    'Query.engagement': () => `(id: ${text(demo.engagement)})`,
    'Query.innovationInterests': () => '(first: 3)',
    'Query.apiKeys': (caller) => `(partnerSlug: ${text(caller.identity.role === 'academic_partner' ? demo.academicPartner.slug : demo.mediaPartner.slug)})`,
    'Query.pesantren': () => `(slug: ${text(sidogiri.slug)})`,
    'Query.pesantrenList': () => '(first: 3)',
    'Query.regencies': () => '(provinceCode: "35")',
    'Query.regency': () => '(code: "3514")',
    'Pesantren.products': () => '(first: 3)',
    'Pesantren.coverage': () => '(first: 3)',
    'Product.coverage': () => '(first: 3)',
    'Seller.products': () => '(first: 3)',
    'Outlet.articles': () => '(first: 3)',

    'Mutation.createProgramme': () => `(input: { pesantrenId: ${text(sidogiri.id)}, regencyCode: "3514", kind: MTS, name: "" })`,
    'Mutation.enrolSantri': () =>
      `(input: { programmeId: ${text(demo.programme)}, birthYear: 2011, gender: FEMALE, intakeYear: 2024,
        guardianConsents: [{ purpose: RESEARCH, relationship: MOTHER, evidence: "FPW-2024-000123", grantedOn: "2024-07-01" }] })`,
    'Mutation.recordGuardianConsent': () => `(pseudonymousId: ${text(missing)}, consent: { purpose: RESEARCH, relationship: MOTHER, evidence: "FPW-2024-000124", grantedOn: "2024-07-01" })`,
    'Mutation.withdrawGuardianConsent': () => `(pseudonymousId: ${text(missing)}, purpose: RESEARCH, withdrawnOn: "2024-08-01")`,
    'Mutation.recordLabActivity': () => `(labId: ${text(missing)}, activity: { kind: TRAINING, titleIndonesian: "Pelatihan", on: "2024-07-01", participants: 12 })`,
    'Mutation.createSeller': () => `(input: { pesantrenId: ${text(sidogiri.id)}, name: "", pillar: SANTRIPRENEUR, regencyCode: "3514", descriptionIndonesian: "" })`,
    'Mutation.createProduct': () =>
      `(input: { sellerId: ${text(missing)}, category: ${text(demo.category)}, nameIndonesian: "", descriptionIndonesian: "", priceRupiah: -1, stock: 0, unit: "", weightGrams: 0 })`,
    'Mutation.updateProduct': () => `(id: ${text(missing)}, input: {})`,
    // A real upload slot (unused URLs expire), so PhotoUpload's fields are reached.
    'Mutation.startPhotoUpload': () => `(input: { productId: ${text(demo.product.id)}, byteSize: 1000, altIndonesian: "Foto kemasan" })`,
    'Mutation.arrangeProductPhotos': () => `(productId: ${text(missing)}, photos: [])`,
    'Mutation.submitProductForCuration': () => `(id: ${text(missing)})`,
    'Mutation.startProductReview': () => `(id: ${text(missing)})`,
    'Mutation.featureProduct': () => `(id: ${text(missing)})`,
    'Mutation.requestProductRevision': () => `(id: ${text(missing)}, reason: "Foto kemasan kurang jelas")`,
    'Mutation.recordProductView': () => `(productId: ${text(demo.product.id)}, visitorId: ${text(randomUUID())})`,
    'Mutation.requestOrder': () =>
      `(input: { idempotencyKey: ${text(randomUUID())}, items: [{ productId: ${text(demo.product.id)}, quantity: 1 }], buyerName: "Siti Aminah",
        buyerPhone: ${text(`0812 ${randomInt(1000, 10_000)} ${randomInt(1000, 10_000)}`)}, deliveryAddress: "Jl. Raya Sidogiri No. 5, Kraton, Pasuruan", paymentMethod: COD, note: "Walk" })`,
    'Mutation.setSellerPaymentDetails': () => `(sellerId: ${text(missing)}, input: {})`,
    'Mutation.updateSeller': () => `(id: ${text(missing)}, input: {})`,
    'Mutation.confirmOrderRequest': () => `(id: ${text(missing)})`,
    'Mutation.cancelOrderRequest': () => `(id: ${text(missing)}, reason: "Stok habis")`,
    'Mutation.publishArticle': () => `(input: { outletSlug: "no-such-outlet", titleIndonesian: "", bodyMarkdown: "", pesantrenIds: [] })`,
    'Mutation.recordWidgetEvent': () =>
      `(input: { outletKey: ${text(demo.outlet.publicKey)}, pageUrl: "https://news.example/artikel", widget: PRODUCT_CARD, productIds: [${text(demo.product.id)}], event: VIEW, visitorId: ${text(randomUUID())} })`,
    'Mutation.recordInnovationView': () => `(visitorId: ${text(randomUUID())})`,
    'Mutation.expressInterest': () =>
      `(input: { name: "Budi Santoso", organisation: "Dinas Koperasi Kabupaten Contoh", email: "budi@example.org", region: "Kabupaten Contoh", message: "Kami ingin mereplikasi EKO-TREN." })`,
    'Mutation.recordAgreement': () => `(input: { innovationSlug: "no-such-innovation", region: { name: "Contoh", kind: REGENCY, provinceName: "Contoh" }, signedOn: "2024-07-01" })`,
    'Mutation.recordReplication': () => `(input: { innovationSlug: "no-such-innovation", region: { name: "Contoh", kind: REGENCY, provinceName: "Contoh" }, startedOn: "2024-07-01" })`,
    'Mutation.createEngagement': () => `(input: { partnerSlug: "no-such-partner", aspect: PRODUCT, titleIndonesian: "", startsOn: "2024-07-01", pesantrenIds: [] })`,
    'Mutation.createApiKey': (caller) =>
      caller.identity.role === 'academic_partner'
        ? `(input: { partnerSlug: ${text(demo.academicPartner.slug)}, name: "Access walk", role: ACADEMIC_PARTNER })`
        : `(input: { partnerSlug: ${text(demo.mediaPartner.slug)}, name: "Access walk", role: MEDIA_PARTNER })`,
    'Mutation.revokeApiKey': () => `(id: ${text(missing)}, reason: "Walk")`,
    'Mutation.createOutletKey': () => `(outletSlug: ${text(demo.outlet.slug)}, label: "")`,
    'Mutation.revokeOutletKey': () => `(id: ${text(missing)})`,
    'Mutation.registerPesantren': () => '(input: { nspp: "1", name: "", regencyCode: "0000", address: "", pillars: [], memberSince: 1900 })',
    'Mutation.updatePesantren': () => `(id: ${text(sidogiri.id)}, input: { whatsapp: "bukan nomor" })`,
  };
}

// ---------------------------------------------------------------------------------------------
// Paths and operations

interface Step {
  coordinate: string;
  type: string;
  field: string;
  args: string;
}

interface Node {
  step: Step;
  children: Map<string, Node>;
}

type Trie = Map<string, Node>;

function insert(trie: Trie, steps: readonly Step[]): void {
  let level = trie;
  for (const step of steps) {
    const key = `${step.field}${step.args}`;
    let node = level.get(key);
    if (!node) level.set(key, (node = { step, children: new Map() }));
    level = node.children;
  }
}

function print(trie: Trie, policy: AccessPolicy, indent = '  '): string {
  return [...trie.values()]
    .map((node) => {
      const named = getNamedType(objectType(policy, node.step.type).getFields()[node.step.field]!.type);
      const leaf = isLeafType(named);
      const inner = node.children.size ? print(node.children, policy, `${indent}  `) : leaf ? '' : `${indent}  __typename`;
      return leaf ? `${indent}${node.step.field}${node.step.args}` : `${indent}${node.step.field}${node.step.args} {\n${inner}\n${indent}}`;
    })
    .join('\n');
}

const isRoot = (type: string) => type === 'Query' || type === 'Mutation';
const objectType = (policy: AccessPolicy, name: string) => policy.apiSchema.getType(name) as GraphQLObjectType;
const objectTypes = (policy: AccessPolicy, type: GraphQLNamedType): GraphQLObjectType[] =>
  isObjectType(type) ? [type] : isAbstractType(type) ? [...policy.apiSchema.getPossibleTypes(type)] : [];

/** Mutations lead somewhere only when no query does: they are serial, and some change data. */
const MUTATION_COST = 100;

interface Edge {
  from: string;
  step: Step;
}

/**
 * Shortest paths from Query and Mutation to every type the caller can reach, through fields
 * `usable` lets it use. For each type, its ways in, best first, so an unlucky first path (an empty
 * list on the way) can be replaced by the next.
 */
function pathsFor(policy: AccessPolicy, usable: (coordinate: string) => boolean, argsOf: (coordinate: string) => string | undefined) {
  const distance = new Map<string, number>([
    ['Query', 0],
    ['Mutation', MUTATION_COST],
  ]);
  const incoming = new Map<string, { edge: Edge; cost: number }[]>();
  // Few types and unit weights: relaxing until nothing changes is quick enough.
  for (let changed = true; changed; ) {
    changed = false;
    for (const from of [...distance.keys()]) {
      const type = objectType(policy, from);
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${from}.${field.name}`;
        const args = argsOf(coordinate);
        if (args === undefined || !usable(coordinate)) continue;
        const cost = distance.get(from)! + 1;
        for (const target of objectTypes(policy, getNamedType(field.type))) {
          if (isRoot(target.name)) continue;
          if (cost < (distance.get(target.name) ?? Infinity)) {
            distance.set(target.name, cost);
            changed = true;
          }
        }
      }
    }
  }
  for (const [from, fromCost] of distance) {
    const type = objectType(policy, from);
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${from}.${field.name}`;
      const args = argsOf(coordinate);
      if (args === undefined || !usable(coordinate)) continue;
      for (const target of objectTypes(policy, getNamedType(field.type))) {
        const ways = incoming.get(target.name) ?? [];
        ways.push({ edge: { from, step: { coordinate, type: from, field: field.name, args } }, cost: fromCost + 1 });
        incoming.set(target.name, ways);
      }
    }
  }
  for (const ways of incoming.values()) ways.sort((a, b) => a.cost - b.cost || a.edge.step.coordinate.localeCompare(b.edge.step.coordinate));

  /** The steps from a root to `type`, entering it by its `choice`-th way in (its ancestors by their best). */
  function path(type: string, choice = 0, seen = new Set<string>()): Step[] | undefined {
    if (isRoot(type)) return [];
    if (seen.has(type)) return undefined;
    const ways = (incoming.get(type) ?? []).filter((way) => way.edge.from !== type);
    for (const way of ways.slice(choice)) {
      const before = path(way.edge.from, 0, new Set([...seen, type]));
      if (before) return [...before, way.edge.step];
    }
    return undefined;
  }
  return { path, reachable: (type: string) => distance.has(type) };
}

// ---------------------------------------------------------------------------------------------
// Running operations and reading their answers

const AUTH_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);
const stripIndexes = (path: readonly (string | number)[] | undefined) => (path ?? []).filter((part) => typeof part === 'string').join('.');

interface Outcome {
  /** Selected fields present in the answer, by response path (without list indexes). */
  answered: Set<string>;
  /** Those of them with a value other than null somewhere. */
  valued: Set<string>;
  /** Errors by response path (without list indexes). */
  errors: Map<string, { code: unknown; message: string }[]>;
  raw: GraphQLResponse;
}

function collect(trie: Trie, data: unknown, prefix: string, outcome: Pick<Outcome, 'answered' | 'valued'>): void {
  const objects = (Array.isArray(data) ? data.flat(Infinity) : [data]).filter((value): value is Record<string, unknown> => Boolean(value) && typeof value === 'object');
  for (const node of trie.values()) {
    const key = prefix ? `${prefix}.${node.step.field}` : node.step.field;
    const present = objects.filter((object) => node.step.field in object);
    if (present.length > 0) outcome.answered.add(key);
    if (present.some((object) => object[node.step.field] !== null)) outcome.valued.add(key);
    collect(node.children, present.map((object) => object[node.step.field]), key, outcome);
  }
}

async function run(url: string, operation: 'query' | 'mutation', trie: Trie, policy: AccessPolicy, headers: Record<string, string>): Promise<Outcome> {
  const document = `${operation} AccessWalk {\n${print(trie, policy)}\n}`;
  const raw = await postGraphQL(url, document, {}, headers);
  const seen = { answered: new Set<string>(), valued: new Set<string>() };
  collect(trie, raw.data, '', seen);
  const errors = new Map<string, { code: unknown; message: string }[]>();
  for (const error of raw.errors ?? []) {
    const key = stripIndexes(error.path);
    errors.set(key, [...(errors.get(key) ?? []), { code: error.extensions?.['code'], message: error.message }]);
  }
  if (raw.errors?.some((error) => ['GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST'].includes(String(error.extensions?.['code'])))) {
    throw new Error(`the walk sent an invalid operation: ${JSON.stringify(raw.errors)}\n${document}`);
  }
  return { ...seen, errors, raw };
}


// ---------------------------------------------------------------------------------------------

function routerConfig(subgraphUrls: RouterConfig['subgraphUrls']): RouterConfig {
  return {
    environment: 'development',
    logLevel: (process.env['TEST_LOG_LEVEL'] as RouterConfig['logLevel'] | undefined) ?? 'silent',
    host: '127.0.0.1',
    port: 0,
    subgraphUrls,
    accessTokenSecret: TEST_ACCESS_TOKEN_SECRET,
    identitySecret: TEST_IDENTITY_SECRET,
    corsOrigins: '*',
    supergraphPath: undefined,
    // The walk sends a few hundred operations from one address, some with many fields: the
    // router's rate and cost limits have tests of their own and would only get in the way here.
    protection: { ipRate: { points: 100_000, seconds: 60 }, costBudgets: { anonymous: 10_000_000, partner: 10_000_000, operator: 10_000_000 } },
  };
}

describe('the access policy, walked through the router', () => {
  const services = {} as Record<SubgraphName, Service>;
  let router: Router;
  let api: string;
  let policy: AccessPolicy;

  beforeAll(async () => {
    policy = await accessPolicy();
    const urls = {} as Record<SubgraphName, string>;
    await Promise.all(
      NAMES.map(async (name) => {
        const service = await SUBGRAPH_SERVICES[name].create(testSubgraphConfig(name, engine));
        services[name] = service;
        await SUBGRAPH_SERVICES[name].load(service);
        urls[name] = await service.server.listen('127.0.0.1', 0);
      }),
    );
    // The supergraph of the SDL as it is now, so the walk and the table read the same rules.
    router = await createRouter(routerConfig(urls), { supergraphSdl: (await composeSupergraph()).supergraphSdl });
    api = await router.server.listen('127.0.0.1', 0);
  });

  afterAll(async () => {
    await router?.server.close();
    for (const service of Object.values(services)) {
      await dropTestSchema(service.database);
      await service.server.close();
    }
  });

  /** The demo data the fixtures name, made ready for the walk: a product with a photo, a search index with it. */
  async function prepareDemo(headers: Record<string, string>): Promise<Demo> {
    const response = await postGraphQL<{
      pesantren: { sellers: { id: string; slug: string }[]; products: { nodes: { id: string; slug: string; featured: boolean }[] }; academics: { programmes: { id: string }[]; labs: { id: string }[] } };
      partners: { id: string; slug: string; role: string; engagements: { id: string }[] }[];
      outlets: { slug: string; publicKey: string; partnerId: string }[];
      articles: { nodes: { slug: string }[] };
      categories: { slug: string }[];
    }>(
      api,
      `query($slug: String!) {
        pesantren(slug: $slug) { sellers { id slug } products(first: 50) { nodes { id slug featured } } academics { programmes { id } labs { id } } }
        partners { id slug role engagements { id } }
        outlets { slug publicKey partnerId }
        articles(first: 1) { nodes { slug } }
        categories { slug }
      }`,
      { slug: sidogiri.slug },
      headers,
    );
    expect(response.errors).toBeUndefined();
    const data = response.data!;
    const product = data.pesantren.products.nodes.find((p) => p.featured)!;
    const engaged = data.partners.find((partner) => partner.engagements.length > 0)!;
    // The product needs a processed photo for ProductImage, ImageSource and ProductPhoto to be
    // reached. Added by the platform (as demo data is), so the product stays featured.
    const photo = await (services.catalogue as CatalogueService).photos.importPhoto(
      product.id,
      await phonePhoto({ width: 600, height: 450 }),
      { indonesian: 'Foto produk', english: 'Product photo' },
      'platform:access-walk',
    );
    expect(photo.status).toBe('READY');
    // One read of santri records by the academic partner, so the audit trail it may read of its own holds an entry.
    const academicPartner = data.partners.find((partner) => partner.role === 'ACADEMIA')!;
    const researcher = await issueAccessToken(
      { role: 'academic_partner', subject: 'walk-researcher', pesantrenId: null, scopes: ['academics:records'], partnerId: academicPartner.id },
      TEST_ACCESS_TOKEN_SECRET,
    );
    const read = await postGraphQL(api, '{ santriRecords(purpose: RESEARCH, first: 1) { totalCount } }', {}, { authorization: `Bearer ${researcher}` });
    expect(read.errors).toBeUndefined();
    // An order paid by transfer to a seller that has set both ways to pay, for OrderRequest.payment.
    const { sampleQris } = await import('../../packages/identifiers/test/qris-sample.ts');
    const sellerOfProduct = await postGraphQL<{ product: { seller: { id: string } } }>(api, 'query($id: ID!) { product(id: $id) { seller { id } } }', { id: product.id }, headers);
    const paying = await postGraphQL(
      api,
      'mutation($id: ID!, $input: SellerPaymentInput!) { setSellerPaymentDetails(sellerId: $id, input: $input) { id } }',
      { id: sellerOfProduct.data!.product.seller.id, input: { bankName: 'BSI', bankAccountNumber: '7123456789', bankAccountHolder: 'Kopontren Sidogiri', qrisPayload: sampleQris() } },
      headers,
    );
    expect(paying.errors).toBeUndefined();
    const ordered = await postGraphQL<{ requestOrder: { orders: { statusToken: string }[] } }>(
      api,
      'mutation($input: OrderRequestInput!) { requestOrder(input: $input) { orders { statusToken } } }',
      { input: { idempotencyKey: randomUUID(), items: [{ productId: product.id, quantity: 1 }], buyerName: 'Siti Aminah', buyerPhone: '0813 1111 2222', deliveryAddress: 'Jl. Raya Sidogiri No. 5, Kraton, Pasuruan', paymentMethod: 'BANK_TRANSFER' } },
    );
    expect(ordered.errors).toBeUndefined();
    return {
      orderToken: ordered.data!.requestOrder.orders[0]!.statusToken,
      product,
      seller: data.pesantren.sellers[0]!,
      programme: data.pesantren.academics.programmes[0]!.id,
      lab: data.pesantren.academics.labs[0]!.id,
      engagement: engaged.engagements[0]!.id,
      partner: engaged.slug,
      mediaPartner: data.partners.find((partner) => partner.id === data.outlets[0]!.partnerId)!,
      academicPartner,
      outlet: data.outlets[0]!,
      article: data.articles.nodes[0]!.slug,
      category: data.categories[0]!.slug,
    };
  }

  it('answers every field as the table says, for every role', async () => {
    const started = performance.now();
    const rules = new Map<string, readonly AccessRule[]>(policy.fields.map((field) => [field.coordinate, field.rules]));
    const base = (role: TableRole, partnerId?: string): Identity => ({
      role,
      subject: role === 'anonymous' ? null : `walk-${role}`,
      pesantrenId: role === 'pesantren_operator' ? sidogiri.id : null,
      scopes: [],
      ...(partnerId ? { partnerId } : {}),
    });
    const tokenHeaders = async (identity: Identity): Promise<Record<string, string>> =>
      identity.role === 'anonymous' ? {} : { authorization: `Bearer ${await issueAccessToken({ ...identity, subject: identity.subject! }, TEST_ACCESS_TOKEN_SECRET)}` };
    const demo = await prepareDemo(await tokenHeaders(base('programme_admin')));
    const args = fixtures(demo);

    const roles: TableRole[] = ['anonymous', 'media_partner', 'academic_partner', 'pesantren_operator', 'programme_admin'];
    const callers: Caller[] = roles.flatMap((role) => {
      const identity = base(role, role === 'academic_partner' ? demo.academicPartner.id : role === 'media_partner' ? demo.mediaPartner.id : undefined);
      const plain: Caller = { name: role, identity, reads: (access) => access === 'yes', walks: () => true };
      if (!policy.fields.some((field) => field.access[role] === 'scope')) return [plain];
      const scoped: Caller = { name: `${role} with ${policy.scopes.join(' ')}`, identity: { ...identity, scopes: policy.scopes }, reads: (access) => access !== 'no', walks: (access) => access === 'scope' };
      return [plain, scoped];
    });
    const roleOf = (caller: Caller) => caller.identity.role as TableRole;

    const problems: string[] = [];
    const checked = new Map<string, number>();
    const tally = (caller: Caller, cells = 1) => checked.set(caller.name, (checked.get(caller.name) ?? 0) + cells);
    let operations = 0;
    const errorsOn = (outcome: Outcome, key: string) =>
      [...outcome.errors].filter(([path]) => key === path || key.startsWith(`${path}.`) || path === '').flatMap(([, errors]) => errors);
    const describe = (errors: { code: unknown; message: string }[]) => (errors.length ? errors.map((error) => `${String(error.code)} ${error.message}`).join('; ') : 'no error');

    // Types no field leads to: nobody can read their fields, and no operation can show it.
    const anywhere = pathsFor(policy, () => true, () => '');
    const orphan = (type: string) => !isRoot(type) && !anywhere.reachable(type);
    for (const field of policy.fields.filter((candidate) => orphan(candidate.type))) {
      for (const caller of callers) {
        if (!caller.walks(field.access[roleOf(caller)])) continue;
        if (caller.reads(field.access[roleOf(caller)])) problems.push(`${field.coordinate}: no field leads to ${field.type}, yet the table lets ${caller.name} read it`);
        tally(caller);
      }
    }

    for (const caller of callers) {
      const headers = await tokenHeaders(caller.identity);
      const argsOf = (coordinate: string): string | undefined => {
        const fixture = args[coordinate];
        if (fixture) return fixture(caller);
        const [typeName, fieldName] = coordinate.split('.') as [string, string];
        const field = objectType(policy, typeName).getFields()[fieldName]!;
        return field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined) ? undefined : '';
      };
      const may = (coordinate: string) => isAllowed(rules.get(coordinate) ?? [], caller.identity);
      const allowedPaths = pathsFor(policy, may, argsOf);
      // A suggestion comes only with a search that finds nothing: its fields are walked through one.
      const zeroResultPaths = pathsFor(policy, may, (coordinate) => (coordinate === 'Query.searchProducts' ? '(query: "kopi luwak", pageSize: 3)' : argsOf(coordinate)));
      const pathsTo = (coordinate: string) => (coordinate.startsWith('SearchSuggestion.') ? zeroResultPaths : allowedPaths);
      const anyPaths = pathsFor(policy, () => true, argsOf);
      const denial = caller.identity.role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
      const target = (field: (typeof policy.fields)[number]): Step => ({ coordinate: field.coordinate, type: field.type, field: field.field, args: argsOf(field.coordinate)! });

      const cells = policy.fields.filter((field) => !orphan(field.type) && caller.walks(field.access[roleOf(caller)]));
      for (const field of cells.filter((candidate) => argsOf(candidate.coordinate) === undefined)) problems.push(`${field.coordinate}: no fixture for its required arguments`);
      const walkable = cells.filter((field) => argsOf(field.coordinate) !== undefined);

      // Fields the caller may read: together, one operation per root field. A field not answered
      // (an empty list or a null on its way) is asked again through its type's next way in.
      type Group = { trie: Trie; targets: { coordinate: string; key: string }[] };
      let pending = walkable.filter((field) => caller.reads(field.access[roleOf(caller)]));
      const missed = new Map<string, string>();
      const unreached: typeof pending = [];
      for (let choice = 0; pending.length > 0 && choice < 4; choice++) {
        const groups = new Map<string, Group>();
        const retry = new Set<string>();
        for (const field of pending) {
          const steps = isRoot(field.type) ? (choice === 0 ? [] : undefined) : pathsTo(field.coordinate).path(field.type, choice);
          if (!steps) {
            unreached.push(field);
            continue;
          }
          const full = [...steps, target(field)];
          const root = `${full[0]!.type}.${full[0]!.field}${full[0]!.args}`;
          const group: Group = groups.get(root) ?? { trie: new Map(), targets: [] };
          insert(group.trie, full);
          group.targets.push({ coordinate: field.coordinate, key: full.map((step) => step.field).join('.') });
          groups.set(root, group);
          retry.add(field.coordinate);
        }
        // Mutations first and one at a time: some fail on purpose, and what others create (an order, a santri) is read by the queries.
        const outcomes: [Group, Outcome][] = [];
        for (const [root, group] of groups) if (root.startsWith('Mutation.')) outcomes.push([group, await run(api, 'mutation', group.trie, policy, headers)]);
        const queries = [...groups].filter(([root]) => root.startsWith('Query.'));
        outcomes.push(...(await inParallel(queries.map(([, group]) => async (): Promise<[Group, Outcome]> => [group, await run(api, 'query', group.trie, policy, headers)]))));
        operations += outcomes.length;
        for (const [group, outcome] of outcomes) {
          for (const { coordinate, key } of group.targets) {
            const seen = errorsOn(outcome, key);
            const refusals = seen.filter((error) => AUTH_CODES.has(String(error.code)));
            if (refusals.length > 0) problems.push(`${caller.name} may read ${coordinate} by the table, but was refused: ${describe(refusals)}`);
            else if (!outcome.answered.has(key) && !outcome.errors.has(key)) {
              missed.set(coordinate, describe(seen));
              continue;
            }
            retry.delete(coordinate);
            tally(caller);
          }
        }
        pending = pending.filter((field) => retry.has(field.coordinate));
      }
      for (const field of [...unreached, ...pending]) problems.push(`${caller.name}: no operation reached ${field.coordinate} (last try: ${missed.get(field.coordinate) ?? 'no way in'})`);

      // Fields the caller may not read. A field refused by its own rule gets an operation of its
      // own, so that one refusal cannot hide another; fields refused because every way to their
      // type passes a field the caller may not use are asked for together, under that field.
      type Plan = { field: FieldPolicy; steps: Step[]; gate: Step; gateKey: string };
      const keyOf = (steps: readonly Step[]) => steps.map((step) => step.field).join('.');
      const planFor = (field: FieldPolicy, choice: number): Plan | string | undefined => {
        const direct = !may(field.coordinate) && (isRoot(field.type) || allowedPaths.reachable(field.type));
        const before = isRoot(field.type) ? (choice === 0 ? [] : undefined) : (direct ? allowedPaths : anyPaths).path(field.type, choice);
        if (!before) return undefined;
        const steps = [...before, target(field)];
        const gateIndex = steps.findIndex((step) => !may(step.coordinate));
        if (gateIndex < 0) return `${caller.name}: the table refuses ${field.coordinate}, yet every field on ${steps.map((step) => step.coordinate).join(' → ')} is allowed`;
        return { field, steps, gate: steps[gateIndex]!, gateKey: keyOf(steps.slice(0, gateIndex + 1)) };
      };
      const lastTry = new Map<string, string>();
      /** One operation for plans that share their refused field: the problems seen, or undefined when it was not reached. */
      const refuse = async (plans: readonly Plan[]): Promise<string[] | undefined> => {
        const trie: Trie = new Map();
        for (const plan of plans) insert(trie, plan.steps);
        const { gate, gateKey, steps } = plans[0]!;
        const outcome = await run(api, steps[0]!.type === 'Mutation' ? 'mutation' : 'query', trie, policy, headers);
        operations++;
        const atGate = outcome.errors.get(gateKey) ?? [];
        const names = plans.map((plan) => plan.field.coordinate).join(', ');
        if (atGate.some((error) => error.code === denial && error.message.includes(gate.coordinate))) {
          return plans.filter((plan) => outcome.valued.has(keyOf(plan.steps))).map((plan) => `${caller.name} was refused ${gate.coordinate} but still received ${plan.field.coordinate}`);
        }
        if (atGate.length > 0 || outcome.answered.has(gateKey)) {
          return [`${caller.name} should be refused ${gate.coordinate} (${denial}, by its declared rule) on the way to ${names}, but got ${atGate.length ? describe(atGate) : 'an answer'}`];
        }
        for (const plan of plans) lastTry.set(plan.field.coordinate, describe(errorsOn(outcome, gateKey)));
        return undefined;
      };
      const groups = new Map<string, Plan[]>();
      const refused = walkable.filter((field) => !caller.reads(field.access[roleOf(caller)]));
      for (const field of refused) {
        const plan = planFor(field, 0);
        if (typeof plan !== 'object') {
          problems.push(plan ?? `${caller.name}: no way to ${field.coordinate} at all`);
          continue;
        }
        const key = plan.gate.coordinate === field.coordinate ? keyOf(plan.steps) : `${plan.steps.slice(0, plan.steps.indexOf(plan.gate) + 1).map((step) => step.field + step.args).join('.')} ›`;
        groups.set(key, [...(groups.get(key) ?? []), plan]);
      }
      const refusalJobs = [...groups.values()].map((plans) => async (): Promise<string[]> => {
        const seen = await refuse(plans);
        if (seen) return seen;
        // Not reached (an empty list or a null before the refused field): each tries its other ways in.
        const found: string[] = [];
        for (const { field } of plans) {
          let reached = false;
          for (let choice = 1; choice < 4 && !reached; choice++) {
            const plan = planFor(field, choice);
            if (plan === undefined) break;
            if (typeof plan === 'string') {
              found.push(plan);
              reached = true;
              continue;
            }
            const again = await refuse([plan]);
            if (again) {
              found.push(...again);
              reached = true;
            }
          }
          if (!reached) found.push(`${caller.name}: no operation reached ${field.coordinate} to see it refused (last try: ${lastTry.get(field.coordinate) ?? 'no way in'})`);
        }
        return found;
      });
      for (const found of await inParallel(refusalJobs)) problems.push(...found);
      tally(caller, refused.length);
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    expect(problems, `${problems.length} mismatches with docs/access-policy.md`).toEqual([]);
    // Every cell of the table was walked: every field for every role, and the "with scope" cells again with the scopes.
    for (const caller of callers) expect(checked.get(caller.name), caller.name).toBe(policy.fields.filter((field) => caller.walks(field.access[roleOf(caller)])).length);
    console.info(`access walk: ${policy.fields.length} fields, ${callers.length} callers, ${operations} operations, ${seconds} s`);
  });
});

describe('every annotated field of every subgraph', () => {
  // The walk sees a rule only where it is the one that refuses. A rule behind another that refuses
  // the same callers first (the fields of a type reached only through an admin-only field) is
  // checked here, on the schema each subgraph serves: its resolver refuses before anything runs.
  const modules = [catalogueModule, pesantrenModule, academicsModule, partnersModule, mediaModule] as unknown as SubgraphModule<never>[];

  it.each(modules.map((module) => [module.name, module] as const))('is guarded in the %s subgraph, rules behind other rules included', (_name, module) => {
    const schema = enforceAccess(buildSubgraph(module));
    const rules = readAccessRules(schema);
    expect(rules.size).toBeGreaterThan(0);
    for (const [coordinate, fieldRules] of rules) {
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      const resolve = (schema.getType(typeName) as GraphQLObjectType).getFields()[fieldName]!.resolve!;
      const everyone: Role[] = [...ROLES, SERVICE_ROLE];
      const refused = everyone.map((role): Identity => ({ role, subject: `guard-${role}`, pesantrenId: null, scopes: [] })).filter((identity) => !isAllowed(fieldRules, identity));
      expect(refused.length, coordinate).toBeGreaterThan(0);
      for (const identity of refused) {
        const code = identity.role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
        expect(() => resolve({}, {}, { identity: identity.role === 'anonymous' ? { ...identity, subject: null } : identity }, {} as never), `${coordinate} as ${identity.role}`).toThrow(
          expect.objectContaining({ message: expect.stringContaining(coordinate), extensions: expect.objectContaining({ code }) }),
        );
      }
    }
  });
});
