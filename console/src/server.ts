import { runMain } from '@opop/server-kit';
import { buildConsole, consoleDist, isBuilt } from '../build.ts';
import { createConsole } from './app.ts';
import { loadConsoleConfig } from './config.ts';
import { demoAccounts } from './router-client.ts';

/** `node console/src/server.ts`: the console on PORT (4330), building its pages first when they are stale. */
await runMain(async () => {
  const config = loadConsoleConfig(process.env);
  const distDir = consoleDist(process.env);
  if (!(await isBuilt(distDir))) await buildConsole(distDir);
  const app = await createConsole(config, { distDir });
  if (config.seedDemoAccounts) {
    // Demo accounts act for demo organisations, which the router knows once the subgraphs are seeded.
    await app.accounts.service.ensureDemoAccounts(await demoAccounts(config.routerUrl, config.accessTokenSecret));
  }
  const first = await app.accounts.service.ensureFirstAdmin(config.firstAdmin);
  // A warning, so it is shown at every log level: someone has to act on it.
  if (first.created === 'invitation') app.logger.warn({ firstAdminLink: first.link }, 'no programme admin yet: open this one-time link to create the first admin account');
  if (first.created === 'account') app.logger.info({ email: config.firstAdmin.email }, 'created the first programme admin from ADMIN_EMAIL');
  const address = await app.listen();
  app.logger.info({ address: config.publicUrl, listening: address }, 'console ready');
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
});
