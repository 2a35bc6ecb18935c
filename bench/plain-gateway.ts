import { readFile } from 'node:fs/promises';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ANONYMOUS, IDENTITY_HEADER, signForwardedIdentity } from '@opop/server-kit';
import { SUPERGRAPH_PATH } from '@opop/router';

/**
 * The baseline of the router benchmark: @apollo/gateway with its default settings in Apollo
 * Server's standalone server, over the same supergraph and subgraphs. The only addition is what
 * our subgraphs require of any caller: a signed identity, here the anonymous one, signed every 30 s
 * so the baseline does not pay for signing per request.
 */
const secret = process.env['ROUTER_IDENTITY_SECRET']!;
let identity = await signForwardedIdentity(ANONYMOUS, secret);
setInterval(async () => (identity = await signForwardedIdentity(ANONYMOUS, secret)), 30_000).unref();

const urls = JSON.parse(process.env['SUBGRAPH_URLS']!) as Record<string, string>;
const gateway = new ApolloGateway({
  supergraphSdl: await readFile(SUPERGRAPH_PATH, 'utf8'),
  buildService: ({ name, url }) =>
    new RemoteGraphQLDataSource({
      url: urls[name] ?? url,
      willSendRequest: ({ request }) => void request.http?.headers.set(IDENTITY_HEADER, identity),
    }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(process.env['PORT']) } });
console.log(JSON.stringify({ ready: url }));
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
