import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { issueAccessToken } from '@opop/server-kit';
import sharp from 'sharp';

/**
 * Product photos for the browser suites and the page benchmark, sent as a pesantren would send
 * them: a programme admin asks the API for an upload URL, PUTs the JPEG there, and the catalogue
 * processes it into AVIF, WebP and JPEG at up to three widths.
 */

/** A programme admin's token for a platform started with its own data folder (secrets.json). */
export async function adminToken(dataDir: string): Promise<string> {
  const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { AUTH_TOKEN_SECRET: string };
  return issueAccessToken({ role: 'programme_admin', subject: 'photo-test', pesantrenId: null, scopes: [] }, secrets.AUTH_TOKEN_SECRET);
}

/**
 * A photo of a product on a table, drawn here so nothing binary is committed: a lit backdrop, a
 * package with a label and its shadow, and a camera's grain. `noise` (0 to 1) is how grainy.
 */
export async function productPhoto({ width = 1600, height = 1200, hue = 20, noise = 0.15, quality = 88 } = {}): Promise<Buffer> {
  const w = width;
  const h = height;
  const box = { x: w * 0.36, y: h * 0.2, w: w * 0.28, h: h * 0.62 };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <defs>
    <radialGradient id="light" cx="0.45" cy="0.35" r="0.8"><stop offset="0" stop-color="hsl(${hue} 35% 92%)"/><stop offset="1" stop-color="hsl(${hue} 25% 62%)"/></radialGradient>
    <linearGradient id="pack" x1="0" y1="0" x2="1" y2="0"><stop offset="0" stop-color="hsl(${hue + 180} 55% 30%)"/><stop offset="0.6" stop-color="hsl(${hue + 180} 60% 45%)"/><stop offset="1" stop-color="hsl(${hue + 180} 55% 28%)"/></linearGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="${w / 80}"/></filter>
  </defs>
  <rect width="${w}" height="${h}" fill="url(#light)"/>
  <rect y="${h * 0.78}" width="${w}" height="${h * 0.22}" fill="hsl(${hue} 30% 48%)"/>
  <ellipse cx="${w / 2}" cy="${box.y + box.h}" rx="${box.w * 0.75}" ry="${h * 0.04}" fill="#000" opacity="0.35" filter="url(#soft)"/>
  <rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="${w * 0.015}" fill="url(#pack)"/>
  <rect x="${box.x + box.w * 0.12}" y="${box.y + box.h * 0.3}" width="${box.w * 0.76}" height="${box.h * 0.36}" rx="${w * 0.01}" fill="hsl(45 80% 92%)"/>
  <text x="${w / 2}" y="${box.y + box.h * 0.5}" font-family="DejaVu Sans, sans-serif" font-size="${box.w * 0.14}" font-weight="700" text-anchor="middle" fill="hsl(${hue + 180} 50% 22%)">KRIPIK</text>
  <text x="${w / 2}" y="${box.y + box.h * 0.6}" font-family="DejaVu Sans, sans-serif" font-size="${box.w * 0.09}" text-anchor="middle" fill="hsl(${hue + 180} 40% 30%)">Pesantren</text>
</svg>`;
  const scene = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  // Grain as a sensor leaves it: every pixel off by a little, differently in each channel.
  const amplitude = Math.round(noise * 60);
  let state = hue * 2654435761 + width;
  for (let i = 0; i < scene.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    scene[i] = Math.max(0, Math.min(255, scene[i]! + (((state >>> 24) % (2 * amplitude + 1)) - amplitude)));
  }
  return sharp(scene, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality })
    .toBuffer();
}

interface GraphqlBody<T> {
  data?: T;
  errors?: { message: string }[];
}

async function gql<T>(api: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as GraphqlBody<T>;
  if (!body.data || body.errors) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/**
 * Uploads one photo to a product through the router and waits until it is processed; returns
 * the photo's id. New photos go after the product's others (the first is the main photo).
 */
export async function addPhoto(api: string, token: string, productId: string, bytes: Buffer, alt: { indonesian: string; english?: string }): Promise<string> {
  const { startPhotoUpload } = await gql<{ startPhotoUpload: { uploadUrl: string; photo: { id: string } } }>(
    api,
    token,
    'mutation ($input: StartPhotoUploadInput!) { startPhotoUpload(input: $input) { uploadUrl photo { id } } }',
    { input: { productId, byteSize: bytes.byteLength, altIndonesian: alt.indonesian, ...(alt.english ? { altEnglish: alt.english } : {}) } },
  );
  const sent = await fetch(startPhotoUpload.uploadUrl, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': 'image/jpeg' } });
  if (sent.status !== 202) throw new Error(`upload refused (${sent.status}): ${await sent.text()}`);
  const id = startPhotoUpload.photo.id;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const { product } = await gql<{ product: { photos: { id: string; status: string; failure: string | null }[] } }>(
      api,
      token,
      'query ($id: ID!) { product(id: $id) { photos { id status failure } } }',
      { id: productId },
    );
    const photo = product.photos.find((candidate) => candidate.id === id);
    if (photo?.status === 'READY') return id;
    if (photo?.status === 'FAILED') throw new Error(`photo failed: ${photo.failure}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`photo ${id} was not processed within 120 s`);
}
