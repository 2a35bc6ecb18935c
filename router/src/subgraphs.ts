/**
 * The subgraphs the router composes. Each is reached at the URL in its environment variable;
 * the default is where `npm start` runs it. The SDL path is read only by `npm run compose`.
 */
export const SUBGRAPHS = [
  { name: 'catalogue', urlVariable: 'CATALOGUE_URL', defaultUrl: 'http://127.0.0.1:4001/graphql' },
  { name: 'pesantren', urlVariable: 'PESANTREN_URL', defaultUrl: 'http://127.0.0.1:4002/graphql' },
  { name: 'academics', urlVariable: 'ACADEMICS_URL', defaultUrl: 'http://127.0.0.1:4003/graphql' },
  { name: 'partners', urlVariable: 'PARTNERS_URL', defaultUrl: 'http://127.0.0.1:4004/graphql' },
  { name: 'media', urlVariable: 'MEDIA_URL', defaultUrl: 'http://127.0.0.1:4005/graphql' },
] as const;

export type SubgraphName = (typeof SUBGRAPHS)[number]['name'];

export const sdlPath = (name: SubgraphName) => new URL(`../../subgraphs/${name}/schema.graphql`, import.meta.url);
export const SUPERGRAPH_PATH = new URL('../../schema/supergraph.graphql', import.meta.url);
/** The public API schema clients are generated from (see `Composition.apiSchemaSdl`). */
export const API_SCHEMA_PATH = new URL('../../schema/api.graphql', import.meta.url);
