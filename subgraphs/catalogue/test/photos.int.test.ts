import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld } from '@opop/demo-data';
import { adminIdentity, identityHeaders, operatorIdentity, testEngines } from '@opop/server-kit/testing';
import { expectError, useTestSubgraph } from '@opop/server-kit/test-harness';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../seeders/catalogue.seeder.ts';
import { createCatalogueService } from '../src/app.ts';
import { EMBEDDED_SEARCH } from '../src/config.ts';
import { DiskPhotoStore } from '../src/modules/photo/disk-store.ts';
import { Photo } from '../src/modules/photo/photo.entity.ts';
import type { PhotoStore } from '../src/modules/photo/photo-store.ts';
import { PHOTO_ATTEMPTS } from '../src/modules/photo/photo.queue.ts';
import { Product } from '../src/modules/product/product.entity.ts';
import { heicStart, pdfNamedJpg, phonePhoto, pngBomb, svgWithScript } from './photo-files.ts';

const world = generateWorld('demo');
// The pesantren with the most products, so every test has products of its own.
const productCount = (pesantrenId: string) => world.products.filter((p) => world.sellers.find((s) => s.id === p.sellerId)!.pesantrenId === pesantrenId).length;
const sidogiri = [...world.pesantren].sort((a, b) => productCount(b.id) - productCount(a.id))[0]!;
const sellerIds = new Set(world.sellers.filter((s) => s.pesantrenId === sidogiri.id).map((s) => s.id));
const ownProducts = world.products.filter((p) => sellerIds.has(p.sellerId));
// The last of them, used by no other test: its curation status is checked.
const featured = ownProducts.findLast((p) => p.status === 'FEATURED');
const otherPesantren = world.pesantren.find((p) => p.id !== sidogiri.id)!;

/** A disk store whose writes can be made to fail, to see retries and what a failed write leaves. */
class FlakyStore implements PhotoStore {
  readonly kind = 'disk' as const;
  failPuts = 0;
  readonly inner: DiskPhotoStore;
  constructor(inner: DiskPhotoStore) {
    this.inner = inner;
  }
  async put(key: string, bytes: Uint8Array, type: string) {
    if (this.failPuts > 0 && key.startsWith('p/')) {
      this.failPuts--;
      throw new Error('disk full (test)');
    }
    return this.inner.put(key, bytes, type);
  }
  get = (key: string) => this.inner.get(key);
  has = (key: string) => this.inner.has(key);
  delete = (key: string) => this.inner.delete(key);
  publicUrl = (key: string) => this.inner.publicUrl(key);
  ping = () => this.inner.ping();
}

