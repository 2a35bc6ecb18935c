import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredPhotoStore } from '../src/app.ts';
import { loadCatalogueConfig } from '../src/config.ts';
import { DiskPhotoStore } from '../src/modules/photo/disk-store.ts';
import type { PhotoStore } from '../src/modules/photo/photo-store.ts';
import { S3PhotoStore, type S3Sender } from '../src/modules/photo/s3-store.ts';

/**
 * The contract every PhotoStore adapter keeps. It runs against the local disk always, and against
 * S3-compatible storage whenever S3_URL (with S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY) is set:
 * `docker compose up minio`, then S3_URL=http://127.0.0.1:9000 S3_ACCESS_KEY_ID=opop
 * S3_SECRET_ACCESS_KEY=<MINIO_ROOT_PASSWORD>. It uses a bucket of its own and removes it.
 */
const S3_URL = process.env['S3_URL'] || undefined;
const S3_KEYS = { accessKeyId: process.env['S3_ACCESS_KEY_ID'] ?? '', secretAccessKey: process.env['S3_SECRET_ACCESS_KEY'] ?? '' };

interface Adapter {
  name: string;
  skip: string | undefined;
  create: () => Promise<{ store: PhotoStore; cleanup: () => Promise<void> }>;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'disk',
    skip: undefined,
    create: async () => {
      const root = await mkdtemp(join(tmpdir(), 'opop-store-contract-'));
      return { store: new DiskPhotoStore(root, 'https://photos.example/base/'), cleanup: () => rm(root, { recursive: true, force: true }) };
    },
  },
  {
    name: 's3',
    skip: S3_URL ? undefined : 'S3_URL is not set, so the S3 run of the photo store contract is skipped',
    create: async () => {
      const bucket = `opop-contract-${randomBytes(4).toString('hex')}`;
      const client = new S3Client({ endpoint: S3_URL, region: 'us-east-1', forcePathStyle: true, credentials: S3_KEYS });
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      const store = new S3PhotoStore({ url: S3_URL!, bucket, region: 'us-east-1', ...S3_KEYS, publicUrl: 'https://photos.example/base' }, client);
      return {
        store,
        cleanup: async () => {
          const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
          for (const object of listed.Contents ?? []) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key! }));
          await client.send(new DeleteBucketCommand({ Bucket: bucket }));
        },
      };
    },
  },
];

describe.each(ADAPTERS)('the $name photo store keeps the contract', (adapter) => {
  let store: PhotoStore;
  let cleanup = async () => {};
  beforeAll(async () => {
    if (adapter.skip) return;
    ({ store, cleanup } = await adapter.create());
  });
  afterAll(() => cleanup());

  if (adapter.skip) {
    it.skip(adapter.skip, () => {});
    return;
  }

  it('gives back the bytes and type it was given, and answers when asked', async () => {
    const bytes = randomBytes(10_000);
    await store.put('p/0123456789abcdef0123456789abcdef/400.webp', bytes, 'image/webp');
    const object = await store.get('p/0123456789abcdef0123456789abcdef/400.webp');
    expect(Buffer.from(object!.bytes).equals(bytes)).toBe(true);
    expect(object!.contentType).toBe('image/webp');
    expect(await store.has('p/0123456789abcdef0123456789abcdef/400.webp')).toBe(true);
    await store.ping();
  });

  it('says plainly when there is nothing: null, false, and deleting twice is fine', async () => {
    expect(await store.get('p/ffffffffffffffffffffffffffffffff/400.jpg')).toBeNull();
    expect(await store.has('p/ffffffffffffffffffffffffffffffff/400.jpg')).toBe(false);
    await store.put('originals/gone-soon', randomBytes(100), 'application/octet-stream');
    await store.delete('originals/gone-soon');
    await store.delete('originals/gone-soon');
    expect(await store.has('originals/gone-soon')).toBe(false);
  });

  it('replaces an object whole, also when two writers race', async () => {
    const first = Buffer.alloc(300_000, 1);
    const second = Buffer.alloc(200_000, 2);
    await Promise.all([store.put('originals/race', first, 'application/octet-stream'), store.put('originals/race', second, 'application/octet-stream')]);
    const stored = Buffer.from((await store.get('originals/race'))!.bytes);
    expect(stored.equals(first) || stored.equals(second)).toBe(true);
    await store.put('originals/race', Buffer.from('later'), 'application/octet-stream');
    expect(Buffer.from((await store.get('originals/race'))!.bytes).toString()).toBe('later');
  });

  it('holds a photo-sized object (5 MB)', async () => {
    const bytes = randomBytes(5 * 1024 * 1024);
    await store.put('originals/large', bytes, 'application/octet-stream');
    expect(Buffer.from((await store.get('originals/large'))!.bytes).equals(bytes)).toBe(true);
  });

  it('refuses keys that could leave its folder or bucket prefix', async () => {
    for (const key of ['../escape', 'p/../../etc/passwd', '/absolute', 'p//double', 'P/Upper', 'p/with space', 'p/ends/', '', 'p/%2e%2e']) {
      await expect(store.put(key, Buffer.from('x'), 'text/plain'), key).rejects.toThrow(/Invalid photo key/);
      await expect(store.get(key), key).rejects.toThrow(/Invalid photo key/);
    }
  });

  it('names public objects under its public base URL', () => {
    expect(store.publicUrl('p/0123456789abcdef0123456789abcdef/800.avif')).toBe('https://photos.example/base/p/0123456789abcdef0123456789abcdef/800.avif');
  });
});

