import cluster from 'node:cluster';
import { closeOnSignals, createLogger, runMain } from '@opop/server-kit';
import { createRouter } from './app.ts';
import { loadRouterConfig, performanceOf } from './config.ts';
import { relayInvalidationsBetweenWorkers } from './response-cache.ts';

/**
 * ROUTER_WORKERS router processes (default one; replicas behind a balancer scale better, see
 * router/README.md). Workers share the port through node:cluster; the primary only forks, restarts a
 * worker that dies, relays response-cache invalidations between workers and passes signals on.
 */
await runMain(async () => {
  const config = loadRouterConfig();
  const { workers } = performanceOf(config);
  if (workers > 1 && cluster.isPrimary) {
    const logger = createLogger('router', config.logLevel);
    relayInvalidationsBetweenWorkers();
    let stopping = false;
    const fork = () => cluster.fork();
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      logger.error({ pid: worker.process.pid, code, signal }, 'router worker died; starting another');
      setTimeout(fork, 1_000);
    });
    closeOnSignals(logger, async () => {
      stopping = true;
      const exits = Object.values(cluster.workers ?? {}).map((worker) => new Promise((resolve) => worker?.once('exit', resolve)));
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      await Promise.all(exits);
    });
    for (let i = 0; i < workers; i++) fork();
    logger.info({ workers }, 'router primary started its workers');
    return;
  }
  const { server, logger } = await createRouter(config);
  closeOnSignals(logger, () => server.close());
  const url = await server.listen(config.host, config.port);
  logger.info({ url, ...(cluster.isWorker ? { worker: cluster.worker?.id } : {}) }, 'router listening');
});
