import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clientIpResolver, createLogger, type Logger } from '@opop/server-kit';
import { openAccounts, type Accounts } from './accounts/index.ts';
import type { OrganisationDirectory } from './accounts/accounts.service.ts';
import type { Mailer } from './accounts/mailer.ts';
import type { ConsoleConfig } from './config.ts';
import { FORM_BYTES, PHOTO_FORM_BYTES, PHOTO_FORM_PATH } from './lib/photos.ts';
import type { ConsoleLocals } from './locals.ts';
import { routerDirectory } from './router-client.ts';

export interface ConsoleApp {
  server: Server;
  accounts: Accounts;
  logger: Logger;
  /** Listens on the configured host and port (0: any free port); resolves with the address. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface ConsoleOptions {
  /** The built pages (console/dist by default; see build.ts). */
  distDir: string;
  directory?: OrganisationDirectory;
  mailer?: Mailer;
}

/** The page scripts Astro builds (content-hashed names): the only files the console serves as they are. */
const SCRIPT_PATH = /^\/_astro\/([\w.-]+\.js)$/;

/**
 * The body Astro reads, cut off past `limit` bytes: every form but a photo's is a few fields of
 * text, and a photo form is at most one photo (the adapter's own limit is the photo form's).
 * A cut-off body makes the page's form reading fail, which the middleware answers with a 400.
 */
async function* limitedBody(request: IncomingMessage, limit: number): AsyncGenerator<Buffer> {
  let received = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    received += chunk.byteLength;
    if (received > limit) throw new Error(`the form is larger than ${limit} bytes`);
    yield chunk;
  }
}

type AstroHandler = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: (error?: unknown) => void, locals: object) => Promise<void>;

/**
 * The console's server: the accounts service, and the Astro pages that use it (each request
 * gets it in `Astro.locals`, with the caller's address as the trusted proxies say).
 */
export async function createConsole(config: ConsoleConfig, options: ConsoleOptions): Promise<ConsoleApp> {
  const logger = createLogger('console', config.logLevel);
  const directory = options.directory ?? routerDirectory(config.routerUrl, config.accessTokenSecret);
  const accounts = await openAccounts(config, logger, directory, options.mailer);
  const entry = pathToFileURL(join(options.distDir, 'server', 'entry.mjs')).href;
  const { handler } = (await import(entry).catch((error: unknown) => {
    void accounts.close();
    throw new Error(`The console's pages are not built in ${options.distDir} (npm run build -w @opop/console): ${(error as Error).message}`);
  })) as { handler: AstroHandler };
  const clientIp = clientIpResolver(config.trustedProxies);
  // Scripts from this origin only; photos' bytes go to the router's upload URLs, photos come from where they are served.
  const contentSecurityPolicy = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    `img-src 'self' data: ${config.photos.imageOrigins.join(' ')}`,
    `connect-src 'self' ${config.photos.apiOrigin}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  const scriptsDir = join(options.distDir, 'client', '_astro');
  const shared = { routerUrl: config.routerUrl, publicUrl: config.publicUrl, publicApiUrl: `${config.photos.apiOrigin}/graphql`, mailerConfigured: Boolean(config.smtp), environment: config.environment };

  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/health') return void response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    if (path === '/ready') {
      accounts.db.ping().then(
        () => response.writeHead(200, { 'content-type': 'text/plain' }).end('ready'),
        () => response.writeHead(503, { 'content-type': 'text/plain' }).end('database not answering'),
      );
      return;
    }
    const script = request.method === 'GET' ? SCRIPT_PATH.exec(path ?? '') : null;
    if (script) {
      readFile(join(scriptsDir, script[1]!)).then(
        (body) => response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' }).end(body),
        () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
      );
      return;
    }
    if (path === '/favicon.svg' && request.method === 'GET') {
      // Without it every page logs a 404 in the browser's console.
      readFile(join(options.distDir, 'client', 'favicon.svg')).then(
        (body) => response.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400', 'x-content-type-options': 'nosniff' }).end(body),
        () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
      );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const photoForm = request.method === 'POST' && PHOTO_FORM_PATH.test(path ?? '') && (request.headers['content-type'] ?? '').startsWith('multipart/form-data');
      // Astro reads a request's body from `body` when a server put one there.
      (request as IncomingMessage & { body?: AsyncIterable<Buffer> }).body = limitedBody(request, photoForm ? PHOTO_FORM_BYTES : FORM_BYTES);
    }
    // Pages hold personal data and one-time links: never cached, never framed, never referred to other sites.
    response.setHeader('cache-control', 'no-store');
    response.setHeader('x-frame-options', 'DENY');
    // same-origin, not no-referrer: with no-referrer Chromium posts forms with `Origin: null`, which the CSRF check refuses.
    response.setHeader('referrer-policy', 'same-origin');
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('content-security-policy', contentSecurityPolicy);
    const ip = clientIp(request);
    // better-auth records a session's address from this header: ours, never the client's.
    request.headers['x-opop-client-ip'] = ip;
    const locals: ConsoleLocals = { accounts: accounts.service, clientIp: ip, ...shared };
    handler(request, response, () => void response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Tidak ditemukan / Not found'), { console: locals }).catch((error: unknown) => {
      logger.error({ err: error, path }, 'a console page failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Terjadi kesalahan / Something went wrong');
    });
  });

  return {
    server,
    accounts,
    logger,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          const address = server.address();
          const port = typeof address === 'object' && address ? address.port : config.port;
          resolve(`http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`);
        });
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await accounts.close();
    },
  };
}
