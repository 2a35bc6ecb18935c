import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { DATA_DIR, ROOT, ROUTER_SERVICE, SUBGRAPH_SERVICES, localSecrets, type ServiceSpec } from './stack.ts';

/**
 * `npm start`: the whole platform on one machine. Each subgraph runs as its own process on its
 * own embedded PostgreSQL (PGlite, kept in .data/) or on PostgreSQL when DATABASE_URL is set;
 * the first run migrates and loads the demo data. The router starts once the subgraphs are ready.
 */

const children = new Map<string, ChildProcess>();
let stopping = false;

const COLOURS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[34m', '\x1b[32m', '\x1b[31m'];
const RESET = '\x1b[0m';
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const useColour = process.stdout.isTTY;

/** Child logs are JSON lines; on a terminal they are shown one short line each. */
function printLine(service: string, colour: string, line: string): void {
  const label = useColour ? `${colour}${service.padEnd(9)}${RESET}` : service.padEnd(9);
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const { level, msg, time: _t, service: _s, name: _n, pid: _p, hostname: _h, ...rest } = entry;
    const details = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    console.log(`${label} ${LEVELS[Number(level)] ?? level} ${msg}${details}`);
  } catch {
    console.log(`${label} ${line}`);
  }
}

function launch(spec: ServiceSpec, env: Record<string, string>, index: number): ChildProcess {
  const child = spawn(process.execPath, [spec.entry], {
    cwd: ROOT,
    env: { ...process.env, ...env, ...spec.env, PORT: String(spec.port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const colour = COLOURS[index % COLOURS.length]!;
  createInterface({ input: child.stdout! }).on('line', (line) => printLine(spec.name, colour, line));
  createInterface({ input: child.stderr! }).on('line', (line) => printLine(spec.name, colour, line));
  child.on('exit', (code, signal) => {
    children.delete(spec.name);
    if (!stopping) {
      console.error(`\n${spec.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping the platform.`);
      void stop(1);
    }
  });
  children.set(spec.name, child);
  return child;
}

async function waitUntilReady(spec: ServiceSpec, child: ChildProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || stopping) throw new Error(`${spec.name} exited before it was ready`);
    const ok = await fetch(`http://127.0.0.1:${spec.port}/ready`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${spec.name} was not ready after ${timeoutMs / 1000} s`);
}

async function stop(exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  const exits = [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of children.values()) child.kill('SIGTERM');
  const timeout = setTimeout(() => {
    for (const child of children.values()) child.kill('SIGKILL');
  }, 12_000);
  await Promise.all(exits);
  clearTimeout(timeout);
  process.exit(exitCode);
}

process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

const started = Date.now();
const secrets = await localSecrets();
const env: Record<string, string> = {
  AUTH_TOKEN_SECRET: secrets.AUTH_TOKEN_SECRET,
  ROUTER_IDENTITY_SECRET: secrets.ROUTER_IDENTITY_SECRET,
  DATA_DIR,
  SEED_DEMO_DATA: process.env['SEED_DEMO_DATA'] ?? 'true',
  LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
};
if (secrets.generated) console.log(`Generated local secrets in ${DATA_DIR}/secrets.json (kept out of git).`);
const database = process.env['DATABASE_URL'] ? 'PostgreSQL from DATABASE_URL' : `embedded PostgreSQL (PGlite) in ${DATA_DIR}/pglite`;
console.log(`Starting the OPOP platform on ${database}. The first run migrates and loads demo data.\n`);

try {
  const subgraphs = SUBGRAPH_SERVICES.map((spec, index) => [spec, launch(spec, env, index)] as const);
  await Promise.all(subgraphs.map(([spec, child]) => waitUntilReady(spec, child)));
  const router = launch(ROUTER_SERVICE, env, SUBGRAPH_SERVICES.length);
  await waitUntilReady(ROUTER_SERVICE, router);
} catch (error) {
  console.error(`\nThe platform did not start: ${(error as Error).message}`);
  await stop(1);
}

const api = `http://localhost:${ROUTER_SERVICE.port}/graphql`;
console.log(`
OPOP platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s.

  GraphQL API (router)  ${api}
${SUBGRAPH_SERVICES.map((s) => `  ${`${s.name} subgraph`.padEnd(20)}  http://localhost:${s.port}/graphql`).join('\n')}

  Try it:
    curl -s ${api} -H 'content-type: application/json' \\
      -d '{"query":"{ products(first: 3, filter: { featured: true }) { nodes { name { indonesian } priceRupiah pesantren { name regency { displayName } } } } }"}'

  A token for mutations:  npm run token -- --role programme_admin
  All data shown is generated demo data. Press Ctrl+C to stop.
`);
