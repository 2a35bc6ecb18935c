/**
 * What the rest of the repository uses from the router: building it in-process (tests, benches),
 * its configuration, composition, and the list of subgraphs with where their schemas live.
 * Importing this starts nothing; `src/server.ts` is the process entry.
 */
export { createRouter, type Router, type RouterOptions } from './app.ts';
export { composeSupergraph, CompositionError, type Composition } from './compose.ts';
export { defaultProtection, loadRouterConfig, type RouterConfig } from './config.ts';
export { API_SCHEMA_PATH, SUBGRAPHS, SUPERGRAPH_PATH, sdlPath, type SubgraphName } from './subgraphs.ts';
