import { serveSubgraph } from '@opop/server-kit';
import { createAcademicsService } from './app.ts';
import { loadAcademicsConfig } from './config.ts';

await serveSubgraph(() => loadAcademicsConfig(), (config) => createAcademicsService(config));
