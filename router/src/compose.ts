import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { printSchema } from '@apollo/federation-internals';
import { gql } from 'graphql-tag';
import { supergraphWithSubgraphAuthorization } from '@opop/server-kit';
import { ListSizes, UnboundedListsError } from './limits.ts';
import { SUBGRAPHS, sdlPath, type SubgraphName } from './subgraphs.ts';

export class CompositionError extends Error {
  override name = 'CompositionError';
}

export interface Composition {
  /** What the router serves: the schema with the routing directives (`@join__*`). */
  supergraphSdl: string;
  /**
   * What clients see: the public API schema, without routing directives. Client code is
   * generated from it, and it is the published schema when introspection is off.
   */
  apiSchemaSdl: string;
}

/**
 * Composes the subgraphs' SDL into the supergraph, offline, as a build step: the router serves a
 * committed, reviewed supergraph rather than whatever the subgraphs report at start-up. Fails,
 * as the router would refuse to start, when a list declares no maximum (see ListSizes).
 */
export async function composeSupergraph(readSdl: (name: SubgraphName) => Promise<string> = (name) => readFile(sdlPath(name), 'utf8')): Promise<Composition> {
  const services = await Promise.all(
    SUBGRAPHS.map(async ({ name, defaultUrl }) => ({
      name,
      url: defaultUrl,
      typeDefs: gql(await readSdl(name)),
    })),
  );
  const result = composeServices(services);
  if (result.errors) {
    throw new CompositionError(`The subgraphs do not compose:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
  try {
    ListSizes.fromSupergraph(result.supergraphSdl);
  } catch (error) {
    // The router would refuse to serve it: say so now, where the list was added.
    if (error instanceof UnboundedListsError) throw new CompositionError(error.message);
    throw error;
  }
  return {
    // Field-level access is enforced by the subgraphs, which the gateway cannot do itself.
    supergraphSdl: supergraphWithSubgraphAuthorization(result.supergraphSdl),
    // Printed by federation's own printer: graphql-js's would refuse a schema built by another
    // copy of graphql (as under test runners that load both of its module formats).
    apiSchemaSdl: `${printSchema(result.schema.toAPISchema())}\n`,
  };
}
