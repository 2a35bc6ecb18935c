import { illustrationAlt, isIllustrated, productIllustrationSvg, SCALES, type IllustrationSubject } from '@opop/demo-data';
import type { Database, Logger } from '@opop/server-kit';
import sharp from 'sharp';
import { Photo } from '../src/modules/photo/photo.entity.ts';
import { PLATFORM_ACTOR_PREFIX, type PhotoPipeline } from '../src/modules/photo/photo.pipeline.ts';
import { PhotoRejectedError } from '../src/modules/photo/processing.ts';
import { Product } from '../src/modules/product/product.entity.ts';

/** Who adds the demo illustrations: the platform itself, so featured products stay featured. */
export const DEMO_PHOTO_ACTOR = `${PLATFORM_ACTOR_PREFIX}demo-data`;
/** Illustrations processed at the same time (two cores is the machine we plan for). */
export const DEMO_PHOTO_CONCURRENCY = 2;
/**
 * Illustrations are drawn only for a catalogue of demo size: `npm run seed -- --scale medium`
 * (10,000 products) or `full` (100,000) would spend many minutes, or hours, processing photos
 * nobody needs to measure the catalogue with. Those products keep the placeholder tile.
 */
export const DEMO_PHOTO_MAX_PRODUCTS = SCALES.demo.products;

export interface DemoPhotoReport {
  /** Illustrations added now. */
  added: number;
  /** Illustrated products that already had theirs. */
  present: number;
  failed: number;
  /** Why nothing was done, when nothing was. */
  skipped?: string;
  ms: number;
}

export interface DemoPhotoOptions {
  concurrency?: number;
}

/**
 * Renders an illustration to the PNG the pipeline takes, as a phone's photo would arrive. The
 * PNG says what it is in its own metadata (XMP: a digital creation, "Ilustrasi / Illustration");
 * the pipeline strips that like any photo's metadata.
 */
export async function renderIllustration(subject: IllustrationSubject): Promise<Buffer> {
  const svg = productIllustrationSvg(subject);
  const xmp =
    '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
    '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" ' +
    'Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCreation">' +
    '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Ilustrasi / Illustration (OPOP demo data)</rdf:li></rdf:Alt></dc:description>' +
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
  return sharp(Buffer.from(svg)).png().withXmp(xmp).toBuffer();
}

/**
 * Gives about one demo product in four (`isIllustrated`, by id) an illustration of its packaging,
 * through the same pipeline as an uploaded photo: checked, processed into AVIF, WebP and JPEG,
 * published on `product.images`. Run at start with SEED_DEMO_DATA, after the demo data is loaded.
 *
 * Idempotent: a product that has its illustration gets nothing more, so a second start adds
 * nothing, and a start cut short resumes where it stopped (an illustration left half-processed
 * is redone). Does nothing once anyone has uploaded a photo of their own (the catalogue is in
 * real use), nor for a catalogue larger than the demo scale (DEMO_PHOTO_MAX_PRODUCTS). A removed
 * illustration comes back at the next start while those hold. One instance at a time: two
 * catalogue instances starting together on an empty demo database would both add illustrations.
 * Never throws: demo pictures are not worth a service that does not start. A failure is logged
 * (and that illustration tried again at the next start); the others go on.
 */
export async function seedDemoPhotos(database: Database, pipeline: PhotoPipeline, logger: Logger, options: DemoPhotoOptions = {}): Promise<DemoPhotoReport> {
  const started = performance.now();
  try {
    return await addIllustrations(database, pipeline, logger, options, started);
  } catch (error) {
    logger.warn({ err: error }, 'demo illustrations could not be added; the products keep the placeholder tile');
    return { added: 0, present: 0, failed: 0, skipped: `error: ${(error as Error).message}`, ms: Math.round(performance.now() - started) };
  }
}

async function addIllustrations(database: Database, pipeline: PhotoPipeline, logger: Logger, options: DemoPhotoOptions, started: number): Promise<DemoPhotoReport> {
  const report = (fields: Omit<DemoPhotoReport, 'ms'>): DemoPhotoReport => ({ ...fields, ms: Math.round(performance.now() - started) });
  const em = database.fork();
  if ((await em.count(Photo, { uploadedBy: { $ne: DEMO_PHOTO_ACTOR } })) > 0) {
    return report({ added: 0, present: 0, failed: 0, skipped: 'the catalogue has photos uploaded by people' });
  }
  const demoProducts = await em.count(Product, { isDemo: true });
  if (demoProducts === 0) return report({ added: 0, present: 0, failed: 0, skipped: 'no demo products' });
  if (demoProducts > DEMO_PHOTO_MAX_PRODUCTS) {
    logger.info({ demoProducts, max: DEMO_PHOTO_MAX_PRODUCTS }, 'demo illustrations are drawn at demo scale only; these products keep the placeholder tile');
    return report({ added: 0, present: 0, failed: 0, skipped: `more than ${DEMO_PHOTO_MAX_PRODUCTS} demo products` });
  }

  const products = (await em.find(Product, { isDemo: true }, { populate: ['category'], orderBy: { id: 'asc' } })).filter((product) => isIllustrated(product.id));
  const existing = await em.find(Photo, { product: { $in: products.map((product) => product.id) } });
  const done = new Set(existing.filter((photo) => photo.status === 'READY').map((photo) => photo.product.id));
  // Left half-done by a start that was cut short (or failed): removed, then drawn again.
  const unfinished = existing.filter((photo) => !done.has(photo.product.id));
  if (unfinished.length > 0) {
    await em.nativeDelete(Photo, { id: { $in: unfinished.map((photo) => photo.id) } });
    for (const photo of unfinished) if (photo.originalKey) await pipeline.store.delete(photo.originalKey).catch(() => {});
  }
  // Products of the same name, category and unit get the same drawing (no seller on the label), which
  // the pipeline processes once and shares: each drawing's first product goes first, so the others
  // find it processed (51 drawings for the 76 illustrated demo products instead of 76).
  const drawingOf = (product: Product): IllustrationSubject => ({ nameId: product.nameIndonesian, categorySlug: product.category.slug, unit: product.unit });
  const firsts = new Set<string>();
  const pending = products.filter((product) => !done.has(product.id));
  const isFirst = pending.map((product) => {
    const key = JSON.stringify(drawingOf(product));
    return firsts.has(key) ? false : (firsts.add(key), true);
  });
  const todo = [...pending.filter((_, i) => isFirst[i]), ...pending.filter((_, i) => !isFirst[i])];
  if (todo.length === 0) return report({ added: 0, present: done.size, failed: 0 });

  logger.info({ products: todo.length }, 'drawing demo product illustrations (first start only)');
  let added = 0;
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const product = todo[next++]!;
      try {
        const png = await renderIllustration(drawingOf(product));
        const photo = await pipeline.importPhoto(product.id, png, illustrationAlt(product.nameIndonesian, product.nameEnglish), DEMO_PHOTO_ACTOR);
        if (photo.status === 'READY') added++;
        else failed++;
      } catch (error) {
        failed++;
        logger.warn({ err: error instanceof PhotoRejectedError ? undefined : error, reason: (error as Error).message, productId: product.id }, 'demo illustration not added');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? DEMO_PHOTO_CONCURRENCY) }, worker));
  const result = report({ added, present: done.size, failed });
  logger.info({ ...result, msPerIllustration: added ? Math.round(result.ms / added) : undefined }, 'demo product illustrations added');
  return result;
}
