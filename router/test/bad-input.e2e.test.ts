import { randomUUID } from 'node:crypto';
import type { CatalogueService } from '@opop/catalogue/app';
import { generateWorld } from '@opop/demo-data';
import { isAllowed, issueAccessToken, type AccessRule, type Identity } from '@opop/server-kit';
import { TEST_ACCESS_TOKEN_SECRET, testEngines } from '@opop/server-kit/testing';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessPolicy } from '../../scripts/access-policy.ts';
import { createRouter, type Router } from '../src/app.ts';
import { composeSupergraph } from '../src/compose.ts';
import type { RouterProtection } from '../src/config.ts';
import { send, testRouterConfig, type RawResponse, inParallel } from './support.ts';
import { DEFAULT_ORDER_POLICY } from '@opop/catalogue/order-policy';
import { SUBGRAPH_NAMES, startSupergraph, type Supergraph } from './supergraph.ts';

/**
 * A corpus of bad input, generated from the public API schema, sent through the router: every
 * argument of every Query and Mutation field, input objects and list items included, gets each
 * kind of bad value its type admits (wrong types, nulls, empty, oversized and control-character
 * strings, unknown enum values, out-of-range numbers and dates, malformed and unknown ids, too
 * many items, objects missing fields). A new argument is in the corpus without editing this file.
 *
 * Each is sent as a caller the field's access rule lets in (anonymous for public fields, else a
 * programme admin holding every scope; the ids again as Sidogiri's operator where operators may
 * call the field, for the ownership check), next to otherwise valid arguments (`bases` below; the
 * second test shows they are accepted), so the bad value is what the resolver has to deal with.
 * Every answer is a 4xx or a typed GraphQL error with no internals, and nothing is written: every
 * table of every subgraph is checksummed around each mutation's cases and around the whole run.
 *
 * Some values are not wrong for every argument. Bidirectional controls may be accepted, then
 * stored without them (U+0000 may not: PostgreSQL text cannot hold it); an explicit null for an argument with a default means the
 * default; a deprecated, ignored argument takes anything; and `ACCEPTABLE` names the few other
 * values that are valid where they are (a stock of 0). Those cases are sent after the
 * nothing-written check, and what they stored is searched for bidirectional controls.
 */

const world = generateWorld('demo');
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;

/** Generous, so that each case meets its own validation rather than the router's rate or cost limits. */
const UNLIMITED: Partial<RouterProtection> = {
  ipRate: { points: 10_000_000, seconds: 60 },
  keyRate: { points: 10_000_000, seconds: 60 },
  costBudgets: { anonymous: Number.MAX_SAFE_INTEGER, partner: Number.MAX_SAFE_INTEGER, operator: Number.MAX_SAFE_INTEGER },
};

/** The codes bad input may be answered with. Not INTERNAL_SERVER_ERROR, nor SERVICE_UNAVAILABLE (what the router makes of a subgraph's 500). */
const TYPED = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'NOT_FOUND',
  'CONFLICT',
  'OUT_OF_STOCK',
  'PRICE_CHANGED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'TOO_MANY_ALIASES',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_REQUIRED',
  'REQUEST_TOO_LARGE',
  'RESPONSE_TOO_LARGE',
]);

/** What a leaked internal looks like in a message: a stack frame, a source file, SQL. */
const INTERNALS = /\n\s+at |\(\S+:\d+:\d+\)|file:\/\/|\.(ts|js|mjs|cjs):\d+|node_modules|\b(select|insert into|update|delete from)\b .*\b(from|set|values|where)\b|violates .* constraint|duplicate key|invalid byte sequence|syntax error at or near/i;

/** The largest field limit is 50,000 characters (an article's body); the router takes bodies up to 64 KiB. */
const TOO_LONG = 'x'.repeat(50_001);

/** Where a value that looks bad is valid all the same, by `InputType.field` or `Root.field(argument)`, with the reason. */
const ACCEPTABLE: Record<string, Partial<Record<Kind, string>>> = {
  'CreateProductInput.stock': { zero: 'a product may be out of stock' },
  'UpdateProductInput.stock': { zero: 'a product may be out of stock' },
  'OrderRequestInput.note': { empty: 'an empty note is no note' },
};

/**
 * KNOWN GAPS, not rules: input fields whose ids name another subgraph's entity and are not yet
 * checked with its owner, so an id that exists nowhere would be stored as given. None is left:
 * academics, catalogue, partners and media ask the owner (the kit's verifyReferences), and their
 * unknown ids are refused with nothing written like any other bad value. A new field of that kind
 * found unchecked goes here, with the reason, until its subgraph checks it; these cases run with
 * the writes that are allowed, still answered without a 5xx.
 */
const UNVERIFIED_REFERENCES: Record<string, string> = {};

