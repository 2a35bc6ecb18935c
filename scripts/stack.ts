import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '../router/src/subgraphs.ts';

/** What `npm start` runs, in start order: the subgraphs, then the router that composes them. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DATA_DIR = process.env['DATA_DIR'] ?? fileURLToPath(new URL('../.data', import.meta.url));

export interface ServiceSpec {
  name: string;
  entry: string;
  port: number;
  /** Extra environment for this service. */
  env?: Record<string, string>;
}

/** One process per subgraph the router composes, on the port of its default URL unless <NAME>_PORT says otherwise. */
export const SUBGRAPH_SERVICES: ServiceSpec[] = SUBGRAPHS.map(({ name, defaultUrl }) => ({
  name,
  entry: `subgraphs/${name}/src/server.ts`,
  port: Number(process.env[`${name.toUpperCase()}_PORT`] ?? new URL(defaultUrl).port),
}));

// Academics checks each new programme's pesantren (and its regency) with the pesantren subgraph.
const pesantrenService = SUBGRAPH_SERVICES.find((service) => service.name === 'pesantren')!;
SUBGRAPH_SERVICES.find((service) => service.name === 'academics')!.env = { PESANTREN_URL: `http://127.0.0.1:${pesantrenService.port}/graphql` };

export const ROUTER_SERVICE: ServiceSpec = {
  name: 'router',
  entry: 'router/src/server.ts',
  port: Number(process.env['PORT'] ?? 4000),
  env: {
    ...Object.fromEntries(SUBGRAPH_SERVICES.map((service) => [`${service.name.toUpperCase()}_URL`, `http://127.0.0.1:${service.port}/graphql`])),
    // The storefront's server runs on this machine and forwards its shoppers' addresses.
    TRUSTED_PROXIES: process.env['TRUSTED_PROXIES'] ?? 'loopback',
  },
};

export interface LocalSecrets {
  AUTH_TOKEN_SECRET: string;
  ROUTER_IDENTITY_SECRET: string;
  /** Keys the per-partner pseudonyms of santri records (academics). */
  PSEUDONYM_SECRET: string;
}

const SECRET_NAMES = ['AUTH_TOKEN_SECRET', 'ROUTER_IDENTITY_SECRET', 'PSEUDONYM_SECRET'] as const satisfies readonly (keyof LocalSecrets)[];
const SECRETS_FILE = `${DATA_DIR}/secrets.json`;

/**
 * Secrets for running on one machine: taken from the environment when set, otherwise generated
 * once per checkout into .data/secrets.json (never committed). There is no built-in default:
 * a known secret would let anyone mint an admin token. A secret added since the file was written
 * is generated into it, keeping the others (changing PSEUDONYM_SECRET would change every pseudonym).
 */
export async function localSecrets(): Promise<LocalSecrets & { generated: boolean }> {
  const fromEnv = definedOnly(Object.fromEntries(SECRET_NAMES.map((name) => [name, process.env[name]])));
  if (SECRET_NAMES.every((name) => fromEnv[name])) return { ...(fromEnv as LocalSecrets), generated: false };
  const stored = await readFile(SECRETS_FILE, 'utf8').then((text) => JSON.parse(text) as Partial<LocalSecrets>, () => ({}) as Partial<LocalSecrets>);
  const missing = SECRET_NAMES.filter((name) => !stored[name]);
  if (missing.length > 0) {
    for (const name of missing) stored[name] = randomBytes(32).toString('base64url');
    await mkdir(DATA_DIR, { recursive: true });
    await writeFile(SECRETS_FILE, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  }
  return { ...(stored as LocalSecrets), ...fromEnv, generated: missing.length > 0 };
}

function definedOnly(values: Record<string, string | undefined>): Partial<LocalSecrets> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value)) as Partial<LocalSecrets>;
}
