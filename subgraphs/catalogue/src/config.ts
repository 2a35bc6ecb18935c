import {
  envVar,
  IDENTITY_SECRET_MISSING,
  identitySecretRequiredInProduction,
  loadConfig,
  STOREFRONT_PUBLISH_SECRET_MISSING,
  storefrontPublishEnv,
  storefrontPublishNeedsSecret,
  storefrontPublishOf,
  type StorefrontPublishConfig,
  type SubgraphConfig,
  subgraphEnvShape,
  toSubgraphConfig,
} from '@opop/server-kit';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_ORDER_POLICY, type OrderPolicy } from './modules/order/order-policy.ts';
import type { S3StoreConfig } from './modules/photo/s3-store.ts';

export const DEFAULT_PORT = 4001;

export interface SearchConfig {
  /** Meilisearch when set; the embedded, in-process index otherwise. */
  meiliUrl: string | undefined;
  meiliApiKey: string | undefined;
  meiliIndex: string;
  /** How often the indexer looks for outbox events it was not woken for (other instances' writes). */
  pollMs: number;
}

/** The default: the in-process index, polling the outbox every second for other instances' writes. */
export const EMBEDDED_SEARCH: SearchConfig = { meiliUrl: undefined, meiliApiKey: undefined, meiliIndex: 'products', pollMs: 1_000 };

export interface PhotosConfig {
  /** Where the router answers the public: upload URLs point here. */
  publicApiUrl: string;
  /** Where browsers fetch processed photos (the router's /photos by default, a bucket or CDN with S3). */
  publicUrl: string;
  /** The local folder photos are kept in when no S3 store is configured. */
  directory: string;
  /** Photos this process processes at the same time. */
  concurrency: number;
  /** S3-compatible object storage instead of the local folder. */
  s3?: S3StoreConfig | undefined;
}

/** Photos on the local disk in the temporary folder, behind a router on localhost:4000. */
export const DEFAULT_PHOTOS: PhotosConfig = {
  publicApiUrl: 'http://localhost:4000',
  publicUrl: 'http://localhost:4000/photos',
  directory: join(tmpdir(), 'opop-photos'),
  concurrency: 1,
};

export interface CatalogueConfig extends SubgraphConfig {
  /** Unset in tests that build a config by hand: then DEFAULT_PHOTOS. */
  photos?: PhotosConfig;
  search: SearchConfig;
  /** The pesantren subgraph, which new sellers are checked against (their pesantren exists; its regency). */
  pesantrenUrl?: string | undefined;
  /** The storefront server's /_publish and the secret the relay signs with; unset: no incremental publishing. */
  storefrontPublish?: StorefrontPublishConfig | undefined;
  /** Reservation time and checkout limits; unset in tests that build a config by hand: then DEFAULT_ORDER_POLICY. */
  orders?: OrderPolicy;
}

const schema = z
  .object({
    ...subgraphEnvShape('catalogue', DEFAULT_PORT),
    MEILI_URL: envVar.url().optional(),
    MEILI_API_KEY: z.string().min(1).optional(),
    MEILI_INDEX: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be letters, digits, - or _').default('products'),
    SEARCH_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1_000),
    PESANTREN_URL: envVar.url().optional(),
    PUBLIC_API_URL: envVar.url().default('http://localhost:4000'),
    PHOTOS_PUBLIC_URL: envVar.url().optional(),
    PHOTOS_DIR: z.string().min(1).optional(),
    PHOTO_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(1),
    S3_URL: envVar.url().optional(),
    S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a valid bucket name').default('opop-photos'),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_PUBLIC_URL: envVar.url().optional(),
    ...storefrontPublishEnv,
    ORDER_RESERVATION_HOURS: z.coerce.number().min(1).max(720).default(DEFAULT_ORDER_POLICY.reservationHours),
    ORDER_CHECKOUTS_PER_PHONE_PER_DAY: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_ORDER_POLICY.checkoutsPerPhonePerDay),
    ORDER_OPEN_CHECKOUTS_PER_PHONE: z.coerce.number().int().min(1).max(10_000).default(DEFAULT_ORDER_POLICY.openCheckoutsPerPhone),
    ORDER_CHECKOUTS_PER_NETWORK_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(DEFAULT_ORDER_POLICY.checkoutsPerNetworkPerHour),
  })
  .refine(storefrontPublishNeedsSecret, STOREFRONT_PUBLISH_SECRET_MISSING)
  .refine((env) => !env.S3_URL || (env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY), {
    path: ['S3_ACCESS_KEY_ID'],
    message: 'and S3_SECRET_ACCESS_KEY are required with S3_URL',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.PESANTREN_URL, {
    path: ['PESANTREN_URL'],
    message: 'is required in production: new sellers are checked against the pesantren they name and its regency',
  })
  .refine(identitySecretRequiredInProduction, IDENTITY_SECRET_MISSING)
  .refine((env) => env.NODE_ENV !== 'production' || !env.MEILI_URL || env.MEILI_API_KEY, {
    path: ['MEILI_API_KEY'],
    message: 'is required in production when MEILI_URL is set',
  })
  .transform(
    (env): CatalogueConfig => ({
      ...toSubgraphConfig('catalogue', env),
      search: { meiliUrl: env.MEILI_URL, meiliApiKey: env.MEILI_API_KEY, meiliIndex: env.MEILI_INDEX, pollMs: env.SEARCH_POLL_MS },
      pesantrenUrl: env.PESANTREN_URL,
      orders: {
        reservationHours: env.ORDER_RESERVATION_HOURS,
        checkoutsPerPhonePerDay: env.ORDER_CHECKOUTS_PER_PHONE_PER_DAY,
        openCheckoutsPerPhone: env.ORDER_OPEN_CHECKOUTS_PER_PHONE,
        checkoutsPerNetworkPerHour: env.ORDER_CHECKOUTS_PER_NETWORK_PER_HOUR,
      },
      storefrontPublish: storefrontPublishOf(env),
      photos: {
        publicApiUrl: env.PUBLIC_API_URL,
        publicUrl:
          env.PHOTOS_PUBLIC_URL ??
          env.S3_PUBLIC_URL ??
          (env.S3_URL ? `${env.S3_URL.replace(/\/+$/, '')}/${env.S3_BUCKET}` : `${env.PUBLIC_API_URL.replace(/\/+$/, '')}/photos`),
        // An in-memory database (tests) keeps its photos in the temporary folder.
        directory: env.PHOTOS_DIR ?? (env.DATA_DIR === 'memory://' ? join(tmpdir(), 'opop-photos') : join(env.DATA_DIR, 'photos')),
        concurrency: env.PHOTO_CONCURRENCY,
        s3: env.S3_URL
          ? {
              url: env.S3_URL,
              bucket: env.S3_BUCKET,
              region: env.S3_REGION,
              accessKeyId: env.S3_ACCESS_KEY_ID!,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
              publicUrl: env.PHOTOS_PUBLIC_URL ?? env.S3_PUBLIC_URL,
            }
          : undefined,
      },
    }),
  );

export function loadCatalogueConfig(env: NodeJS.ProcessEnv = process.env): CatalogueConfig {
  return loadConfig(schema, env);
}