type Kind =
  | 'null for non-null'
  | 'explicit null for a default'
  | 'wrong type'
  | 'object for scalar'
  | 'object for list'
  | 'list for non-list'
  | 'missing required fields'
  | 'unknown field'
  | 'empty'
  | 'too long'
  | 'NUL'
  | 'bidi override'
  | 'bidi isolate'
  | 'malformed id'
  | 'unknown id'
  | 'unknown slug'
  | 'unknown enum'
  | 'negative'
  | 'zero'
  | 'huge'
  | 'beyond Int'
  | 'non-integer'
  | 'impossible date'
  | 'malformed date'
  | 'date far past'
  | 'date far future'
  | 'too many items';

/** Values that are not wrong everywhere: sent after the nothing-written check (see the file's comment). */
const MAY_BE_ACCEPTED = new Set<Kind>(['bidi override', 'bidi isolate', 'explicit null for a default']);

/** What the valid arguments name, found through the API before the corpus runs. */
interface Demo {
  programme: string;
  lab: string;
  pseudonymousId: string;
  seller: string;
  /** A featured product of Sidogiri with stock: orders, views, widget events. */
  product: string;
  /** Another featured product, to be sent back for revision. */
  revisable: string;
  category: string;
  draft: string;
  submitted: string;
  inReview: string;
  orderToConfirm: string;
  orderToCancel: string;
  outlet: { slug: string; publicKey: string };
  article: string;
  mediaPartner: string;
  partner: string;
  engagement: string;
  apiKey: string;
  /** A second widget key of the outlet, to be revoked (its first may not be: the last active key stays). */
  outletKey: string;
}

type Variables = Record<string, unknown>;

/** Valid arguments per root field; `n` makes unique values unique. Fields not here get `sampleOf` values. */
function bases(demo: Demo): Record<string, (n: number) => Variables> {
  const consent = { purpose: 'RESEARCH', relationship: 'MOTHER', evidence: 'FPW-2024-000124', grantedOn: '2024-07-01' };
  const region = { name: 'Kabupaten Contoh', kind: 'REGENCY', provinceName: 'Jawa Tengah' };
  return {
    'Query.programme': () => ({ id: demo.programme }),
    'Query.entrepreneurshipLab': () => ({ id: demo.lab }),
    'Query.enrolmentStats': () => ({ groupBy: ['GENDER'] }),
    'Query.santriRecords': () => ({ purpose: 'PROGRAMME_EVALUATION', first: 5 }),
    'Query.category': () => ({ slug: demo.category }),
    'Query.outlet': () => ({ slug: demo.outlet.slug }),
    'Query.article': () => ({ slug: demo.article }),
    'Query.partner': () => ({ slug: demo.partner }),
    'Query.engagement': () => ({ id: demo.engagement }),
    'Query.apiKeys': () => ({ partnerSlug: demo.mediaPartner }),
    'Query.outletKeys': () => ({ outletSlug: demo.outlet.slug }),
    'Query.widgetStats': () => ({ outletSlug: demo.outlet.slug, days: 30 }),
    'Query.widgetPlacements': () => ({ outletSlug: demo.outlet.slug, first: 10 }),
    'Query.regency': () => ({ code: sidogiri.regencyCode }),

    'Mutation.createProgramme': (n) => ({ input: { pesantrenId: sidogiri.id, regencyCode: sidogiri.regencyCode, kind: 'TAHFIDZ', name: `Program Tahfidz Uji ${n}` } }),
    'Mutation.enrolSantri': () => ({ input: { programmeId: demo.programme, birthYear: 2011, gender: 'FEMALE', intakeYear: 2024, guardianConsents: [consent] } }),
    'Mutation.recordGuardianConsent': () => ({ pseudonymousId: demo.pseudonymousId, consent }),
    'Mutation.withdrawGuardianConsent': () => ({ pseudonymousId: demo.pseudonymousId, purpose: 'RESEARCH', withdrawnOn: '2024-08-01' }),
    'Mutation.recordLabActivity': () => ({ labId: demo.lab, activity: { kind: 'TRAINING', titleIndonesian: 'Pelatihan kemasan', on: '2024-07-01', participants: 12 } }),
    'Mutation.createSeller': (n) => ({
      input: { pesantrenId: sidogiri.id, name: `Usaha Santri Uji ${n}`, pillar: 'SANTRIPRENEUR', regencyCode: sidogiri.regencyCode, descriptionIndonesian: 'Usaha santri untuk uji masukan.' },
    }),
    'Mutation.createProduct': (n) => ({
      input: {
        sellerId: demo.seller,
        category: demo.category,
        nameIndonesian: `Produk Uji ${n}`,
        descriptionIndonesian: 'Deskripsi produk uji yang cukup panjang.',
        priceRupiah: 15_000,
        stock: 10,
        unit: 'bungkus',
        weightGrams: 250,
      },
    }),
    'Mutation.updateProduct': () => ({ id: demo.draft, input: { priceRupiah: 16_000 } }),
    'Mutation.updateSeller': (n) => ({ id: demo.seller, input: { name: `Usaha Santri Diubah ${n}` } }),
    'Mutation.submitProductForCuration': () => ({ id: demo.draft }),
    'Mutation.startProductReview': () => ({ id: demo.submitted }),
    'Mutation.featureProduct': () => ({ id: demo.inReview }),
    'Mutation.requestProductRevision': () => ({ id: demo.revisable, reason: 'Foto kemasan kurang jelas' }),
    'Mutation.recordProductView': () => ({ productId: demo.product }),
    'Mutation.requestOrder': () => ({
      input: {
        idempotencyKey: randomUUID(),
        items: [{ productId: demo.product, quantity: 1 }],
        buyerName: 'Siti Aminah',
        buyerPhone: '0812 3456 7890',
        deliveryAddress: 'Jl. Raya Sidogiri No. 5, Kraton, Pasuruan',
        paymentMethod: 'COD',
      },
    }),
    'Mutation.confirmOrderRequest': () => ({ id: demo.orderToConfirm }),
    'Mutation.cancelOrderRequest': () => ({ id: demo.orderToCancel, reason: 'Stok habis' }),
    'Mutation.publishArticle': (n) => ({
      input: { outletSlug: demo.outlet.slug, titleIndonesian: `Artikel uji ${n}`, bodyMarkdown: 'Isi artikel uji yang cukup panjang untuk diterbitkan.', pesantrenIds: [sidogiri.id] },
    }),
    'Mutation.recordWidgetEvent': () => ({
      input: { outletKey: demo.outlet.publicKey, pageUrl: 'https://news.example/artikel', widget: 'PRODUCT_CARD', productIds: [demo.product], event: 'VIEW' },
    }),
    'Mutation.recordInnovationView': () => ({}),
    'Mutation.expressInterest': () => ({
      input: { name: 'Budi Santoso', organisation: 'Dinas Koperasi Kabupaten Contoh', email: 'budi@example.org', region: 'Kabupaten Contoh', message: 'Kami ingin mereplikasi EKO-TREN.' },
    }),
    'Mutation.recordAgreement': () => ({ input: { region, signedOn: '2024-07-01' } }),
    'Mutation.recordReplication': () => ({ input: { region, startedOn: '2024-07-01' } }),
    'Mutation.createEngagement': () => ({ input: { partnerSlug: demo.partner, aspect: 'PRODUCT', titleIndonesian: 'Pendampingan uji', startsOn: '2024-07-01', pesantrenIds: [sidogiri.id] } }),
    'Mutation.createApiKey': (n) => ({ input: { partnerSlug: demo.mediaPartner, name: `Kunci uji ${n}`, role: 'MEDIA_PARTNER' } }),
    'Mutation.revokeApiKey': () => ({ id: demo.apiKey, reason: 'Kunci bocor di repositori' }),
    'Mutation.createOutletKey': (n) => ({ outletSlug: demo.outlet.slug, label: `situs-uji-${n}.example` }),
    'Mutation.revokeOutletKey': () => ({ id: demo.outletKey }),
    'Mutation.registerPesantren': (n) => ({
      input: { nspp: `5100${String(n).padStart(8, '0')}`, name: `Pondok Pesantren Uji ${n}`, regencyCode: sidogiri.regencyCode, address: 'Jl. Uji No. 1, Kraton', pillars: ['SANTRIPRENEUR'], memberSince: 2020 },
    }),
    'Mutation.updatePesantren': () => ({ id: sidogiri.id, input: { address: 'Jl. Raya Sidogiri No. 1, Kraton' } }),
  };
}

