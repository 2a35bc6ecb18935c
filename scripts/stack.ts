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

export const ROUTER_SERVICE: ServiceSpec = {
  name: 'router',
  entry: 'router/src/server.ts',
  port: Number(process.env['PORT'] ?? 4000),
  env: Object.fromEntries(
    SUBGRAPH_SERVICES.map((service) => [`${service.name.toUpperCase()}_URL`, `http://127.0.0.1:${service.port}/graphql`]),
  ),
};

export interface LocalSecrets {
  AUTH_TOKEN_SECRET: string;
  ROUTER_IDENTITY_SECRET: string;
}

const SECRETS_FILE = `${DATA_DIR}/secrets.json`;

/**
 * Secrets for running on one machine: taken from the environment when set, otherwise generated
 * once per checkout into .data/secrets.json (never committed). There is no built-in default:
 * a known secret would let anyone mint an admin token.
 */
export async function localSecrets(): Promise<LocalSecrets & { generated: boolean }> {
  const fromEnv = { AUTH_TOKEN_SECRET: process.env['AUTH_TOKEN_SECRET'], ROUTER_IDENTITY_SECRET: process.env['ROUTER_IDENTITY_SECRET'] };
  if (fromEnv.AUTH_TOKEN_SECRET && fromEnv.ROUTER_IDENTITY_SECRET) return { ...(fromEnv as LocalSecrets), generated: false };
  const stored = await readFile(SECRETS_FILE, 'utf8').then((text) => JSON.parse(text) as LocalSecrets, () => undefined);
  if (stored) return { ...stored, ...definedOnly(fromEnv), generated: false };
  const secrets: LocalSecrets = {
    AUTH_TOKEN_SECRET: randomBytes(32).toString('base64url'),
    ROUTER_IDENTITY_SECRET: randomBytes(32).toString('base64url'),
  };
  await mkdir(DATA_DIR, { recursive: true });
  await writeFile(SECRETS_FILE, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return { ...secrets, ...definedOnly(fromEnv), generated: true };
}

function definedOnly(values: Record<string, string | undefined>): Partial<LocalSecrets> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value)) as Partial<LocalSecrets>;
}
