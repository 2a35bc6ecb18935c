import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld, isIllustrated, type DemoWorld, type ProductRecord } from '@opop/demo-data';
import { createLogger, type SubgraphConfig } from '@opop/server-kit';
import { adminIdentity, dropTestSchema, identityHeaders, testEngines, testSubgraphConfig, type TestEngine } from '@opop/server-kit/testing';
import { useTestSubgraph } from '@opop/server-kit/test-harness';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../seeders/catalogue.seeder.ts';
import { DEMO_PHOTO_ACTOR, DEMO_PHOTO_MAX_PRODUCTS, renderIllustration, seedDemoPhotos } from '../seeders/demo-photos.ts';
import { createCatalogueService, type CatalogueService } from '../src/app.ts';
import { EMBEDDED_SEARCH } from '../src/config.ts';
import { DiskPhotoStore } from '../src/modules/photo/disk-store.ts';
import { Photo } from '../src/modules/photo/photo.entity.ts';
import { Product } from '../src/modules/product/product.entity.ts';

const demo = generateWorld('demo');
const illustrated = demo.products.filter((p) => isIllustrated(p.id));
const drawingKey = (p: ProductRecord) => `${p.nameId}|${p.categorySlug}|${p.unit}`;
// Two illustrated products that get the same drawing (same name, category and unit): stored once.
const sharedDrawing = illustrated.map(drawingKey).find((key, index, keys) => keys.indexOf(key) !== index)!;
const pair = illustrated.filter((p) => drawingKey(p) === sharedDrawing).slice(0, 2);
const chosen = [...new Map([...illustrated.slice(0, 5), ...pair].map((p) => [p.id, p])).values()];
// One of them is renamed with markup, which the drawing must carry as text.
const HOSTILE_NAME = 'Kacang <script>alert(1)</script> & "Sangrai"';
const hostile = chosen.find((p) => !pair.includes(p))!;
const plain = demo.products.filter((p) => !isIllustrated(p.id)).slice(0, 4);

/** A catalogue of eleven demo products, seven of them illustrated. */
function smallWorld(): DemoWorld {
  const products = [...chosen, ...plain].map((p) => (p.id === hostile.id ? { ...p, nameId: HOSTILE_NAME } : p));
  const sellerIds = new Set(products.map((p) => p.sellerId));
  return { ...demo, sellers: demo.sellers.filter((s) => sellerIds.has(s.id)), products };
}

const logger = createLogger('catalogue', 'silent');
const quiet = (config: SubgraphConfig) => ({ ...config, search: { ...EMBEDDED_SEARCH, pollMs: 60_000 } });