/** Valid values of the input objects a case has to create on its way to a nested argument. */
function inputSamples(demo: Demo): Record<string, () => unknown> {
  return {
    OrderItemInput: () => ({ productId: demo.product, quantity: 1 }),
    ProductImageInput: () => ({ url: 'https://cdn.example/uji.jpg', altIndonesian: 'Foto produk' }),
    GuardianConsentInput: () => ({ purpose: 'RESEARCH', relationship: 'MOTHER', evidence: 'FPW-2024-000125', grantedOn: '2024-07-01' }),
    RegionInput: () => ({ name: 'Kabupaten Contoh', kind: 'REGENCY', provinceName: 'Jawa Tengah' }),
    CooperativeInput: () => ({ name: 'Koperasi Pondok Uji', legalNumber: 'AHU-0001234' }),
    AwardInput: () => ({ year: 2022, category: 'SANTRIPRENEUR', rank: 1 }),
  };
}

// ---------------------------------------------------------------------------------------------
// The corpus

/** One argument, or one field of an input object under it, or the items of a list. */
interface Position {
  /** `input.items[].quantity` */
  label: string;
  /** Keys from the field's arguments down to the value; 0 for a list's first item. */
  path: (string | number)[];
  /** The type at each step of the path. */
  types: GraphQLInputType[];
  type: GraphQLInputType;
  /** `InputType.field` or `Root.field(argument)`, for ACCEPTABLE. */
  owner: string;
  hasDefault: boolean;
  deprecated: boolean;
}

