import { generateWorld } from '@opop/demo-data';
import { postGraphQL, testEngines } from '@opop/server-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { phonePhoto, pdfNamedJpg } from '../../subgraphs/catalogue/test/photo-files.ts';
import { createRouter, type Router } from '../src/app.ts';
import { testRouterConfig, tokenFor } from './support.ts';
import { startSupergraph, type Supergraph } from './supergraph.ts';

/**
 * Photos through the router's public origin: upload URLs and served photos are forwarded to the
 * catalogue, uploads count against the address's rate limit, and nothing else gets through.
 */
const world = generateWorld('demo');
const sidogiri = world.pesantren.find((p) => p.slug === 'pondok-pesantren-sidogiri')!;
const sellerIds = new Set(world.sellers.filter((s) => s.pesantrenId === sidogiri.id).map((s) => s.id));
const product = world.products.find((p) => sellerIds.has(p.sellerId) && p.status !== 'FEATURED')!;
const [engine] = testEngines(); // PGlite: the catalogue's own suite covers PostgreSQL

describe('photos through the router', () => {
  let supergraph: Supergraph;
  const routers: Router[] = [];
  let url: string;
  let operator: Record<string, string>;

  async function start(ipPoints: number, urls = supergraph.urls, uploadOrigins: string[] = []) {
    const router = await createRouter({ ...testRouterConfig('development', { ipRate: { points: ipPoints, seconds: 60 }, keyRate: { points: 1_000_000, seconds: 60 } }, urls), uploadOrigins });
    routers.push(router);
    return router.server.listen('127.0.0.1', 0);
  }

  beforeAll(async () => {
    supergraph = await startSupergraph(engine!, world);
    url = await start(1_000_000);
    operator = { authorization: `Bearer ${await tokenFor('pesantren_operator', sidogiri.id)}` };
  });
  afterAll(async () => {
    for (const router of routers) await router.server.close();
    await supergraph?.close();
  });

  /** Photo and upload URLs name the public origin (localhost:4000 here); the test's router listens elsewhere. */
  const via = (router: string, publicUrl: string) => new URL(new URL(publicUrl).pathname, router).toString();

  async function startUpload(byteSize: number, router = url) {
    const response = await postGraphQL<{ startPhotoUpload: { uploadUrl: string; photo: { id: string } } }>(
      router,
      `mutation($input: StartPhotoUploadInput!) { startPhotoUpload(input: $input) { uploadUrl photo { id } } }`,
      { input: { productId: product.id, byteSize, altIndonesian: 'Kemasan depan', altEnglish: 'Front of the pack' } },
      operator,
    );
    expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
    return response.data!.startPhotoUpload;
  }

  const put = (target: string, bytes: Uint8Array, type = 'image/jpeg') => fetch(target, { method: 'PUT', body: new Uint8Array(bytes), headers: { 'content-type': type } });

  it('uploads through the router and serves the processed photo with year-long caching', async () => {
    const bytes = await phonePhoto({ width: 1200, height: 900, seed: 3 });
    const upload = await startUpload(bytes.byteLength);
    const sent = await put(via(url, upload.uploadUrl), bytes);
    expect(sent.status).toBe(202);

    let images: { sources: { url: string; type: string }[] }[] = [];
    for (let i = 0; i < 100 && images.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await postGraphQL<{ product: { images: typeof images } }>(url, `query($id: ID!) { product(id: $id) { images { sources { url type } } } }`, { id: product.id }, operator);
      images = response.data?.product.images ?? [];
    }
    expect(images).toHaveLength(1);
    const avif = images[0]!.sources.find((source) => source.type === 'image/avif')!;
    const served = await fetch(via(url, avif.url));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/avif');
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await served.arrayBuffer()).byteLength).toBeGreaterThan(100);
    const head = await fetch(via(url, avif.url), { method: 'HEAD' });
    expect(head.status).toBe(200);
    const revalidated = await fetch(via(url, avif.url), { headers: { 'if-none-match': served.headers.get('etag')! } });
    expect(revalidated.status).toBe(304);
  });

  it('passes refusals on as they are, and refuses what is not a photo path or too large itself', async () => {
    const upload = await startUpload(pdfNamedJpg.byteLength);
    const refused = await put(via(url, upload.uploadUrl), pdfNamedJpg);
    expect(refused.status).toBe(415);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_TYPE');

    const tooLarge = await put(`${url.replace(/\/graphql$/, '')}/photos/uploads/whatever`, new Uint8Array(16 * 1024 * 1024));
    expect(tooLarge.status).toBe(413);
    for (const path of ['/photos/p/../../etc/passwd', '/photos/p/%2e%2e%2f%2e%2e%2fpackage.json', '/photos/originals/x', '/photos/p/0123456789abcdef0123456789abcdef/400.svg']) {
      const response = await fetch(new URL(path, url));
      expect([404, 400], path).toContain(response.status);
    }
    // Only PUT uploads: a GET of an upload URL does not reach the catalogue's upload handler.
    expect((await fetch(via(url, upload.uploadUrl))).status).toBe(404);
  });

  it('lets browsers on the console’s origin, and no other, PUT to upload URLs (CORS preflight)', async () => {
    const console = 'https://konsol.example.id';
    const withConsole = await start(1_000_000, supergraph.urls, [console]);
    const preflight = (origin: string, target = withConsole) =>
      fetch(`${target.replace(/\/graphql$/, '')}/photos/uploads/some-token`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight(console);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(console);
    expect(allowed.headers.get('access-control-allow-methods')).toContain('PUT');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    // Another site, and any site when no console origin is configured, get no Access-Control-Allow-Origin: the browser sends no PUT.
    for (const response of [await preflight('https://evil.example'), await preflight(console, url)]) {
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
    // The upload's answer is readable by the console's page (a refusal it must show).
    const upload = await startUpload(pdfNamedJpg.byteLength, withConsole);
    const refused = await fetch(via(withConsole, upload.uploadUrl), { method: 'PUT', body: new Uint8Array(pdfNamedJpg), headers: { 'content-type': 'image/jpeg', origin: console } });
    expect(refused.status).toBe(415);
    expect(refused.headers.get('access-control-allow-origin')).toBe(console);
    // GraphQL keeps its own rule (any origin here), with no PUT.
    const graphql = await preflight('https://evil.example', withConsole).then(() =>
      fetch(withConsole, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }),
    );
    expect(graphql.headers.get('access-control-allow-origin')).toBe('*');
    expect(graphql.headers.get('access-control-allow-methods')).not.toContain('PUT');
  });

  it('counts uploads against the address’s rate limit', async () => {
    const limited = await start(3);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await put(`${limited.replace(/\/graphql$/, '')}/photos/uploads/not-a-token`, pdfNamedJpg)).status);
    expect(statuses.slice(0, 3)).toEqual([403, 403, 403]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });

  it('says the photo service is unavailable when the catalogue is down, without a stack trace', async () => {
    const down = await start(1_000_000, { ...supergraph.urls, catalogue: 'http://127.0.0.1:9/graphql' });
    const response = await put(`${down.replace(/\/graphql$/, '')}/photos/uploads/some-token`, pdfNamedJpg);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|at \w+ \(/);
    expect((await fetch(`${down.replace(/\/graphql$/, '')}/photos/p/0123456789abcdef0123456789abcdef/400.jpg`)).status).toBe(503);
  });
});
