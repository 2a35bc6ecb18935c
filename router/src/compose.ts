import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { gql } from 'graphql-tag';
import { SUBGRAPHS, sdlPath } from './subgraphs.ts';

export class CompositionError extends Error {
  override name = 'CompositionError';
}

/**
 * Composes the subgraphs' SDL into the supergraph, offline, as a build step: the router serves a
 * committed, reviewed supergraph rather than whatever the subgraphs report at start-up.
 */
export async function composeSupergraph(): Promise<string> {
  const services = await Promise.all(
    SUBGRAPHS.map(async ({ name, defaultUrl }) => ({
      name,
      url: defaultUrl,
      typeDefs: gql(await readFile(sdlPath(name), 'utf8')),
    })),
  );
  const result = composeServices(services);
  if (result.errors) {
    throw new CompositionError(`The subgraphs do not compose:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}
