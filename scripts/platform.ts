import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ROOT, localSecrets, stackFrom, type ServiceSpec } from './stack.ts';

/**
 * Runs the platform's services as child processes: each subgraph on its own embedded PostgreSQL
 * (PGlite, in DATA_DIR) or on PostgreSQL when DATABASE_URL is set, then the router once the
 * subgraphs are ready. `npm start` and the storefront build both use it.
 */
export interface RunningPlatform {
  routerUrl: string;
  /** Null when CONSOLE=off. */
  consoleUrl: string | null;
  /** Set on a first start without ADMIN_EMAIL: the one-time link that creates the first programme admin. */
  firstAdminLink: string | null;
  secretsGenerated: boolean;
  /** The secret the catalogue signs its change notices with; the storefront server checks them. */
  storefrontPublishSecret: string;
  /** Stops every service; resolves when they have exited. */
  stop(): Promise<void>;
  /** Called once if a service exits on its own. */
  onUnexpectedExit(listener: (service: string, reason: string) => void): void;
}

const COLOURS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[34m', '\x1b[32m', '\x1b[31m'];
const RESET = '\x1b[0m';
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

/** A request slower than this is shown in the terminal even when it succeeded. */
const SLOW_REQUEST_MS = 1_000;

/**
 * Whether a service's "request completed" line is shown in the terminal. One storefront search or
 * console page is a request to the router and one to each subgraph it reaches, so showing them all
 * buried the lines that matter (a new user found `npm start` unreadable once they clicked around):
 * only those answered with an HTTP error status (4xx, 5xx) or slow are shown, unless
 * LOG_REQUESTS=all. A GraphQL refusal answered with 200 (bad input, forbidden) is in its answer,
 * not here; errors the services log themselves always show. The services still log every request.
 */
export function showsRequest(entry: Record<string, unknown>, logRequests: string | undefined): boolean {
  if (entry['msg'] !== 'request completed' || logRequests === 'all') return true;
  return Number(entry['status']) >= 400 || Number(entry['ms']) >= SLOW_REQUEST_MS;
}

/** Child logs are JSON lines; they are shown one short line each. */
function printLine(service: string, colour: string, line: string, onEntry?: (entry: Record<string, unknown>) => void, logRequests?: string): void {
  const label = process.stdout.isTTY ? `${colour}${service.padEnd(10)}${RESET}` : service.padEnd(10);
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    onEntry?.(entry);
    if (!showsRequest(entry, logRequests)) return;
    const { level, msg, time: _t, service: _s, name: _n, pid: _p, hostname: _h, ...rest } = entry;
    const details = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
    console.log(`${label} ${LEVELS[Number(level)] ?? level} ${msg}${details}`);
  } catch {
    console.log(`${label} ${line}`);
  }
}

/** Generous: a first start migrates, seeds and draws the demo photos (20–40 s of them on two cores, more on a busy machine). */
export async function waitUntilReady(spec: ServiceSpec, child: ChildProcess, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited before it was ready`);
    const ok = await fetch(`http://127.0.0.1:${spec.port}/ready`, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      (error: Error & { cause?: Error }) => {
        // fetch refuses some ports outright (6000 is X11's): say so now instead of waiting minutes.
        if (error.cause?.message === 'bad port') throw new Error(`${spec.name}'s port ${spec.port} is one that fetch and browsers refuse to use; choose another (e.g. ${spec.port + 10})`);
        return false;
      },
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${spec.name} was not ready after ${timeoutMs / 1000} s`);
}

/**
 * `quiet` keeps only warnings and errors from the services (for builds). `env` (DATA_DIR, ports,
 * secrets, DATABASE_URL …) is read when called, not when imported, and passed on to the services.
 */
export async function startPlatform({ quiet = false, env: given = process.env }: { quiet?: boolean; env?: NodeJS.ProcessEnv } = {}): Promise<RunningPlatform> {
  const { dataDir, subgraphs: subgraphSpecs, router, console: consoleSpec } = stackFrom(given);
  const withConsole = given['CONSOLE'] !== 'off';
  let firstAdminLink: string | null = null;
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const listeners: ((service: string, reason: string) => void)[] = [];
  const secrets = await localSecrets(given, dataDir);
  // The subgraphs that relay changes to the storefront sign them with its secret.
  for (const spec of subgraphSpecs) if (spec.env?.['STOREFRONT_PUBLISH_URL']) spec.env['STOREFRONT_PUBLISH_SECRET'] = secrets.STOREFRONT_PUBLISH_SECRET;
  const env: Record<string, string> = {
    AUTH_TOKEN_SECRET: secrets.AUTH_TOKEN_SECRET,
    ROUTER_IDENTITY_SECRET: secrets.ROUTER_IDENTITY_SECRET,
    PSEUDONYM_SECRET: secrets.PSEUDONYM_SECRET,
    ACCOUNTS_SECRET: secrets.ACCOUNTS_SECRET,
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: given['SEED_DEMO_DATA'] ?? 'true',
    LOG_LEVEL: quiet ? 'warn' : (given['LOG_LEVEL'] ?? 'info'),
  };

  const launch = (spec: ServiceSpec, index: number): ChildProcess => {
    const child = spawn(process.execPath, [spec.entry], { cwd: ROOT, env: { ...given, ...env, ...spec.env, PORT: String(spec.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    const colour = COLOURS[index % COLOURS.length]!;
    // The console announces the first admin's one-time link; `npm start` shows it with the addresses.
    const onEntry = (entry: Record<string, unknown>) => {
      if (typeof entry['firstAdminLink'] === 'string') firstAdminLink = entry['firstAdminLink'];
    };
    createInterface({ input: child.stdout! }).on('line', (line) => printLine(spec.name, colour, line, onEntry, given['LOG_REQUESTS']));
    createInterface({ input: child.stderr! }).on('line', (line) => printLine(spec.name, colour, line, undefined, given['LOG_REQUESTS']));
    child.on('exit', (code, signal) => {
      children.delete(spec.name);
      if (!stopping) for (const listener of listeners.splice(0)) listener(spec.name, signal ?? `exit code ${code}`);
    });
    children.set(spec.name, child);
    return child;
  };

  const stop = async () => {
    stopping = true;
    const exits = [...children.values()].map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of children.values()) child.kill('SIGTERM');
    const timeout = setTimeout(() => {
      for (const child of children.values()) child.kill('SIGKILL');
    }, 12_000);
    await Promise.all(exits);
    clearTimeout(timeout);
  };

  // Stopped while starting (Ctrl+C, kill): take the services down too, not leave them running.
  const abortStart = (signal: NodeJS.Signals) => {
    void stop().then(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', abortStart);
  process.once('SIGTERM', abortStart);
  try {
    const subgraphs = subgraphSpecs.map((spec, index) => [spec, launch(spec, index)] as const);
    await Promise.all(subgraphs.map(([spec, child]) => waitUntilReady(spec, child)));
    await waitUntilReady(router, launch(router, subgraphSpecs.length));
    // The console finds demo organisations and invited ones through the router, so it comes last.
    if (withConsole) await waitUntilReady(consoleSpec, launch(consoleSpec, subgraphSpecs.length + 1));
  } catch (error) {
    await stop();
    throw error;
  } finally {
    process.off('SIGINT', abortStart);
    process.off('SIGTERM', abortStart);
  }
  return {
    routerUrl: `http://127.0.0.1:${router.port}/graphql`,
    consoleUrl: withConsole ? `http://localhost:${consoleSpec.port}/` : null,
    get firstAdminLink() {
      return firstAdminLink;
    },
    secretsGenerated: secrets.generated,
    storefrontPublishSecret: secrets.STOREFRONT_PUBLISH_SECRET,
    stop,
    onUnexpectedExit: (listener) => void listeners.push(listener),
  };
}