function positionsOf(rootType: string, field: GraphQLField<unknown, unknown>): Position[] {
  const found: Position[] = [];
  const walk = (position: Position, seen: readonly string[]) => {
    found.push(position);
    const nullable = getNullableType(position.type);
    if (isListType(nullable)) {
      const item = nullable.ofType as GraphQLInputType;
      walk({ ...position, label: `${position.label}[]`, path: [...position.path, 0], types: [...position.types, item], type: item, hasDefault: false }, seen);
      return;
    }
    if (!isInputObjectType(nullable) || seen.includes(nullable.name)) return;
    for (const inner of Object.values(nullable.getFields()) as GraphQLInputField[]) {
      walk(
        {
          label: `${position.label}.${inner.name}`,
          path: [...position.path, inner.name],
          types: [...position.types, inner.type],
          type: inner.type,
          owner: `${nullable.name}.${inner.name}`,
          hasDefault: inner.defaultValue !== undefined,
          deprecated: Boolean(inner.deprecationReason) || position.deprecated,
        },
        [...seen, nullable.name],
      );
    }
  };
  for (const arg of field.args as GraphQLArgument[]) {
    walk(
      {
        label: arg.name,
        path: [arg.name],
        types: [arg.type],
        type: arg.type,
        owner: `${rootType}.${field.name}(${arg.name})`,
        hasDefault: arg.defaultValue !== undefined,
        deprecated: Boolean(arg.deprecationReason),
      },
      [],
    );
  }
  return found;
}

const isUuidLike = (value: unknown) => typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
const clone = <T>(value: T): T => structuredClone(value);

/** The bad values a position's type admits, each with its kind. `current` is the valid value there, if any. */
function badValues(position: Position, current: unknown, sample: (type: GraphQLInputType) => unknown): [Kind, unknown][] {
  const { type } = position;
  const nullable = getNullableType(type);
  const named = getNamedType(type);
  const values: [Kind, unknown][] = [];
  if (isNonNullType(type)) values.push(['null for non-null', null]);
  else if (position.hasDefault) values.push(['explicit null for a default', null]);
  const valid = current ?? sample(type);

  if (isListType(nullable)) {
    values.push(['object for list', { not: 'a list' }]);
    const item = (Array.isArray(valid) && valid.length > 0 ? valid[0] : sample(nullable.ofType as GraphQLInputType)) ?? 'x';
    // More than any list allows (500 ids at most), while the body stays under the router's 64 KiB.
    const count = Math.max(60, Math.min(1001, Math.floor(50_000 / (JSON.stringify(item).length + 1))));
    values.push(['too many items', Array.from({ length: count }, () => clone(item))]);
    return values;
  }
  values.push(['list for non-list', [valid]]);
  if (isInputObjectType(nullable)) {
    values.push(['wrong type', 'x']);
    if (Object.values(nullable.getFields()).some((inner) => isNonNullType(inner.type) && inner.defaultValue === undefined)) values.push(['missing required fields', {}]);
    values.push(['unknown field', { ...(valid as object), notAField: 1 }]);
    return values;
  }
  values.push(['object for scalar', { $ne: null }]);
  if (isEnumType(named)) {
    values.push(['wrong type', 42], ['unknown enum', 'NOT_A_VALUE']);
    return values;
  }
  const text = typeof valid === 'string' ? valid : 'teks';
  switch (named.name) {
    case 'Int':
    case 'Float':
      values.push(['wrong type', '12'], ['negative', -1], ['zero', 0], ['huge', 2_147_483_647], ['beyond Int', 2_147_483_648], ['non-integer', 1.5]);
      break;
    case 'Boolean':
      values.push(['wrong type', 'yes']);
      break;
    case 'Date':
      values.push(['wrong type', 20240701], ['impossible date', '2024-02-30'], ['malformed date', '01/07/2024'], ['date far past', '0001-01-01'], ['date far future', '9999-12-31']);
      break;
    case 'DateTime':
      values.push(
        ['wrong type', 1719792000],
        ['impossible date', '2024-02-30T08:00:00Z'],
        ['malformed date', '2024-07-01 25:61'],
        ['date far past', '0001-01-01T00:00:00Z'],
        ['date far future', '9999-12-31T23:59:59Z'],
      );
      break;
    case 'ID':
    case 'String': {
      values.push(['wrong type', named.name === 'ID' ? true : 12345], ['empty', ''], ['too long', TOO_LONG]);
      values.push(['NUL', `${text}\u0000`], ['bidi override', `\u202E${text}`], ['bidi isolate', `${text}\u2066`]);
      if (named.name === 'ID') {
        values.push(['malformed id', "not-an-id'"]);
        const unknown = isUuidLike(valid) || current === undefined ? randomUUID() : /^\d+$/.test(text) ? '9'.repeat(text.length) : `${text}-NOWHERE`;
        values.push(['unknown id', unknown]);
      } else if (/slug|key|category|categories/i.test(position.label.split('.').at(-1)!)) {
        values.push(['unknown slug', 'no-such-thing-anywhere']);
      }
      break;
    }
    default:
      values.push(['wrong type', 12345], ['empty', '']);
  }
  return values;
}