it('the disk store leaves no temporary files behind, also when a write fails', async () => {
  const root = await mkdtemp(join(tmpdir(), 'opop-store-atomic-'));
  try {
    const store = new DiskPhotoStore(root, 'http://x');
    await store.put('p/aa/1.jpg', Buffer.from('whole'), 'image/jpeg');
    // A folder where the file should go makes the rename fail.
    await store.put('p/bb/2.jpg/inner', Buffer.from('x'), 'image/jpeg');
    await expect(store.put('p/bb/2.jpg', Buffer.from('y'), 'image/jpeg')).rejects.toThrow();
    const files = await readdir(root, { recursive: true });
    expect(files.filter((name) => String(name).endsWith('.part'))).toEqual([]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

describe('the S3 store without a server (its error mapping and requests)', () => {
  const sent: { name: string; input: Record<string, unknown> }[] = [];
  const failing = (error: unknown): S3Sender => ({
    send: (async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      sent.push({ name: command.constructor.name, input: command.input });
      throw error;
    }) as unknown as S3Sender['send'],
  });
  const config = { url: 'http://minio:9000/', bucket: 'opop-photos', region: 'us-east-1', accessKeyId: 'a', secretAccessKey: 'b', publicUrl: undefined };

  it('maps a missing key to null and false, and passes other failures on', async () => {
    const missing = new S3PhotoStore(config, failing(new NoSuchKey({ message: 'gone', $metadata: { httpStatusCode: 404 } })));
    expect(await missing.get('p/aa/1.jpg')).toBeNull();
    const notFound = new S3PhotoStore(config, failing(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } })));
    expect(await notFound.has('p/aa/1.jpg')).toBe(false);
    const denied = new S3PhotoStore(config, failing(Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } })));
    await expect(denied.get('p/aa/1.jpg')).rejects.toThrow('Access Denied');
    await expect(denied.has('p/aa/1.jpg')).rejects.toThrow('Access Denied');
  });

  it('marks served variants immutable and keeps originals uncached; the public URL is the bucket path', async () => {
    sent.length = 0;
    const ok: S3Sender = {
      send: (async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return {};
      }) as unknown as S3Sender['send'],
    };
    const store = new S3PhotoStore(config, ok);
    await store.put('p/aa/1.avif', Buffer.from('x'), 'image/avif');
    await store.put('originals/abc', Buffer.from('x'), 'application/octet-stream');
    expect(sent.map((call) => [call.name, call.input['Key'], call.input['CacheControl'], call.input['ContentType']])).toEqual([
      ['PutObjectCommand', 'p/aa/1.avif', 'public, max-age=31536000, immutable', 'image/avif'],
      ['PutObjectCommand', 'originals/abc', undefined, 'application/octet-stream'],
    ]);
    expect(store.publicUrl('p/aa/1.avif')).toBe('http://minio:9000/opop-photos/p/aa/1.avif');
  });
});

describe('choosing the photo store from the environment', () => {
  it('uses the disk under DATA_DIR by default, with photo URLs on the router', () => {
    const config = loadCatalogueConfig({ DATA_DIR: '/srv/opop', PUBLIC_API_URL: 'https://api.opop.example' });
    expect(config.photos).toMatchObject({ directory: '/srv/opop/photos', publicUrl: 'https://api.opop.example/photos', s3: undefined });
    expect(configuredPhotoStore(config.photos!).kind).toBe('disk');
  });

  it('uses S3 with S3_URL and its keys, serving from the bucket unless a CDN is named', () => {
    const env = { S3_URL: 'http://minio:9000', S3_ACCESS_KEY_ID: 'opop', S3_SECRET_ACCESS_KEY: 'secret-secret' };
    const config = loadCatalogueConfig(env);
    expect(config.photos!.publicUrl).toBe('http://minio:9000/opop-photos');
    expect(configuredPhotoStore(config.photos!).kind).toBe('s3');
    expect(loadCatalogueConfig({ ...env, PHOTOS_PUBLIC_URL: 'https://cdn.example/photos' }).photos!.publicUrl).toBe('https://cdn.example/photos');
  });

  it('refuses S3_URL without keys, and a bad bucket name, naming the variable', () => {
    expect(() => loadCatalogueConfig({ S3_URL: 'http://minio:9000' })).toThrow(/S3_ACCESS_KEY_ID/);
    expect(() => loadCatalogueConfig({ S3_URL: 'http://minio:9000', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 'b', S3_BUCKET: 'Bad_Bucket' })).toThrow(/S3_BUCKET/);
  });
});