async function filesUnder(root: string, prefix: string): Promise<string[]> {
  try {
    return (await readdir(join(root, prefix), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

const START = `mutation($input: StartPhotoUploadInput!) { startPhotoUpload(input: $input) { uploadUrl expiresAt maxBytes photo { id status position } } }`;
const PHOTOS = `query($id: ID!) { product(id: $id) { curationStatus images { url width height color placeholder alt { indonesian english } sources { format type width height url } } photos { id status progress position failure alt { indonesian english } image { url } } } }`;

interface ImageView {
  url: string;
  width: number;
  height: number;
  color: string;
  placeholder: string;
  alt: { indonesian: string; english: string | null };
  sources: { format: string; type: string; width: number; height: number; url: string }[];
}
interface PhotoView {
  id: string;
  status: string;
  progress: number;
  position: number;
  failure: string | null;
  alt: { indonesian: string; english: string | null };
  image: { url: string } | null;
}

describe.each(testEngines())('product photos on $name', (engine) => {
  let root: string;
  let store: FlakyStore;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'opop-photos-test-'));
    store = new FlakyStore(new DiskPhotoStore(root, 'http://localhost:4000/photos'));
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  const subgraph = useTestSubgraph('catalogue', engine, {
    create: (config) => createCatalogueService({ ...config, search: { ...EMBEDDED_SEARCH, pollMs: 60_000 } }, { photoStore: store }),
    seed: (em) => loadCatalogue(em, world),
  });
  const asOperator = () => identityHeaders(operatorIdentity(sidogiri.id));
  const asAdmin = () => identityHeaders(adminIdentity());

  describe.skipIf(Boolean(engine.skip))('from upload to page', () => {
  /** The upload URL points at the router's public origin; tests send to the subgraph itself. */
  const direct = (publicUrl: string) => new URL(new URL(publicUrl).pathname, subgraph.url).toString();

  async function startUpload(productId: string, byteSize: number, alt = 'Foto kemasan produk') {
    const response = await subgraph.gql<{ startPhotoUpload: { uploadUrl: string; expiresAt: string; maxBytes: number; photo: { id: string; status: string } } }>(
      START,
      { input: { productId, byteSize, altIndonesian: alt, altEnglish: 'Product packaging photo' } },
      await asOperator(),
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.startPhotoUpload;
  }

  const put = (url: string, bytes: Uint8Array, type = 'image/jpeg') =>
    fetch(direct(url), { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': type } }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string; message: string }; photo?: { id: string; status: string } } }));

  async function photosOf(productId: string) {
    const response = await subgraph.gql<{ product: { curationStatus: string; images: ImageView[]; photos: PhotoView[] } }>(PHOTOS, { id: productId }, await asOperator());
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.product;
  }

  async function untilSettled(productId: string, photoId: string) {
    for (let i = 0; i < 150; i++) {
      const photo = (await photosOf(productId)).photos.find((p) => p.id === photoId);
      if (photo && (photo.status === 'READY' || photo.status === 'FAILED')) return photo;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`photo ${photoId} did not settle`);
  }

  it('takes a phone photo from upload to served variants: upright, without EXIF or location, content-keyed, cached for a year', async () => {
    const product = ownProducts[0]!;
    // A portrait photo stored sideways with the camera's orientation flag, as phones do.
    const original = await phonePhoto({ width: 1600, height: 1200, orientation: 6 });
    const sentMetadata = await sharp(original).metadata();
    expect(sentMetadata.orientation).toBe(6);
    expect(sentMetadata.exif?.toString('latin1')).toContain('TestPhone');
    const upload = await startUpload(product.id, original.byteLength);
    expect(upload.photo.status).toBe('AWAITING_UPLOAD');
    expect(upload.maxBytes).toBe(15 * 1024 * 1024);
    expect(upload.uploadUrl).toMatch(/^http:\/\/localhost:4000\/photos\/uploads\/[\w-]+\.[\w-]+\.[\w-]+$/);

    const sent = await put(upload.uploadUrl, original);
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.photo).toEqual({ id: upload.photo.id, status: 'QUEUED' });
    const settled = await untilSettled(product.id, upload.photo.id);
    expect(settled).toMatchObject({ status: 'READY', progress: 100, failure: null });

    const { images } = await photosOf(product.id);
    expect(images).toHaveLength(1);
    const image = images[0]!;
    // Upright: the sideways 1600 × 1200 becomes 1200 wide portrait, served at most 1200 wide.
    expect(image.height).toBeGreaterThan(image.width);
    expect(image.width).toBeLessThanOrEqual(1200);
    expect(image.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(image.placeholder).toMatch(/^data:image\/webp;base64,/);
    expect(image.placeholder.length).toBeLessThan(1_000);
    expect(image.alt).toEqual({ indonesian: 'Foto kemasan produk', english: 'Product packaging photo' });
    expect(image.sources.map((s) => `${s.format}@${s.width}`)).toEqual(['AVIF@400', 'WEBP@400', 'JPEG@400', 'AVIF@800', 'WEBP@800', 'JPEG@800', 'AVIF@1200', 'WEBP@1200', 'JPEG@1200'].map((v) => v.replace('1200', String(image.width))));
    expect(image.url).toBe(image.sources.at(-1)!.url);

    for (const source of image.sources) {
      const response = await fetch(direct(source.url));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(source.type);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const metadata = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      expect([metadata.width, metadata.height]).toEqual([source.width, source.height]);
      expect(metadata.exif, `${source.url} keeps EXIF`).toBeUndefined();
      expect(metadata.orientation ?? 1).toBe(1);
      const again = await fetch(direct(source.url), { headers: { 'if-none-match': response.headers.get('etag')! } });
      expect(again.status).toBe(304);
    }
    // The original, with its GPS, is gone once processed.
    expect(await filesUnder(root, 'originals')).toEqual([]);
  });

  it('takes PNG, WebP and AVIF as well as JPEG, whatever the file is called', async () => {
    const base = await phonePhoto({ width: 640, height: 480, seed: 41 });
    for (const [format, type] of [['png', 'application/octet-stream'], ['webp', 'image/jpeg'], ['avif', 'image/avif']] as const) {
      const bytes = await sharp(base).toFormat(format).toBuffer();
      const upload = await startUpload(ownProducts[7]!.id, bytes.byteLength, `Foto ${format}`);
      const sent = await put(upload.uploadUrl, bytes, type);
      expect(sent.status, `${format}: ${JSON.stringify(sent.body)}`).toBe(202);
      expect((await untilSettled(ownProducts[7]!.id, upload.photo.id)).status).toBe('READY');
    }
  });

  it('stores the same photo once, however many products show it', async () => {
    const first = (await photosOf(ownProducts[0]!.id)).images[0]!;
    const before = (await filesUnder(root, 'p')).length;
    const same = await phonePhoto({ width: 1600, height: 1200, orientation: 6 });
    const upload = await startUpload(ownProducts[1]!.id, same.byteLength);
    expect((await put(upload.uploadUrl, same)).status).toBe(202);
    expect((await untilSettled(ownProducts[1]!.id, upload.photo.id)).status).toBe('READY');
    const second = (await photosOf(ownProducts[1]!.id)).images[0]!;
    expect(second.sources.map((s) => s.url)).toEqual(first.sources.map((s) => s.url));
    expect((await filesUnder(root, 'p')).length).toBe(before);
  });

  describe('refuses what it should, with a message, leaving nothing behind', () => {
    const cases: [string, () => Promise<Buffer>, string, number, RegExp][] = [
      ['a PDF renamed .jpg', async () => pdfNamedJpg, 'UNSUPPORTED_TYPE', 415, /bukan foto JPEG.*PDF/],
      ['an SVG with a script', async () => svgWithScript, 'UNSUPPORTED_TYPE', 415, /not a JPEG/],
      ['a 20,000 × 20,000 PNG (a decompression bomb)', async () => pngBomb(), 'TOO_MANY_PIXELS', 422, /megapiksel/],
      ['a truncated JPEG', async () => (await phonePhoto({ seed: 7 })).subarray(0, 40_000), 'DAMAGED', 422, /rusak atau terpotong/],
      ['an empty file', async () => Buffer.alloc(0), 'EMPTY', 400, /kosong/],
      ['an iPhone HEIC (no HEVC decoder in this build)', async () => heicStart, 'UNSUPPORTED_TYPE', 415, /Paling Kompatibel.*Most Compatible/],
      ['a thumbnail too small to judge a product by', async () => phonePhoto({ width: 150, height: 100 }), 'TOO_SMALL', 422, /terlalu kecil/],
    ];
    it.each(cases)('%s', async (_name, make, code, status, message) => {
      const product = ownProducts[2]!;
      const bytes = await make();
      const upload = await startUpload(product.id, Math.max(1, bytes.byteLength));
      const sent = await put(upload.uploadUrl, bytes);
      expect(sent.status).toBe(status);
      expect(sent.body.error?.code).toBe(code);
      expect(sent.body.error?.message).toMatch(message);
      expect(await subgraph.service.database.fork().count(Photo, { id: upload.photo.id })).toBe(0);
      expect(await filesUnder(root, 'originals')).toEqual([]);
      expect((await photosOf(product.id)).photos).toEqual([]);
    });

    it('an upload for another pesantren’s product: refused before any URL exists', async () => {
      const response = await subgraph.gql(START, { input: { productId: ownProducts[2]!.id, byteSize: 1000, altIndonesian: 'Foto produk' } }, await identityHeaders(operatorIdentity(otherPesantren.id)));
      expectError(response, 'FORBIDDEN');
      expect(await subgraph.service.database.fork().count(Photo, { product: ownProducts[2]!.id })).toBe(0);
      // Nor may they read the product's photos, drafts included.
      const photos = await subgraph.gql<{ product: { photos: unknown[] } | null }>(`query($id: ID!) { product(id: $id) { photos { id } } }`, { id: ownProducts[0]!.id }, await identityHeaders(operatorIdentity(otherPesantren.id)));
      expect(photos.data?.product?.photos ?? []).toEqual([]);
      const anonymous = await subgraph.gql(`query($id: ID!) { product(id: $id) { photos { id } } }`, { id: ownProducts[0]!.id });
      expect(anonymous.errors?.[0]?.extensions?.['code']).toBe('UNAUTHENTICATED');
    });

    it('a URL used twice, altered, or sent more than announced', async () => {
      const photo = await phonePhoto({ seed: 11 });
      const upload = await startUpload(ownProducts[3]!.id, photo.byteLength);
      const [token] = upload.uploadUrl.split('/').slice(-1);
      const altered = upload.uploadUrl.replace(token!, `${token!.slice(0, -3)}abc`);
      expect((await put(altered, photo)).body.error?.code).toBe('UPLOAD_URL_INVALID');
      expect((await put(upload.uploadUrl.replace(token!, 'not-a-token'), photo)).status).toBe(403);
      const bigger = await startUpload(ownProducts[3]!.id, 10);
      expect((await put(bigger.uploadUrl, photo)).body.error?.code).toBe('LARGER_THAN_DECLARED');
      const [once, twice] = await Promise.all([put(upload.uploadUrl, photo), put(upload.uploadUrl, photo)]);
      expect([once.status, twice.status].sort()).toEqual([202, 409]);
      await untilSettled(ownProducts[3]!.id, upload.photo.id);
      expect((await put(upload.uploadUrl, photo)).body.error?.code).toBe('UPLOAD_URL_USED');
      expect(await filesUnder(root, 'originals')).toEqual([]);
    });

    it('a bad byteSize or alt text gets a typed error on its field', async () => {
      const headers = await asOperator();
      for (const [input, field] of [
        [{ productId: ownProducts[2]!.id, byteSize: 16 * 1024 * 1024, altIndonesian: 'Foto produk' }, 'input.byteSize'],
        [{ productId: ownProducts[2]!.id, byteSize: 0, altIndonesian: 'Foto produk' }, 'input.byteSize'],
        [{ productId: ownProducts[2]!.id, byteSize: 100, altIndonesian: '' }, 'input.altIndonesian'],
        [{ productId: 'not-an-id', byteSize: 100, altIndonesian: 'Foto produk' }, 'input.productId'],
      ] as const) {
        expectError(await subgraph.gql(START, { input }, headers), 'BAD_USER_INPUT', field);
      }
    });
  });

  it('a processing failure is retried, and after the last attempt says what to do', async () => {
    const product = ownProducts[4]!;
    const pipeline = subgraph.service.photos;
    const bytes = await phonePhoto({ seed: 21 });
    const upload = await startUpload(product.id, bytes.byteLength);
    // Taken out of the queue's hands: the test runs each attempt itself.
    store.failPuts = 1_000;
    expect((await put(upload.uploadUrl, bytes)).status).toBe(202);
    await expect(pipeline.process(upload.photo.id, 1)).rejects.toThrow(/disk full/);
    const em = subgraph.service.database.fork();
    expect((await em.findOneOrFail(Photo, { id: upload.photo.id })).status).toBe('QUEUED');
    await pipeline.process(upload.photo.id, PHOTO_ATTEMPTS);
    store.failPuts = 0;
    const failed = await subgraph.service.database.fork().findOneOrFail(Photo, { id: upload.photo.id });
    expect(failed.status).toBe('FAILED');
    expect(failed.failure).toMatch(/hapus dan coba unggah lagi/);
    expect((await photosOf(product.id)).images).toEqual([]);
    expect(await filesUnder(root, 'originals')).toEqual([]);
  });

  it('arranges photos: order, descriptions and removal reach the product; a featured product goes back to curation', async () => {
    const product = featured ?? ownProducts[5]!;
    const ids: string[] = [];
    for (const seed of [31, 32]) {
      const bytes = await phonePhoto({ seed, width: 900, height: 900 });
      const upload = await startUpload(product.id, bytes.byteLength, `Foto ${seed}`);
      expect((await put(upload.uploadUrl, bytes)).status).toBe(202);
      expect((await untilSettled(product.id, upload.photo.id)).status).toBe('READY');
      ids.push(upload.photo.id);
    }
    let view = await photosOf(product.id);
    expect(view.images.map((image) => image.alt.indonesian)).toEqual(['Foto 31', 'Foto 32']);
    if (featured) expect(view.curationStatus).toBe('SUBMITTED');

    const arrange = `mutation($id: ID!, $photos: [ProductPhotoArrangement!]!) { arrangeProductPhotos(productId: $id, photos: $photos) { images { alt { indonesian } } } }`;
    const swapped = await subgraph.gql<{ arrangeProductPhotos: { images: { alt: { indonesian: string } }[] } }>(
      arrange,
      { id: product.id, photos: [{ id: ids[1], altIndonesian: 'Tampak depan kemasan' }, { id: ids[0], altIndonesian: 'Tampak belakang' }] },
      await asOperator(),
    );
    expect(swapped.data?.arrangeProductPhotos.images.map((image) => image.alt.indonesian)).toEqual(['Tampak depan kemasan', 'Tampak belakang']);
    const removed = await subgraph.gql<{ arrangeProductPhotos: { images: unknown[] } }>(arrange, { id: product.id, photos: [{ id: ids[1], altIndonesian: 'Tampak depan kemasan' }] }, await asOperator());
    expect(removed.data?.arrangeProductPhotos.images).toHaveLength(1);
    view = await photosOf(product.id);
    expect(view.photos.map((photo) => photo.id)).toEqual([ids[1]]);

    // Someone else's photo, a photo listed twice: typed errors, nothing changed.
    const foreign = (await photosOf(ownProducts[0]!.id)).photos[0]!.id;
    expectError(await subgraph.gql(arrange, { id: product.id, photos: [{ id: foreign, altIndonesian: 'Bukan milik produk ini' }] }, await asOperator()), 'BAD_USER_INPUT', 'photos.0.id');
    expectError(await subgraph.gql(arrange, { id: product.id, photos: [{ id: ids[1], altIndonesian: 'Satu' }, { id: ids[1], altIndonesian: 'Dua' }] }, await asOperator()), 'BAD_USER_INPUT');
    expect((await photosOf(product.id)).photos.map((photo) => photo.id)).toEqual([ids[1]]);
    expectError(await subgraph.gql(arrange, { id: product.id, photos: [] }, await identityHeaders(operatorIdentity(otherPesantren.id))), 'FORBIDDEN');
  });

  it('deletes a removed photo’s files after an hour, unless another photo shows the same content', async () => {
    const arrange = `mutation($id: ID!, $photos: [ProductPhotoArrangement!]!) { arrangeProductPhotos(productId: $id, photos: $photos) { id } }`;
    const bytes = await phonePhoto({ seed: 41, width: 900, height: 700 });
    const uploadTo = async (productId: string) => {
      const upload = await startUpload(productId, bytes.byteLength, 'Foto 41');
      expect((await put(upload.uploadUrl, bytes)).status).toBe(202);
      expect((await untilSettled(productId, upload.photo.id)).status).toBe('READY');
      return upload.photo.id;
    };
    const later = (hours: number) => new Date(Date.now() + hours * 3600_000);
    // Files of photos removed by the tests above go first (the arrangement test removed one nobody else shows).
    expect((await subgraph.service.photos.sweep(later(2))).filesDeleted).toBeGreaterThan(0);
    const [shared, alone] = [ownProducts[3]!, ownProducts[4]!];
    const keep = await uploadTo(shared.id);
    await uploadTo(alone.id);
    const { variants } = await subgraph.service.database.fork().findOneOrFail(Photo, { id: keep });
    const stored = async () => (await Promise.all(variants.map((variant) => subgraph.service.photos.store.has(variant.key)))).every(Boolean);
    const removeAll = async (productId: string) => expect((await subgraph.gql(arrange, { id: productId, photos: [] }, await asOperator())).errors).toBeUndefined();

    // Removed from one product while another still shows it: the files stay.
    await removeAll(alone.id);
    expect((await subgraph.service.photos.sweep(later(2))).filesDeleted).toBe(0);
    expect(await stored()).toBe(true);
    // Removed everywhere: kept through the grace period, then deleted.
    await removeAll(shared.id);
    expect((await subgraph.service.photos.sweep(later(0.5))).filesDeleted).toBe(0);
    expect(await stored()).toBe(true);
    // (Other photos of these products, from the tests above, go with them.)
    expect((await subgraph.service.photos.sweep(later(2))).filesDeleted).toBeGreaterThanOrEqual(variants.length);
    expect(await Promise.all(variants.map((variant) => subgraph.service.photos.store.has(variant.key)))).toEqual(variants.map(() => false));
    // Uploaded again afterwards: processed anew, its files back.
    await uploadTo(shared.id);
    expect(await stored()).toBe(true);
  });

  it('at most 8 photos a product', async () => {
    const product = ownProducts[6]!;
    for (let i = 0; i < 8; i++) await startUpload(product.id, 1000);
    const ninth = await subgraph.gql(START, { input: { productId: product.id, byteSize: 1000, altIndonesian: 'Foto kesembilan' } }, await asAdmin());
    expectError(ninth, 'BAD_USER_INPUT', 'input.productId');
    // Unused upload URLs expire and are swept.
    const swept = await subgraph.service.photos.sweep(new Date(Date.now() + 16 * 60_000));
    expect(swept.expired).toBeGreaterThanOrEqual(8);
    expect(await subgraph.service.database.fork().count(Product, { id: product.id })).toBe(1);
    await startUpload(product.id, 1000);
  });
  });
});
