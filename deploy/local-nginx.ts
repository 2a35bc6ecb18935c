import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * deploy/nginx.conf, the file compose runs, made to run on this machine: the upstream is a router
 * on 127.0.0.1, nginx listens on a local port, and its files live in `dir`. Everything else (the
 * cache rules above all) is the deployed file as written, so what is measured or checked here is
 * what runs in compose.
 */
export const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

export async function localNginxConfig(dir: string, routerOrigin: string, port: number): Promise<string> {
  const deployed = await readFile(fileURLToPath(new URL('./nginx.conf', import.meta.url)), 'utf8');
  const router = new URL(routerOrigin);
  const replace = (text: string, from: RegExp, to: string) => {
    if (!from.test(text)) throw new Error(`deploy/nginx.conf changed: ${from} no longer matches`);
    return text.replace(from, to);
  };
  let config = deployed;
  config = replace(config, /server router:4000\b/, `server ${router.hostname}:${router.port}`);
  config = replace(config, /listen 80;/, `listen 127.0.0.1:${port};`);
  config = replace(config, /proxy_cache_path \/var\/cache\/nginx\/graphql/, `proxy_cache_path ${join(dir, 'cache')}`);
  config = replace(config, /worker_processes auto;/, `worker_processes auto;\ndaemon off;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'error.log')} warn;`);
  config = replace(config, /http \{/, `http {\n  access_log off;\n  client_body_temp_path ${join(dir, 'body')};\n  proxy_temp_path ${join(dir, 'proxy')};\n  fastcgi_temp_path ${join(dir, 'fastcgi')};\n  uwsgi_temp_path ${join(dir, 'uwsgi')};\n  scgi_temp_path ${join(dir, 'scgi')};`);
  await mkdir(dir, { recursive: true });
  // Started as root, nginx's workers run as nobody: they must reach the cache and temp folders.
  await chmod(dir, 0o755);
  const path = join(dir, 'nginx.conf');
  await writeFile(path, config);
  return path;
}

/** `nginx -t` on a config: null when it is valid, else what nginx said. */
export function nginxConfigProblem(configPath: string, dir: string): string | null {
  const result = spawnSync(NGINX!, ['-t', '-c', configPath, '-p', dir, '-e', join(dir, 'error.log')], { encoding: 'utf8' });
  return result.status === 0 ? null : `${result.stdout}${result.stderr}`;
}

export function startNginx(configPath: string, dir: string): ChildProcess {
  return spawn(NGINX!, ['-c', configPath, '-p', dir, '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
}
