import { serveSubgraph } from '@opop/server-kit';
import { createPartnersService } from './app.ts';
import { loadPartnersConfig } from './config.ts';

await serveSubgraph(() => loadPartnersConfig(), (config) => createPartnersService(config));