/** A value for `type` that is valid in shape: an input sample, the first enum value, a year. */
function genericSample(type: GraphQLInputType, samples: Record<string, () => unknown>): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [genericSample(nullable.ofType as GraphQLInputType, samples)];
  if (isEnumType(nullable)) return nullable.getValues()[0]!.value;
  if (isInputObjectType(nullable)) {
    const own = samples[nullable.name];
    if (own) return own();
    const value: Record<string, unknown> = {};
    for (const inner of Object.values(nullable.getFields())) if (isNonNullType(inner.type) && inner.defaultValue === undefined) value[inner.name] = genericSample(inner.type, samples);
    return value;
  }
  switch (getNamedType(type).name) {
    case 'Int':
      return 2020;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'ID':
      return randomUUID();
    case 'Date':
      return '2024-07-01';
    case 'DateTime':
      return '2024-07-01T08:00:00Z';
    default:
      return 'teks uji';
  }
}

/** `variables` with `value` at the position, creating valid containers on the way. */
function withValueAt(variables: Variables, position: Position, value: unknown, sample: (type: GraphQLInputType) => unknown): Variables {
  const root = clone(variables) as Record<string | number, unknown>;
  let container: Record<string | number, unknown> = root;
  position.path.forEach((key, i) => {
    if (i === position.path.length - 1) {
      container[key] = value;
      return;
    }
    let next = container[key];
    if (next === undefined || next === null || (Array.isArray(next) && next.length === 0)) {
      next = sample(position.types[i]!);
      container[key] = next;
    }
    container = next as Record<string | number, unknown>;
  });
  return root;
}

