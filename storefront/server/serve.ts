import { createReadStream, existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import sirv from 'sirv';
import { answers, buildStorefront, storefrontDist } from '../build.ts';
import { Publisher } from './publisher.ts';

/**
 * Serves the built storefront, and passes `/graphql` through to the router so the islands call
 * the API on the page's own origin: no CORS, and the site works under any host name.
 */
export const DEFAULT_DIST = fileURLToPath(new URL('../dist', import.meta.url));
const MAX_BODY_BYTES = 256 * 1024;
// The user agent too: the router tells visitors behind one address apart by it, for counters.
const FORWARDED_HEADERS = ['content-type', 'accept', 'authorization', 'accept-language', 'user-agent'];

const TEXT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};
/** Widgets run on media partners' pages: their scripts are fetched cross-origin (module scripts need CORS). */
const crossOrigin = (pathname: string): Record<string, string> => (pathname.startsWith('/widgets/') ? { 'access-control-allow-origin': '*' } : {});
const cacheControl = (pathname: string) => (pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'public, max-age=0, must-revalidate');

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/**
 * Brotli for text files, compressed on first request and kept in memory (bounded), rather than at
 * build time: a build at 10,000 products writes 20,000 pages, most of which are rarely fetched.
 */
function brotliResponder(distDir: string, maxCachedBytes = 64 * 2 ** 20) {
  const cache = new Map<string, { mtimeMs: number; etag: string; body: Buffer }>();
  let cachedBytes = 0;
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (!/\bbr\b/.test(String(request.headers['accept-encoding'] ?? ''))) return false;
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://storefront').pathname);
    } catch {
      return false;
    }
    const file = normalize(join(distDir, pathname.endsWith('/') ? `${pathname}index.html` : pathname));
    const type = TEXT_TYPES[extname(file)];
    if (!type || !file.startsWith(distDir + sep)) return false;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return false;
    let entry = cache.get(file);
    if (!entry || entry.mtimeMs !== info.mtimeMs) {
      const body = await brotli(await readFile(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
      entry = { mtimeMs: info.mtimeMs, etag: `W/"br-${info.size.toString(36)}-${Math.round(info.mtimeMs).toString(36)}"`, body };
      // Oldest first out once the cache is full (a Map keeps insertion order).
      for (const [key, old] of cache) {
        if (cachedBytes + body.length <= maxCachedBytes) break;
        cache.delete(key);
        cachedBytes -= old.body.length;
      }
      cache.set(file, entry);
      cachedBytes += body.length;
    }
    const headers = { 'content-type': type, 'content-encoding': 'br', vary: 'Accept-Encoding', etag: entry.etag, 'cache-control': cacheControl(pathname), 'x-content-type-options': 'nosniff', ...crossOrigin(pathname) };
    if (request.headers['if-none-match'] === entry.etag) {
      response.writeHead(304, headers).end();
      return true;
    }
    response.writeHead(200, { ...headers, 'content-length': String(entry.body.length) });
    response.end(request.method === 'HEAD' ? undefined : entry.body);
    return true;
  };
}

export interface StorefrontServerOptions {
  port: number;
  host?: string;
  apiUrl: string;
  distDir?: string;
  /** With a secret, the catalogue's relay may POST changes to /_publish and the pages they touch are published (publisher.ts). */
  publishSecret?: string;
  log?: (line: string) => void;
}

/**
 * The API is public and credentials never travel in cookies, so any page may call it: the
 * widgets do from media partners' sites. (API keys and their allowed origins come with access control.)
 */
const API_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization, x-api-key, apollo-require-preflight',
  'access-control-max-age': '600',
};

function acceptedEncoding(request: IncomingMessage): 'br' | 'gzip' | undefined {
  const accepted = String(request.headers['accept-encoding'] ?? '');
  return /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : undefined;
}

async function proxyToApi(apiUrl: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.method === 'OPTIONS') {
    response.writeHead(204, API_CORS).end();
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      response.writeHead(413, { 'content-type': 'application/json', ...API_CORS }).end('{"errors":[{"message":"Request body too large"}]}');
      return;
    }
    chunks.push(chunk);
  }
  const headers = Object.fromEntries(FORWARDED_HEADERS.flatMap((name) => (request.headers[name] ? [[name, String(request.headers[name])]] : [])));
  // A published query asked for by GET carries everything in its query string.
  const query = request.url?.slice('/graphql'.length) ?? '';
  try {
    const upstream = await fetch(`${apiUrl}${query}`, {
      method: request.method ?? 'POST',
      headers: { ...headers, 'x-forwarded-for': request.socket.remoteAddress ?? '' },
      ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    // fetch has already undone the router's compression: compress again for the browser
    // (search answers are 10-40 KB of JSON), Brotli where it is accepted, at a fast level.
    const encoding = body.length < 1024 ? undefined : acceptedEncoding(request);
    const sent = encoding === 'br' ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }) : encoding === 'gzip' ? await gzipAsync(body, { level: 6 }) : body;
    response.writeHead(upstream.status, {
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      // What the router lets others keep of a GET (a published query's public answer), a browser
      // or a CDN in front of this server may keep; nothing sent by POST is kept.
      'cache-control': (request.method === 'GET' && upstream.headers.get('cache-control')) || 'no-store',
      vary: 'Accept-Encoding',
      ...(encoding ? { 'content-encoding': encoding } : {}),
      'content-length': String(sent.length),
      ...API_CORS,
    });
    response.end(sent);
  } catch {
    response.writeHead(502, { 'content-type': 'application/json', ...API_CORS }).end('{"errors":[{"message":"The API cannot be reached","extensions":{"code":"SERVICE_UNAVAILABLE"}}]}');
  }
}

