import { serveSubgraph } from '@opop/server-kit';
import { createCatalogueService } from './app.ts';
import { loadCatalogueConfig } from './config.ts';

await serveSubgraph(() => loadCatalogueConfig(), (config) => createCatalogueService(config));