function valueAt(variables: Variables, path: readonly (string | number)[]): unknown {
  let value: unknown = variables;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

interface Case {
  coordinate: string;
  operation: 'query' | 'mutation';
  label: string;
  kind: Kind;
  caller: CallerName;
  document: string;
  variables: Variables;
  /** Mutations only: whether the value may be accepted (and written). */
  mayWrite: boolean;
}

type CallerName = 'anonymous' | 'admin' | 'operator';

function documentFor(operation: 'query' | 'mutation', field: GraphQLField<unknown, unknown>, variables: Variables): string {
  const args = field.args.filter((arg) => arg.name in variables);
  const definitions = args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passed = args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${operation} BadInput${definitions ? `(${definitions})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
}

/**
 * `callerOf` gives the caller the corpus is sent as; `alsoAsOperator` whether the ids are sent again
 * as Sidogiri's operator, whose writes go through the ownership check with them.
 */
function corpus(
  schema: GraphQLSchema,
  demo: Demo,
  callerOf: (coordinate: string) => CallerName | undefined,
  alsoAsOperator: (coordinate: string) => boolean,
): { cases: Case[]; fields: number; positions: number; uncovered: string[] } {
  const fixtures = bases(demo);
  const samples = inputSamples(demo);
  const sample = (type: GraphQLInputType) => genericSample(type, samples);
  let unique = 0;
  const cases: Case[] = [];
  const uncovered: string[] = [];
  let fields = 0;
  let positions = 0;
  for (const operation of ['query', 'mutation'] as const) {
    const root = operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
    for (const field of Object.values(root.getFields())) {
      fields++;
      const coordinate = `${root.name}.${field.name}`;
      const caller = callerOf(coordinate);
      if (!caller) {
        // A field without arguments (myPartner, for partners only) takes no bad input.
        if (field.args.length > 0) uncovered.push(`${coordinate}: no caller of this test may call it`);
        continue;
      }
      const base = (): Variables => {
        const own = fixtures[coordinate];
        if (own) return own(++unique);
        return Object.fromEntries(field.args.filter((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined).map((arg) => [arg.name, sample(arg.type)]));
      };
      for (const position of positionsOf(root.name, field)) {
        positions++;
        const current = valueAt(base(), position.path);
        const callers = [caller, ...(caller === 'admin' && alsoAsOperator(coordinate) && getNamedType(position.type).name === 'ID' ? (['operator'] as const) : [])];
        for (const [kind, value] of badValues(position, current, sample)) {
          const acceptable =
            MAY_BE_ACCEPTED.has(kind) || position.deprecated || Boolean(ACCEPTABLE[position.owner]?.[kind]) || (kind === 'unknown id' && position.owner in UNVERIFIED_REFERENCES);
          for (const who of callers) {
            const variables = withValueAt(base(), position, value, sample);
            cases.push({ coordinate, operation, label: position.label, kind, caller: who, document: documentFor(operation, field, variables), variables, mayWrite: operation === 'mutation' && acceptable });
          }
        }
      }
    }
  }
  return { cases, fields, positions, uncovered };
}

// ---------------------------------------------------------------------------------------------
// Reading answers and databases

function problemsWith(response: RawResponse): string[] {
  const problems: string[] = [];
  if (response.status >= 500) problems.push(`HTTP ${response.status}`);
  if (!response.body) problems.push(`not JSON: ${response.text.slice(0, 200)}`);
  for (const error of response.body?.errors ?? []) {
    const code = String(error.extensions?.['code']);
    if (!TYPED.has(code)) problems.push(`${code}: ${error.message}`);
    if (INTERNALS.test(error.message)) problems.push(`internals in the message: ${error.message.slice(0, 300)}`);
    if (error.extensions && ('stacktrace' in error.extensions || 'exception' in error.extensions)) problems.push(`a stack trace in the extensions (${code})`);
  }
  return problems;
}

const accepted = (response: RawResponse) => !response.body?.errors?.length && response.body?.data != null;

/** A checksum of every row of every table of every subgraph, by `subgraph.table`. */
async function checksums(supergraph: Supergraph): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const { database } = supergraph.services[name];
      const connection = database.orm.em.getConnection();
      const tables = (await connection.execute(
        `select table_name from information_schema.tables where table_schema = '${database.schema}' and table_type = 'BASE TABLE' order by table_name`,
      )) as { table_name: string }[];
      for (const { table_name: table } of tables) {
        const [row] = (await connection.execute(
          `select count(*)::int as n, coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '') as sum from "${database.schema}"."${table}" t`,
        )) as { n: number; sum: string }[];
        sums[`${name}.${table}`] = `${Number(row?.n ?? 0)} rows ${row?.sum ?? ''}`;
      }
    }),
  );
  return sums;
}

const BIDI_CLASS = '[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]';

/** Rows holding a bidirectional control anywhere in their text, by `subgraph.table`. */
async function rowsWithBidiControls(supergraph: Supergraph): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const name of SUBGRAPH_NAMES) {
    const { database } = supergraph.services[name];
    const connection = database.orm.em.getConnection();
    const tables = (await connection.execute(
      `select table_name from information_schema.tables where table_schema = '${database.schema}' and table_type = 'BASE TABLE' order by table_name`,
    )) as { table_name: string }[];
    for (const { table_name: table } of tables) {
      // The pattern holds the characters themselves, none of them a quote.
      const [row] = (await connection.execute(`select count(*)::int as n from "${database.schema}"."${table}" t where t::text ~ '${BIDI_CLASS}'`)) as { n: number }[];
      if (Number(row?.n ?? 0) > 0) found[`${name}.${table}`] = Number(row!.n);
    }
  }
  return found;
}

const changed = (before: Record<string, string>, after: Record<string, string>) =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => before[key] !== after[key]);


const describeValue = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 60)}… (${text.length} chars)` : text;
};

// ---------------------------------------------------------------------------------------------

describe.each(testEngines())('bad input to every argument, through the router, subgraphs on $name', (engine) => {
  let supergraph: Supergraph;
  let router: Router;
  let api: string;
  let schema: GraphQLSchema;
  let rules: Map<string, readonly AccessRule[]>;
  let scopes: string[];
  let demo: Demo;
  const headers = {} as Record<CallerName, Record<string, string>>;
  const identities = {} as Record<CallerName, Identity>;

  async function gql<T>(document: string, variables: Variables, caller: CallerName): Promise<T> {
    const response = await send(api, { query: document, variables }, headers[caller]);
    if (response.body?.errors?.length || !response.body?.data) throw new Error(`set-up failed: ${document}\n${response.text.slice(0, 500)}`);
    return response.body.data as T;
  }

  beforeAll(async () => {
    if (engine.skip) return;
    const started = performance.now();
    const policy = await accessPolicy();
    schema = policy.apiSchema;
    rules = new Map(policy.fields.map((field) => [field.coordinate, field.rules]));
    scopes = policy.scopes;
    // Every accepted order of the corpus comes from one address: the limits against hoarding (tested
    // in the catalogue's own suite) would refuse the corpus's later orders instead of their values.
    supergraph = await startSupergraph(engine, world, { catalogue: { orders: { ...DEFAULT_ORDER_POLICY, checkoutsPerPhonePerDay: 1_000_000, openCheckoutsPerPhone: 1_000_000, checkoutsPerNetworkPerHour: 1_000_000 } } });
    await (supergraph.services.catalogue as unknown as CatalogueService).indexer.rebuild();
    // The supergraph of the SDL as it is now, so the corpus and the router read the same arguments.
    router = await createRouter(testRouterConfig('development', UNLIMITED, supergraph.urls), { supergraphSdl: (await composeSupergraph()).supergraphSdl });
    api = await router.server.listen('127.0.0.1', 0);

    identities.anonymous = { role: 'anonymous', subject: null, pesantrenId: null, scopes: [] };
    identities.admin = { role: 'programme_admin', subject: 'bad-input-admin', pesantrenId: null, scopes };
    identities.operator = { role: 'pesantren_operator', subject: 'bad-input-operator', pesantrenId: sidogiri.id, scopes: [] };
    for (const caller of ['admin', 'operator'] as const) {
      const identity = identities[caller];
      headers[caller] = { authorization: `Bearer ${await issueAccessToken({ ...identity, subject: identity.subject! }, TEST_ACCESS_TOKEN_SECRET)}` };
    }
    headers.anonymous = {};
    demo = await prepareDemo();
    console.info(`bad input (${engine.name}): set up in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 120_000);

  afterAll(async () => {
    await router?.server.close();
    await supergraph?.close();
  });

  /** Finds and makes what the valid arguments name: products in each curation step, requested orders, a santri, an API key. */
  async function prepareDemo(): Promise<Demo> {
    const found = await gql<{
      pesantren: { sellers: { id: string }[]; products: { nodes: { id: string; featured: boolean; stock: number; category: { slug: string } }[] }; academics: { programmes: { id: string }[]; labs: { id: string }[] } };
      partners: { slug: string; role: string; engagements: { id: string }[] }[];
      outlets: { slug: string; publicKey: string }[];
      articles: { nodes: { slug: string }[] };
    }>(
      `query($slug: String!) {
        pesantren(slug: $slug) { sellers { id } products(first: 50) { nodes { id featured stock category { slug } } } academics { programmes { id } labs { id } } }
        partners { slug role engagements { id } }
        outlets { slug publicKey }
        articles(first: 1) { nodes { slug } }
      }`,
      { slug: sidogiri.slug },
      'admin',
    );
    const product = found.pesantren.products.nodes.find((p) => p.featured && p.stock > 20)!;
    const revisable = found.pesantren.products.nodes.find((p) => p.featured && p.id !== product.id)!;
    const engaged = found.partners.find((partner) => partner.engagements.length > 0)!;
    const seller = found.pesantren.sellers[0]!.id;
    const newProduct = async (name: string) =>
      (
        await gql<{ createProduct: { id: string } }>(
          'mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }',
          {
            input: {
              sellerId: seller,
              category: product.category.slug,
              nameIndonesian: name,
              descriptionIndonesian: 'Deskripsi produk uji yang cukup panjang.',
              priceRupiah: 12_000,
              stock: 5,
              unit: 'bungkus',
              weightGrams: 200,
              halalSelfDeclared: true,
            },
          },
          'admin',
        )
      ).createProduct.id;
    const step = (mutation: string, id: string) => gql(`mutation($id: ID!) { ${mutation}(id: $id) { id } }`, { id }, 'admin');
    const draft = await newProduct('Produk Uji Draf');
    const submitted = await newProduct('Produk Uji Diajukan');
    await step('submitProductForCuration', submitted);
    const inReview = await newProduct('Produk Uji Ditinjau');
    await step('submitProductForCuration', inReview);
    await step('startProductReview', inReview);
    const order = async () =>
      (
        await gql<{ requestOrder: { orders: { id: string }[] } }>(
          'mutation($input: OrderRequestInput!) { requestOrder(input: $input) { orders { id } } }',
          {
            input: {
              idempotencyKey: randomUUID(),
              items: [{ productId: product.id, quantity: 1 }],
              buyerName: 'Siti Aminah',
              buyerPhone: '0812 3456 7890',
              deliveryAddress: 'Jl. Raya Sidogiri No. 5, Kraton, Pasuruan',
              paymentMethod: 'COD',
            },
          },
          'anonymous',
        )
      ).requestOrder.orders[0]!.id;
    const programme = found.pesantren.academics.programmes[0]!.id;
    const enrolled = await gql<{ enrolSantri: { pseudonymousId: string } }>(
      'mutation($input: EnrolSantriInput!) { enrolSantri(input: $input) { pseudonymousId } }',
      { input: { programmeId: programme, birthYear: 2010, gender: 'MALE', intakeYear: 2023 } },
      'admin',
    );
    // The first read of an academic year takes that year's statistics release (releases.ts): a
    // write of the first request to read statistics, whatever its arguments, so made here.
    await gql('{ enrolmentStats(groupBy: [GENDER]) { total } }', {}, 'admin');
    const mediaPartner = found.partners.find((partner) => partner.role === 'MEDIA')!.slug;
    const key = await gql<{ createApiKey: { apiKey: { id: string } } }>(
      'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } } }',
      { input: { partnerSlug: mediaPartner, name: 'Kunci untuk dicabut', role: 'MEDIA_PARTNER' } },
      'admin',
    );
    const outletKey = await gql<{ createOutletKey: { id: string } }>(
      'mutation($slug: String!) { createOutletKey(outletSlug: $slug, label: "kunci-untuk-dicabut.example") { id } }',
      { slug: found.outlets[0]!.slug },
      'admin',
    );
    return {
      programme,
      lab: found.pesantren.academics.labs[0]!.id,
      pseudonymousId: enrolled.enrolSantri.pseudonymousId,
      seller,
      product: product.id,
      revisable: revisable.id,
      category: product.category.slug,
      draft,
      submitted,
      inReview,
      orderToConfirm: await order(),
      orderToCancel: await order(),
      outlet: found.outlets[0]!,
      article: found.articles.nodes[0]!.slug,
      mediaPartner,
      partner: engaged.slug,
      engagement: engaged.engagements[0]!.id,
      apiKey: key.createApiKey.apiKey.id,
      outletKey: outletKey.createOutletKey.id,
    };
  }

  /** The first caller the field's rule lets in: anonymous for public fields, else an admin with every scope, else Sidogiri's operator. */
  const callerOf = (coordinate: string): CallerName | undefined =>
    (['anonymous', 'admin', 'operator'] as const).find((caller) => isAllowed(rules.get(coordinate) ?? [], identities[caller]));

  const operatorMay = (coordinate: string) => isAllowed(rules.get(coordinate) ?? [], identities.operator);

  const run = async (entry: Case) => {
    const response = await send(api, { query: entry.document, variables: entry.variables }, headers[entry.caller]);
    return { entry, response, problems: problemsWith(response) };
  };
  const describeCase = (entry: Case) => `${entry.coordinate}(${entry.label}) ${entry.kind} ${describeValue(valueAt(entry.variables, labelPath(entry)))} as ${entry.caller}`;
  const labelPath = (entry: Case) => entry.label.split('.').flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), 0] : [part]));

  if (engine.skip) {
    it.skip(engine.skip, () => {});
    return;
  }

  it('answers every bad value with a typed error, never a 500, and writes nothing', async () => {
    const started = performance.now();
    const { cases, fields, positions, uncovered } = corpus(schema, demo, callerOf, operatorMay);
    expect(uncovered).toEqual([]);
    const refused = cases.filter((entry) => !entry.mayWrite);
    const problems: string[] = [];
    const writes: string[] = [];
    const before = await checksums(supergraph);

    // Queries write nothing but the audit of santri record requests (every one, refused ones included).
    const queries = refused.filter((entry) => entry.operation === 'query');
    for (const { entry, problems: found } of await inParallel(queries.map((entry) => () => run(entry)), 4)) {
      for (const problem of found) problems.push(`${describeCase(entry)}: ${problem}`);
    }
    const audited = 'academics.santri_record_access';
    const afterQueries = await checksums(supergraph);
    for (const table of changed(before, afterQueries)) if (table !== audited) writes.push(`queries changed ${table}`);
    const auditedRows = (sums: Record<string, string>) => Number.parseInt(sums[audited] ?? '0', 10);
    expect(auditedRows(afterQueries) - auditedRows(before)).toBeLessThanOrEqual(queries.filter((entry) => entry.coordinate === 'Query.santriRecords').length);

    // Mutations, a field at a time, with every table checksummed after each field's cases.
    let baseline = afterQueries;
    const byField = new Map<string, Case[]>();
    for (const entry of refused.filter((candidate) => candidate.operation === 'mutation')) byField.set(entry.coordinate, [...(byField.get(entry.coordinate) ?? []), entry]);
    for (const [coordinate, entries] of byField) {
      const results = await inParallel(entries.map((entry) => () => run(entry)), 4);
      for (const { entry, problems: found } of results) for (const problem of found) problems.push(`${describeCase(entry)}: ${problem}`);
      const after = await checksums(supergraph);
      const tables = changed(baseline, after);
      if (tables.length > 0) {
        const acceptedCases = results.filter(({ response }) => accepted(response)).map(({ entry }) => describeCase(entry));
        writes.push(`${coordinate} changed ${tables.join(', ')}; accepted: ${acceptedCases.join('; ') || 'none (a refused case wrote)'}`);
        baseline = after;
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.info(
      `bad input (${engine.name}): ${fields} fields, ${positions} arguments, input fields and list items, ${cases.length} requests ` +
        `(${refused.length} that must write nothing, in ${seconds} s; ${cases.length - refused.length} that may, in the last test)`,
    );
    expect.soft(problems, `${problems.length} answers that are not typed errors`).toEqual([]);
    expect(writes, 'bad input that wrote something').toEqual([]);
  }, 300_000);

  it('accepts the valid arguments the corpus is built on, so each case differs from an accepted request by its bad value alone', async () => {
    const fixtures = bases(demo);
    const refusals: string[] = [];
    // In an order where each one's precondition still holds (a draft is submitted, then reviewed).
    for (const operation of ['query', 'mutation'] as const) {
      const root = operation === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
      for (const field of Object.values(root.getFields())) {
        const coordinate = `${root.name}.${field.name}`;
        const fixture = fixtures[coordinate];
        if (!fixture) continue;
        const variables = fixture(1_000_000 + refusals.length);
        const response = await send(api, { query: documentFor(operation, field, variables), variables }, headers[callerOf(coordinate)!]);
        if (!accepted(response)) refusals.push(`${coordinate} as ${callerOf(coordinate)}: ${response.text.slice(0, 300)}`);
      }
    }
    expect(refusals).toEqual([]);
  }, 120_000);

  it('answers bidirectional controls and nulls for defaults with a typed error, or stores the text without the controls', async () => {
    const { cases } = corpus(schema, demo, callerOf, operatorMay);
    const mayWrite = cases.filter((entry) => entry.mayWrite);
    expect(mayWrite.length).toBeGreaterThan(100);
    const before = await rowsWithBidiControls(supergraph);
    const problems: string[] = [];
    for (const { entry, problems: found } of await inParallel(mayWrite.map((entry) => () => run(entry)), 4)) {
      for (const problem of found) problems.push(`${describeCase(entry)}: ${problem}`);
    }
    expect(problems, `${problems.length} answers that are not typed errors`).toEqual([]);
    expect(await rowsWithBidiControls(supergraph)).toEqual(before);
  }, 300_000);
});