export function serveStorefront({ port, host = '127.0.0.1', apiUrl, distDir = DEFAULT_DIST, publishSecret, log }: StorefrontServerOptions): Promise<Server> {
  if (!existsSync(`${distDir}/index.html`)) throw new Error(`No built storefront in ${distDir}: run \`npm run build\` first.`);
  const notFound = `${distDir}/404.html`;
  // The English one for addresses under /en/ (src/pages/en/404.astro), where a build has it.
  const notFoundInEnglish = `${distDir}/en/404/index.html`;
  const assets = sirv(distDir, {
    etag: true,
    // Look each file up on the disk, not in a list made at start: the publisher adds, replaces
    // and removes pages while the server runs (a cached list would serve gone pages and stale ETags).
    dev: true,
    // Hashed bundles never change; pages may change with every build.
    setHeaders: (response, pathname) => {
      response.setHeader('cache-control', cacheControl(pathname));
      for (const [name, value] of Object.entries(crossOrigin(pathname))) response.setHeader(name, value);
      response.setHeader('x-content-type-options', 'nosniff');
    },
    onNoMatch: (request, response) => {
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      createReadStream(request.url?.startsWith('/en/') && existsSync(notFoundInEnglish) ? notFoundInEnglish : notFound).pipe(response);
    },
  });
  const compressed = brotliResponder(distDir);
  const publisher = publishSecret ? new Publisher({ apiUrl, distDir, secret: publishSecret, ...(log ? { log } : {}) }) : undefined;
  const server = createServer((request, response) => {
    if (request.url === '/_publish' && request.method === 'POST') {
      if (publisher) void publisher.handle(request, response);
      else response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"publishing is not configured"}');
      return;
    }
    // For a container's health check: answered once the site is built and served.
    if (request.url === '/ready') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ status: 'ready', publishing: publisher !== undefined }));
      return;
    }
    if (request.url === '/graphql' || request.url?.startsWith('/graphql?')) {
      void proxyToApi(apiUrl, request, response);
      return;
    }
    compressed(request, response).then(
      (done) => done || assets(request, response),
      () => assets(request, response),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/**
 * The server as a service (`npm run serve`, the storefront's container): serves the built site,
 * and when there is none yet (a container's first start, on an empty volume) builds it from the
 * API first, waiting for the API to answer.
 */
export async function startStorefrontService(env: NodeJS.ProcessEnv, log: (line: string) => void = console.log): Promise<Server> {
  const port = Number(env['STOREFRONT_PORT'] || env['PORT'] || 4321);
  const apiUrl = env['STOREFRONT_API_URL'] || 'http://127.0.0.1:4000/graphql';
  const publishSecret = env['STOREFRONT_PUBLISH_SECRET'] || undefined;
  // The subgraphs' relays sign with the same secret, and refuse one this short (server-kit's storefrontPublishEnv).
  if (publishSecret !== undefined && publishSecret.length < 32) throw new Error('STOREFRONT_PUBLISH_SECRET must be at least 32 characters');
  const distDir = storefrontDist(env);
  if (!existsSync(`${distDir}/index.html`)) {
    const waitMs = Number(env['STOREFRONT_API_WAIT_MS'] || 300_000);
    const deadline = Date.now() + waitMs;
    log(`No built storefront in ${distDir}: building it from the API at ${apiUrl} …`);
    while (!(await answers(apiUrl))) {
      if (Date.now() > deadline) throw new Error(`the API at ${apiUrl} did not answer within ${Math.round(waitMs / 1000)} s; the storefront cannot be built`);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
    await buildStorefront(apiUrl, distDir);
  }
  const server = await serveStorefront({ port, host: env['HOST'] || '127.0.0.1', apiUrl, distDir, ...(publishSecret ? { publishSecret, log } : {}) });
  log(`Storefront at http://localhost:${port}/ (API: ${apiUrl}${publishSecret ? '; publishes the changes the subgraphs send to /_publish' : ''})`);
  return server;
}

if (import.meta.main) await startStorefrontService(process.env);
