import { createServer } from 'node:http';
import { execute } from 'graphql';
import { documentCache } from './documents.ts';
import { loadCatalogueConfig } from '../subgraphs/catalogue/src/config.ts';
import { createCatalogueService } from '../subgraphs/catalogue/src/app.ts';

/**
 * The catalogue subgraph without its HTTP and GraphQL server layer (issue 21): the same service
 * (database, background work, executable schema with its access rules, request context, resolvers)
 * answered by graphql-js over `node:http`, as the floor subgraph is. What it serves faster than
 * the catalogue subgraph is what Apollo Server and Fastify cost; what the floor serves faster
 * than it is what our schema, context and resolvers cost. A bench row, not a server: no cache
 * policy, no error formatting, no GET, no limits.
 *
 * Env: the catalogue subgraph's (DATABASE_URL, DATABASE_SCHEMA, ROUTER_IDENTITY_SECRET, PORT, …).
 */
const config = loadCatalogueConfig(process.env);
const service = await createCatalogueService(config);

const documentOf = documentCache(service.schema);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    const answer = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    let contextValue;
    try {
      contextValue = await service.contextFor(request.headers);
    } catch {
      return answer(401, { errors: [{ message: 'no identity signed by the router' }] });
    }
    try {
      const { query, variables, operationName } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown>; operationName?: string };
      const document = documentOf(query);
      if (!('kind' in document)) return answer(400, document);
      answer(200, await execute({ schema: service.schema, document, contextValue, variableValues: variables ?? {}, operationName: operationName ?? null }));
    } catch (error) {
      answer(400, { errors: [{ message: (error as Error).message }] });
    }
  });
});
server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void service.server.close().then(() => process.exit(0))));
