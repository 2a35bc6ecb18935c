import { serveSubgraph } from '@opop/server-kit';
import { createPesantrenService } from './app.ts';
import { loadPesantrenConfig } from './config.ts';

await serveSubgraph(() => loadPesantrenConfig(), (config) => createPesantrenService(config));
