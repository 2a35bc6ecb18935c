import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { printSchema } from '@apollo/federation-internals';
import { gql } from 'graphql-tag';
import { supergraphWithSubgraphAuthorization } from '@opop/server-kit';
import { SUBGRAPHS, sdlPath } from './subgraphs.ts';

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
 * committed, reviewed supergraph rather than whatever the subgraphs report at start-up.
 */
export async function composeSupergraph(): Promise<Composition> {
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
  return {
    // Field-level access is enforced by the subgraphs, which the gateway cannot do itself.
    supergraphSdl: supergraphWithSubgraphAuthorization(result.supergraphSdl),
    // Printed by federation's own printer: graphql-js's would refuse a schema built by another
    // copy of graphql (as under test runners that load both of its module formats).
    apiSchemaSdl: `${printSchema(result.schema.toAPISchema())}\n`,
  };
}
