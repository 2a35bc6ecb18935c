import { availableParallelism } from 'node:os';
import sharp from 'sharp';
import { inspectPhoto, processPhoto } from '../subgraphs/catalogue/src/modules/photo/processing.ts';
import { phonePhoto } from '../subgraphs/catalogue/test/photo-files.ts';
import type { BenchResult } from './measure.ts';

const PHOTOS = 16;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Photo processing (issue 19): what one phone photo costs from upload check to the nine served
 * variants, one at a time and two at a time on this machine, and what is stored and sent.
 * Inputs are 12-megapixel JPEGs of fine noise (as hard to compress as a real photo's texture),
 * with EXIF, a GPS position and the camera's orientation flag.
 */
export async function photoProcessing(): Promise<BenchResult> {
  const inputs: Buffer[] = [];
  for (let seed = 1; seed <= PHOTOS; seed++) inputs.push(await phonePhoto({ width: 4000, height: 3000, seed, orientation: seed % 2 ? 1 : 6 }));
  await processPhoto(inputs[0]!); // warm-up: libvips loads its codecs on first use

  const inspect: number[] = [];
  const single: number[] = [];
  let storedBytes = 0;
  let jpeg800 = 0;
  let avif800 = 0;
  let webp800 = 0;
  const started = performance.now();
  for (const input of inputs) {
    let t = performance.now();
    await inspectPhoto(input);
    inspect.push(performance.now() - t);
    t = performance.now();
    const result = await processPhoto(input);
    single.push(performance.now() - t);
    storedBytes += result.variants.reduce((sum, variant) => sum + variant.bytes.byteLength, 0);
    jpeg800 += result.variants.find((v) => v.format === 'jpeg' && v.width === 800)!.bytes.byteLength;
    avif800 += result.variants.find((v) => v.format === 'avif' && v.width === 800)!.bytes.byteLength;
    webp800 += result.variants.find((v) => v.format === 'webp' && v.width === 800)!.bytes.byteLength;
  }
  const sequentialSeconds = (performance.now() - started) / 1000;

  const parallelStarted = performance.now();
  const queue = [...inputs];
  await Promise.all(
    [0, 1].map(async () => {
      for (let input = queue.shift(); input; input = queue.shift()) await processPhoto(input);
    }),
  );
  const parallelSeconds = (performance.now() - parallelStarted) / 1000;

  const originalBytes = inputs.reduce((sum, input) => sum + input.byteLength, 0);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const exifLeft = (await sharp((await processPhoto(inputs[1]!)).variants[2]!.bytes).metadata()).exif !== undefined;
  return {
    title: 'Photo processing (issue 19)',
    body: `${PHOTOS} phone photos, 4000 × 3000 JPEG (average ${kb(originalBytes / PHOTOS)}, with EXIF, GPS and half of them rotated by the orientation flag), each checked (\`inspectPhoto\`: type from the content, pixel count from the header, a full decode at 1/8 scale) and processed (\`processPhoto\`: upright, sRGB, EXIF stripped, 400/800/1200 px in AVIF, WebP and JPEG, dominant colour, blurred placeholder). sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, ${availableParallelism()} cores, libvips threads ${sharp.concurrency()}.

| step | p50 | p95 |
|---|---|---|
| check on upload (\`inspectPhoto\`) | ${ms(percentile(inspect, 50))} | ${ms(percentile(inspect, 95))} |
| processing, one photo at a time | ${ms(percentile(single, 50))} | ${ms(percentile(single, 95))} |

| throughput | photos per second | ratio |
|---|---|---|
| one at a time (PHOTO_CONCURRENCY=1, the default) | ${(PHOTOS / sequentialSeconds).toFixed(2)} | 1.00× |
| two at a time (PHOTO_CONCURRENCY=2) | ${(PHOTOS / parallelSeconds).toFixed(2)} | ${(sequentialSeconds / parallelSeconds).toFixed(2)}× |

Bytes: the originals average ${kb(originalBytes / PHOTOS)}; all nine variants of a photo together ${kb(storedBytes / PHOTOS)}. At 800 px, what a phone with a 2× screen fetches for a card or a product page: AVIF ${kb(avif800 / PHOTOS)}, WebP ${kb(webp800 / PHOTOS)}, JPEG ${kb(jpeg800 / PHOTOS)} — the AVIF is ${(originalBytes / avif800).toFixed(0)}× smaller than the original. EXIF left in a served variant: ${exifLeft ? '**yes**' : 'none'}.
Noise is a hard case for encoders; a real product photo with plain backgrounds compresses further.`,
  };
}