async function filesUnder(root: string, prefix: string): Promise<string[]> {
  try {
    return (await readdir(join(root, prefix), { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name);
  } catch {
    return [];
  }
}

interface ProductPhotos {
  curationStatus: string;
  images: { alt: { indonesian: string; english: string | null }; width: number; height: number; sources: { format: string; width: number; height: number; url: string }[] }[];
  photos: { status: string }[];
}

describe.each(testEngines())('demo illustrations on $name', (engine) => {
  let root: string;
  let store: DiskPhotoStore;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'opop-demo-photos-test-'));
    store = new DiskPhotoStore(root, 'http://localhost:4000/photos');
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });
  const subgraph = useTestSubgraph('catalogue', engine, {
    create: (config) => createCatalogueService(quiet(config), { photoStore: store }),
    seed: (em) => loadCatalogue(em, smallWorld()),
  });

  describe.skipIf(Boolean(engine.skip))('seeded through the photo pipeline', () => {
    const seed = () => seedDemoPhotos(subgraph.service.database, subgraph.service.photos, logger);
    const photosOf = async (id: string) => {
      const response = await subgraph.gql<{ product: ProductPhotos }>(
        `query($id: ID!) { product(id: $id) { curationStatus images { alt { indonesian english } width height sources { format width height url } } photos { status } } }`,
        { id },
        await identityHeaders(adminIdentity()),
      );
      expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
      return response.data!.product;
    };

    it('is not drawn in tests unless asked: the service started without any', async () => {
      expect(await subgraph.service.database.fork().count(Photo, {})).toBe(0);
    });

    it('gives the chosen products READY photos in AVIF, WebP and JPEG, stripped of metadata; the others keep the placeholder', async () => {
      const started = performance.now();
      const report = await seed();
      const ms = performance.now() - started;
      expect(report).toMatchObject({ added: chosen.length, present: 0, failed: 0 });
      expect(report.skipped).toBeUndefined();
      console.log(`[${engine.name}] ${chosen.length} demo illustrations (${new Set(chosen.map(drawingKey)).size} drawings) in ${Math.round(ms)} ms, ${Math.round(ms / chosen.length)} ms each`);

      for (const record of chosen) {
        const product = await photosOf(record.id);
        const name = record.id === hostile.id ? HOSTILE_NAME : record.nameId;
        expect(product.photos).toEqual([{ status: 'READY' }]);
        expect(product.images).toHaveLength(1);
        const [image] = product.images;
        expect(image!.alt).toEqual({ indonesian: `Ilustrasi kemasan ${name}`, english: `Illustration of ${record.nameEn} packaging` });
        expect([image!.width, image!.height]).toEqual([1200, 900]);
        expect(image!.sources.map((s) => `${s.format}@${s.width}x${s.height}`)).toEqual(
          ['AVIF@400x300', 'WEBP@400x300', 'JPEG@400x300', 'AVIF@800x600', 'WEBP@800x600', 'JPEG@800x600', 'AVIF@1200x900', 'WEBP@1200x900', 'JPEG@1200x900'],
        );
        // Added by the platform: a featured product stays featured.
        expect(product.curationStatus).toBe(record.status);
      }
      for (const record of plain) expect((await photosOf(record.id)).images).toEqual([]);

      const rows = await subgraph.service.database.fork().find(Photo, {}, { orderBy: { createdAt: 'asc' } });
      expect(rows.map((photo) => photo.uploadedBy)).toEqual(chosen.map(() => DEMO_PHOTO_ACTOR));
      // Nothing is left waiting, and the originals are gone once processed.
      expect(await filesUnder(root, 'originals')).toEqual([]);
      // The pair shares one drawing, stored once.
      const [first, second] = await subgraph.service.database.fork().find(Product, { id: { $in: pair.map((p) => p.id) } });
      expect(first!.images[0]!.variants).toEqual(second!.images[0]!.variants);
    });

    it('strips what the rendered PNG said of itself: the served files carry no metadata', async () => {
      const record = chosen[0]!;
      const png = await renderIllustration({ nameId: record.nameId, categorySlug: record.categorySlug, unit: record.unit });
      const sent = await sharp(png).metadata();
      expect([sent.format, sent.width, sent.height]).toEqual(['png', 1200, 900]);
      expect(sent.xmpAsString).toContain('digitalCreation');
      const product = await subgraph.service.database.fork().findOneOrFail(Product, { id: record.id });
      const variants = product.images[0]!.variants!;
      expect(variants.map((v) => v.format).sort()).toEqual([...Array(3).fill('avif'), ...Array(3).fill('jpeg'), ...Array(3).fill('webp')]);
      for (const variant of variants) {
        const stored = await store.get(variant.key);
        expect(stored, variant.key).not.toBeNull();
        const metadata = await sharp(Buffer.from(stored!.bytes)).metadata();
        expect(metadata.format === 'heif' ? 'avif' : metadata.format).toBe(variant.format);
        expect([metadata.width, metadata.height]).toEqual([variant.width, variant.height]);
        expect(metadata.xmp, `${variant.key} keeps XMP`).toBeUndefined();
        expect(metadata.exif, `${variant.key} keeps EXIF`).toBeUndefined();
      }
    });

    it('draws the hostile name as text: the markup went through the renderer as a title, not as a script', async () => {
      const product = await photosOf(hostile.id);
      expect(product.photos).toEqual([{ status: 'READY' }]);
      expect(product.images[0]!.alt.indonesian).toBe(`Ilustrasi kemasan ${HOSTILE_NAME}`);
    });

    it('adds nothing when run again', async () => {
      const before = { rows: await subgraph.service.database.fork().count(Photo, {}), files: (await filesUnder(root, 'p')).length };
      const report = await seed();
      expect(report).toMatchObject({ added: 0, present: chosen.length, failed: 0 });
      expect(await subgraph.service.database.fork().count(Photo, {})).toBe(before.rows);
      expect((await filesUnder(root, 'p')).length).toBe(before.files);
    });

    it('finishes an illustration a start left half-done, and only that one', async () => {
      const record = chosen.at(-1)!;
      const em = subgraph.service.database.fork();
      await em.nativeDelete(Photo, { product: record.id });
      await em.nativeUpdate(Product, { id: record.id }, { images: [] });
      // As a start stopped mid-way leaves it: stored, not processed.
      em.create(Photo, { product: record.id, position: 0, altIndonesian: 'x', altEnglish: null, status: 'PROCESSING', declaredBytes: 1, originalKey: 'originals/import-cut-short', uploadedBy: DEMO_PHOTO_ACTOR, uploadExpiresAt: new Date() });
      await em.flush();
      await store.put('originals/import-cut-short', new Uint8Array([1, 2, 3]), 'application/octet-stream');
      const report = await seed();
      expect(report).toMatchObject({ added: 1, present: chosen.length - 1, failed: 0 });
      expect((await photosOf(record.id)).photos).toEqual([{ status: 'READY' }]);
      expect(await filesUnder(root, 'originals')).toEqual([]);
      expect(await subgraph.service.database.fork().count(Photo, {})).toBe(chosen.length);
    });

    it('does nothing once people upload photos of their own', async () => {
      const em = subgraph.service.database.fork();
      const slot = em.create(Photo, { product: plain[0]!.id, position: 0, altIndonesian: 'Foto', altEnglish: null, declaredBytes: 1000, uploadedBy: 'operator-1', uploadExpiresAt: new Date(Date.now() + 60_000) });
      await em.flush();
      await em.nativeDelete(Photo, { product: chosen[0]!.id });
      expect(await seed()).toMatchObject({ added: 0, skipped: 'the catalogue has photos uploaded by people' });
      expect(await em.count(Photo, { product: chosen[0]!.id })).toBe(0);
      await em.nativeDelete(Photo, { id: slot.id });
    });

    it('draws nothing for a catalogue larger than the demo scale; reseeding replaces the photos with the products', async () => {
      const medium = generateWorld('medium');
      const products = medium.products.slice(0, DEMO_PHOTO_MAX_PRODUCTS + 1);
      const sellerIds = new Set(products.map((p) => p.sellerId));
      // The catalogue holds photos: loading another world takes them away with their products.
      expect(await subgraph.service.database.fork().count(Photo, {})).toBeGreaterThan(0);
      await loadCatalogue(subgraph.service.database.fork(), { ...medium, sellers: medium.sellers.filter((s) => sellerIds.has(s.id)), products });
      expect(await subgraph.service.database.fork().count(Photo, {})).toBe(0);
      expect(await seed()).toMatchObject({ added: 0, skipped: `more than ${DEMO_PHOTO_MAX_PRODUCTS} demo products` });
      expect(await subgraph.service.database.fork().count(Photo, {})).toBe(0);
    });
  });
});

