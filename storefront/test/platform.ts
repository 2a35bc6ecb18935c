import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUBGRAPHS } from '@opop/router';
import { reservePort } from '@opop/server-kit/testing';

/**
 * What a shopper meets after `npm install && npm start`: the real start script, on free ports,
 * with its own embedded databases and its own storefront build in a temporary folder.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const freePort = reservePort;

export interface StartedPlatform {
  storefront: string;
  /** The console, when started with it. */
  console: string | undefined;
  /** Where its databases and generated secrets are (secrets.json signs test tokens). */
  dataDir: string;
  api: string;
  output: () => string;
  stop: () => Promise<void>;
}

export async function startWithStorefront(options: { console?: boolean } = {}): Promise<StartedPlatform> {
  const dir = await mkdtemp(join(tmpdir(), 'opop-storefront-'));
  const ports: Record<string, string> = { PORT: String(await freePort()), STOREFRONT_PORT: String(await freePort()) };
  if (options.console) ports['CONSOLE_PORT'] = String(await freePort());
  for (const { name } of SUBGRAPHS) ports[`${name.toUpperCase()}_PORT`] = String(await freePort());
  const env = { ...process.env, ...ports, DATA_DIR: join(dir, 'data'), STOREFRONT_DIST: join(dir, 'dist'), LOG_LEVEL: 'warn', DATABASE_URL: '', STOREFRONT: 'on', CONSOLE: options.console ? 'on' : 'off' };
  const child: ChildProcess = spawn(process.execPath, ['scripts/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform not ready in time:\n${output}`)), 300_000);
    const check = setInterval(() => {
      if (output.includes('OPOP platform ready')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(check);
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code}:\n${output}`));
    });
  });
  return {
    storefront: `http://127.0.0.1:${ports['STOREFRONT_PORT']}`,
    console: options.console ? `http://127.0.0.1:${ports['CONSOLE_PORT']}` : undefined,
    dataDir: join(dir, 'data'),
    api: `http://127.0.0.1:${ports['PORT']}/graphql`,
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
