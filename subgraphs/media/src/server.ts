import { serveSubgraph } from '@opop/server-kit';
import { createMediaService } from './app.ts';
import { loadMediaConfig } from './config.ts';

await serveSubgraph(() => loadMediaConfig(), (config) => createMediaService(config));