/** Starts and stops the catalogue on one database, as `npm start` does on a developer's machine. */
describe.each(testEngines())('demo illustrations at start on $name', (engine: TestEngine) => {
  let root: string;
  let store: DiskPhotoStore;
  let config: SubgraphConfig;
  beforeAll(async () => {
    if (engine.skip) return;
    root = await mkdtemp(join(tmpdir(), 'opop-demo-photos-start-'));
    store = new DiskPhotoStore(join(root, 'photos'), 'http://localhost:4000/photos');
    const base = testSubgraphConfig('catalogue', engine);
    // On PGlite the database lives in a folder, so the next start finds it.
    config = { ...base, database: { ...base.database, dataDir: engine.url ? base.database.dataDir : join(root, 'data') } };
  });
  afterAll(async () => {
    if (!root) return;
    if (engine.url) {
      const service = await createCatalogueService(quiet(config), { photoStore: store });
      await dropTestSchema(service.database);
      await service.server.close();
    }
    await rm(root, { recursive: true, force: true });
  });

  async function start(overrides: Partial<SubgraphConfig>, work: (service: CatalogueService) => Promise<void>) {
    const service = await createCatalogueService(quiet({ ...config, ...overrides }), { photoStore: store });
    try {
      await work(service);
    } finally {
      await service.server.close();
    }
  }
  const count = (service: CatalogueService) => service.database.fork().count(Photo, { status: 'READY', uploadedBy: DEMO_PHOTO_ACTOR });

  it.skipIf(Boolean(engine.skip))('draws them on the first start with SEED_DEMO_DATA, not in tests, and never twice', async () => {
    await start({}, async (service) => {
      await loadCatalogue(service.database.fork(), smallWorld());
    });
    // SEED_DEMO_DATA in a test run (NODE_ENV=test, as the e2e suites start the platform): not drawn.
    await start({ seedDemoData: true }, async (service) => expect(await count(service)).toBe(0));
    const started = performance.now();
    await start({ seedDemoData: true, environment: 'development' }, async (service) => {
      expect(await count(service)).toBe(chosen.length);
      const products = await service.database.fork().find(Product, { id: { $in: chosen.map((p) => p.id) } });
      for (const product of products) expect(product.images.map((image) => image.variants?.length)).toEqual([9]);
    });
    console.log(`[${engine.name}] start with ${chosen.length} demo illustrations: ${Math.round(performance.now() - started)} ms`);
    const files = (await filesUnder(join(root, 'photos'), 'p')).length;
    await start({ seedDemoData: true, environment: 'development' }, async (service) => {
      expect(await service.database.fork().count(Photo, {})).toBe(chosen.length);
      expect(await count(service)).toBe(chosen.length);
    });
    expect((await filesUnder(join(root, 'photos'), 'p')).length).toBe(files);
  });
});
