import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '@opop/router';

/**
 * What `npm start` runs, in start order: the subgraphs, then the router that composes them.
 * Nothing here reads the environment when imported: each entry point passes its own (a bench or
 * a test that imports these modules first and sets ports later still gets its ports).
 */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ServiceSpec {
  name: string;
  entry: string;
  port: number;
  /** Extra environment for this service. */
  env?: Record<string, string>;
}

export interface Stack {
  /** DATA_DIR: the embedded databases and the local secrets. */
  dataDir: string;
  /** One process per subgraph the router composes, on the port of its default URL unless <NAME>_PORT says otherwise. */
  subgraphs: ServiceSpec[];
  router: ServiceSpec;
  /** The console people sign in to; it reaches the data through the router. */
  console: ServiceSpec;
}

export function stackFrom(env: NodeJS.ProcessEnv): Stack {
  const subgraphs: ServiceSpec[] = SUBGRAPHS.map(({ name, defaultUrl }) => ({
    name,
    entry: `subgraphs/${name}/src/server.ts`,
    port: Number(env[`${name.toUpperCase()}_PORT`] ?? new URL(defaultUrl).port),
  }));
  // Academics (programmes), catalogue (sellers) and partners (engagements) check what a write
  // names with the subgraph that owns it.
  const urlOf = (name: string) => `http://127.0.0.1:${subgraphs.find((service) => service.name === name)!.port}/graphql`;
  const routerPort = Number(env['PORT'] ?? 4000);
  // The storefront served next to the platform publishes the changes of the catalogue and the
  // pesantren, partners and media subgraphs (the secret they sign with comes with the others, platform.ts).
  const publishUrl = env['STOREFRONT'] !== 'off' ? `http://127.0.0.1:${Number(env['STOREFRONT_PORT'] ?? 4321)}/_publish` : undefined;
  for (const service of subgraphs) {
    if (service.name === 'academics') service.env = { PESANTREN_URL: urlOf('pesantren') };
    // Photo upload URLs and photo URLs point at the router, which forwards them to the catalogue.
    if (service.name === 'catalogue') {
      service.env = { PESANTREN_URL: urlOf('pesantren'), PUBLIC_API_URL: env['PUBLIC_API_URL'] ?? `http://localhost:${routerPort}` };
      if (publishUrl) service.env['STOREFRONT_PUBLISH_URL'] = publishUrl;
    }
    if (service.name === 'pesantren' && publishUrl) service.env = { STOREFRONT_PUBLISH_URL: publishUrl };
    if (service.name === 'partners') service.env = { PESANTREN_URL: urlOf('pesantren'), CATALOGUE_URL: urlOf('catalogue'), ...(publishUrl ? { STOREFRONT_PUBLISH_URL: publishUrl } : {}) };
    if (service.name === 'media') service.env = { PESANTREN_URL: urlOf('pesantren'), CATALOGUE_URL: urlOf('catalogue'), ...(publishUrl ? { STOREFRONT_PUBLISH_URL: publishUrl } : {}) };
  }
  const router: ServiceSpec = {
    name: 'router',
    entry: 'router/src/server.ts',
    port: routerPort,
    env: {
      ...Object.fromEntries(subgraphs.map((service) => [`${service.name.toUpperCase()}_URL`, `http://127.0.0.1:${service.port}/graphql`])),
      // The storefront's server runs on this machine and forwards its shoppers' addresses.
      TRUSTED_PROXIES: env['TRUSTED_PROXIES'] ?? 'loopback',
    },
  };
  const consolePort = Number(env['CONSOLE_PORT'] ?? 4330);
  const consolePublicUrl = env['CONSOLE_PUBLIC_URL'] ?? `http://localhost:${consolePort}`;
  // The console's pages PUT photos straight to the router's upload URLs: the router lets that origin do so.
  // On this machine people open the console as localhost or as 127.0.0.1; both are its origin.
  const localOrigins = env['CONSOLE_PUBLIC_URL'] ? [] : [`http://127.0.0.1:${consolePort}`];
  if (env['CONSOLE'] !== 'off') router.env!['CONSOLE_ORIGINS'] = env['CONSOLE_ORIGINS'] ?? [new URL(consolePublicUrl).origin, ...localOrigins].join(',');
  const consoleService: ServiceSpec = {
    name: 'console',
    entry: 'console/src/server.ts',
    port: consolePort,
    env: {
      ROUTER_URL: `http://127.0.0.1:${router.port}/graphql`,
      PUBLIC_URL: consolePublicUrl,
      // Where the browser sends photo bytes and loads processed photos from (CSP connect-src, img-src).
      PUBLIC_API_URL: env['PUBLIC_API_URL'] ?? `http://localhost:${routerPort}`,
    },
  };
  return { dataDir: env['DATA_DIR'] ?? fileURLToPath(new URL('../.data', import.meta.url)), subgraphs, router, console: consoleService };
}

export interface LocalSecrets {
  AUTH_TOKEN_SECRET: string;
  ROUTER_IDENTITY_SECRET: string;
  /** Keys the per-partner pseudonyms of santri records (academics). */
  PSEUDONYM_SECRET: string;
  /** Signs the console's session cookies and encrypts TOTP secrets (better-auth). */
  ACCOUNTS_SECRET: string;
  /** Signs the catalogue's change notices to the storefront's publisher. */
  STOREFRONT_PUBLISH_SECRET: string;
}

const SECRET_NAMES = ['AUTH_TOKEN_SECRET', 'ROUTER_IDENTITY_SECRET', 'PSEUDONYM_SECRET', 'ACCOUNTS_SECRET', 'STOREFRONT_PUBLISH_SECRET'] as const satisfies readonly (keyof LocalSecrets)[];

/**
 * Secrets for running on one machine: taken from `env` when set, otherwise generated
 * once per checkout into <dataDir>/secrets.json (never committed). There is no built-in default:
 * a known secret would let anyone mint an admin token. A secret added since the file was written
 * is generated into it, keeping the others (changing PSEUDONYM_SECRET would change every pseudonym).
 */
export async function localSecrets(env: NodeJS.ProcessEnv, dataDir: string): Promise<LocalSecrets & { generated: boolean }> {
  const secretsFile = `${dataDir}/secrets.json`;
  const fromEnv = definedOnly(Object.fromEntries(SECRET_NAMES.map((name) => [name, env[name]])));
  if (SECRET_NAMES.every((name) => fromEnv[name])) return { ...(fromEnv as LocalSecrets), generated: false };
  const stored = await readFile(secretsFile, 'utf8').then((text) => JSON.parse(text) as Partial<LocalSecrets>, () => ({}) as Partial<LocalSecrets>);
  const missing = SECRET_NAMES.filter((name) => !stored[name]);
  if (missing.length > 0) {
    for (const name of missing) stored[name] = randomBytes(32).toString('base64url');
    await mkdir(dataDir, { recursive: true });
    await writeFile(secretsFile, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return { ...(stored as LocalSecrets), ...fromEnv, generated: missing.length > 0 };
}

function definedOnly(values: Record<string, string | undefined>): Partial<LocalSecrets> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value)) as Partial<LocalSecrets>;
}
