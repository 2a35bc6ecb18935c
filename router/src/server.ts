import { closeOnSignals, runMain } from '@opop/server-kit';
import { createRouter } from './app.ts';
import { loadRouterConfig } from './config.ts';

await runMain(async () => {
  const config = loadRouterConfig();
  const { server, logger } = await createRouter(config);
  closeOnSignals(logger, () => server.close());
  const url = await server.listen(config.host, config.port);
  logger.info({ url }, 'router listening');
});
