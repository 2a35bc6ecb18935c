import { existsSync } from 'node:fs';
import { buildStorefront, storefrontDist } from '../storefront/build.ts';
import { serveStorefront } from '../storefront/server/serve.ts';
import { startPlatform } from './platform.ts';
import { stackFrom } from './stack.ts';

/**
 * `npm start`: the whole platform on one machine: the five subgraphs, the router and the console (see
 * platform.ts), then the storefront, built from the running API on the first start (and by
 * `npm run build` whenever you want fresh pages) and served next to it.
 */
const started = Date.now();
const { dataDir: DATA_DIR, router: ROUTER_SERVICE, subgraphs: SUBGRAPH_SERVICES } = stackFrom(process.env);
const STOREFRONT_DIST = storefrontDist(process.env);
const database = process.env['DATABASE_URL'] ? 'PostgreSQL from DATABASE_URL' : `embedded PostgreSQL (PGlite) in ${DATA_DIR}/pglite`;
console.log(`Starting the OPOP platform on ${database}. The first run migrates and loads demo data.\n`);

let platform: Awaited<ReturnType<typeof startPlatform>>;
try {
  platform = await startPlatform({ env: process.env });
} catch (error) {
  console.error(`\nThe platform did not start: ${(error as Error).message}`);
  process.exit(1);
}
if (platform.secretsGenerated) console.log(`Generated local secrets in ${DATA_DIR}/secrets.json (kept out of git).`);

let stopping = false;
async function stop(exitCode: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    storefront?.close();
    await platform.stop();
  }
  process.exit(exitCode);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
// `kill <pid of npm>` ends npm and the shell it ran us in without passing the signal on; we would
// live on as an orphan holding every port. So when the process that started us is gone, stop.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    console.error('\nThe process that started the platform is gone; stopping the platform.');
    void stop(0);
  }
}, 1_000).unref();
platform.onUnexpectedExit((service, reason) => {
  console.error(`\n${service} stopped unexpectedly (${reason}); stopping the platform.`);
  void stop(1);
});

const storefrontPort = Number(process.env['STOREFRONT_PORT'] || 4321);
let storefront: Awaited<ReturnType<typeof serveStorefront>> | undefined;
let storefrontLine = '  storefront            off (STOREFRONT=off)';
if (process.env['STOREFRONT'] !== 'off') {
  try {
    if (!existsSync(`${STOREFRONT_DIST}/index.html`)) {
      console.log('Building the storefront from the API (first start only; `npm run build` rebuilds it) …');
      await buildStorefront(platform.routerUrl, STOREFRONT_DIST);
    }
    // Changes made through the API are published here page by page (storefront/server/publisher.ts).
    storefront = await serveStorefront({
      port: storefrontPort,
      apiUrl: platform.routerUrl,
      distDir: STOREFRONT_DIST,
      publishSecret: platform.storefrontPublishSecret,
      log: (line) => console.log(`storefront ${line}`),
    });
    storefrontLine = `  storefront            http://localhost:${storefrontPort}/`;
  } catch (error) {
    console.error(`\nThe storefront could not be served: ${(error as Error).message}`);
    await stop(1);
  }
}

const api = `http://localhost:${ROUTER_SERVICE.port}/graphql`;
const consoleLines = platform.consoleUrl
  ? [
      `  console               ${platform.consoleUrl}`,
      ...(platform.firstAdminLink ? ['', `  First programme admin: open this one-time link to create the account (valid 7 days):`, `    ${platform.firstAdminLink}`] : []),
      ...(process.env['SEED_DEMO_DATA'] !== 'false'
        ? ['', '  Demo accounts (demo only, published passwords; README "Demo accounts"):', '    operator@demo.opop.id / demo-operator-opop   kantor@demo.opop.id / demo-kantor-opop (asks to set up 2FA)', '    media@demo.opop.id / demo-media-opop         akademik@demo.opop.id / demo-akademik-opop']
        : []),
    ].join('\n')
  : '  console               off (CONSOLE=off)';
console.log(`
OPOP platform ready in ${((Date.now() - started) / 1000).toFixed(1)} s.

${storefrontLine}
${consoleLines}
  GraphQL API (router)  ${api}
${SUBGRAPH_SERVICES.map((s) => `  ${`${s.name} subgraph`.padEnd(20)}  http://localhost:${s.port}/graphql`).join('\n')}

  Try it:
    curl -s ${api} -H 'content-type: application/json' \\
      -d '{"query":"{ products(first: 3, filter: { featured: true }) { nodes { name { indonesian } priceRupiah pesantren { name regency { displayName } } } } }"}'

  People sign in to the console; a token for scripts:  npm run token -- --role programme_admin
  All data shown is generated demo data. Press Ctrl+C to stop.
`);
