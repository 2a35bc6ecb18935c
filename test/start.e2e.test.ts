import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueAccessToken } from '@opop/server-kit';
import { postGraphQL, reservePort, testEngines } from '@opop/server-kit/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBGRAPHS } from '@opop/router';

/** What a newcomer gets from `npm start`: the whole platform, demo data, and data that survives a restart. */

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const freePort = reservePort;

interface Platform {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startPlatform(env: Record<string, string>): Promise<Platform> {
  const child = spawn(process.execPath, ['scripts/start.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform not ready in time:\n${output}`)), 150_000);
    const check = setInterval(() => {
      if (output.includes('OPOP platform ready')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve({ child, output: () => output, exited });
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code}:\n${output}`));
    });
  });
}

async function stopPlatform(platform: Platform): Promise<number | null> {
  platform.child.kill('SIGTERM');
  return platform.exited;
}

/** On PostgreSQL the platform gets a database of its own, created and dropped around the test. */
async function withAdminClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe.each(testEngines())('npm start on $name', (engine) => {
  let dataDir: string;
  let env: Record<string, string>;
  let api: string;
  const database = `opop_start_${process.pid}_${Date.now()}`;

  beforeAll(async () => {
    if (engine.skip) return;
    dataDir = await mkdtemp(join(tmpdir(), 'opop-start-'));
    const ports: Record<string, string> = { PORT: String(await freePort()), CONSOLE_PORT: String(await freePort()) };
    for (const { name } of SUBGRAPHS) ports[`${name.toUpperCase()}_PORT`] = String(await freePort());
    // The storefront has its own end-to-end suite (storefront/test); this one is about the API.
    env = { DATA_DIR: dataDir, ...ports, LOG_LEVEL: 'warn', DATABASE_URL: '', STOREFRONT: 'off' };
    if (engine.url) {
      await withAdminClient(engine.url, (client) => client.query(`create database "${database}"`));
      const url = new URL(engine.url);
      url.pathname = `/${database}`;
      env['DATABASE_URL'] = url.toString();
    }
    api = `http://127.0.0.1:${ports['PORT']}/graphql`;
  });

  afterAll(async () => {
    if (engine.skip) return;
    await rm(dataDir, { recursive: true, force: true });
    if (engine.url) await withAdminClient(engine.url, (client) => client.query(`drop database if exists "${database}" with (force)`));
  });

  if (engine.skip) {
    it.skip(engine.skip, () => {});
    return;
  }

  it('serves the supergraph with demo data, keeps what is written across a restart, and stops cleanly', async () => {
    const first = await startPlatform(env);
    let registered: string;
    try {
      expect(first.output()).toContain(`http://localhost:${env['PORT']}/graphql`);
      const overview = await postGraphQL<{
        products: { totalCount: number };
        pesantrenList: { totalCount: number };
        regencies: unknown[];
        pesantren: { academics: { santriCount: number }; partnerships: unknown[]; coverage: unknown[] };
        innovation: { funnel: { replications: number } };
      }>(
        api,
        `{ products(first: 1, filter: { featured: true }) { totalCount } pesantrenList(first: 1) { totalCount } regencies { code }
           pesantren(slug: "pondok-pesantren-sidogiri") { academics { santriCount } partnerships { aspect } coverage(first: 1) { slug } }
           innovation { funnel { replications } } }`,
      );
      expect(overview.errors).toBeUndefined();
      expect(overview.data?.pesantrenList.totalCount).toBeGreaterThanOrEqual(60);
      expect(overview.data?.products.totalCount).toBeGreaterThan(150);
      expect(overview.data?.regencies).toHaveLength(38);
      expect(overview.data?.pesantren.academics.santriCount).toBeGreaterThan(0);
      expect(overview.data?.pesantren.coverage).toHaveLength(1);
      expect(overview.data?.innovation.funnel.replications).toBe(9);

      const secrets = JSON.parse(await readFile(join(dataDir, 'secrets.json'), 'utf8')) as { AUTH_TOKEN_SECRET: string };
      const admin = await issueAccessToken({ role: 'programme_admin', subject: 'start-test', pesantrenId: null, scopes: [] }, secrets.AUTH_TOKEN_SECRET);
      const created = await postGraphQL<{ registerPesantren: { id: string } }>(
        api,
        'mutation { registerPesantren(input: { nspp: "510035770123", name: "Pondok Pesantren Tetap Ada", regencyCode: "3577", address: "Jl. Bertahan No. 2, Kota Madiun", pillars: [SANTRIPRENEUR], memberSince: 2024 }) { id } }',
        {},
        { authorization: `Bearer ${admin}` },
      );
      expect(created.errors).toBeUndefined();
      registered = created.data!.registerPesantren.id;

      // The console: a newcomer signs in with a demo account and sees their pesantren's products, read through the router.
      const consoleUrl = `http://127.0.0.1:${env['CONSOLE_PORT']}`;
      expect(first.output()).toContain(`http://localhost:${env['CONSOLE_PORT']}/undangan/`);
      const signedIn = await fetch(`${consoleUrl}/masuk`, {
        method: 'POST',
        redirect: 'manual',
        headers: { origin: consoleUrl, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=operator%40demo.opop.id&password=demo-operator-opop',
      });
      expect(signedIn.status).toBe(303);
      const session = signedIn.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
      const home = await (await fetch(`${consoleUrl}/`, { headers: { cookie: session } })).text();
      expect(home).toContain('data-acting="PESANTREN_OPERATOR"');
      expect(home.replace(/<[^>]*>/g, '')).toMatch(/Produk pesantren Anda \([1-9]\d*\)/);
    } finally {
      expect(await stopPlatform(first)).toBe(0);
    }

    const second = await startPlatform(env);
    try {
      expect(second.output()).not.toContain('loaded demo data');
      // Nobody used the first admin's link: a fresh one is printed, and only it works.
      expect(second.output()).toContain(`http://localhost:${env['CONSOLE_PORT']}/undangan/`);
      const again = await postGraphQL<{ pesantren: { name: string } | null; pesantrenList: { totalCount: number } }>(
        api,
        `{ pesantren(id: "${registered}") { name } pesantrenList(first: 1) { totalCount } }`,
      );
      expect(again.data?.pesantren?.name).toBe('Pondok Pesantren Tetap Ada');
    } finally {
      expect(await stopPlatform(second)).toBe(0);
    }
    // Two starts of five services, the first loading demo data: on a busy two-core machine this
    // takes minutes, not the default minute.
  }, 300_000);

  it('stops at start-up with a message naming a bad variable', async () => {
    const child = spawn(process.execPath, ['subgraphs/catalogue/src/server.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'not-a-port', DATABASE_URL: 'mysql://x', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(/PORT: .*"not-a-port"/);
    expect(stderr).toMatch(/DATABASE_URL: must be a postgres/);
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
