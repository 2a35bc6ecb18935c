import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ANONYMOUS, createLogger, IDENTITY_HEADER, VISITOR_HEADER } from '@opop/server-kit';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubgraphConnections } from '../src/connections.ts';
import { cacheHintOf, SubgraphSource, type RouterContext } from '../src/subgraph-source.ts';

/** What the fake subgraph received, and what it is told to answer next. */
interface Exchange {
  received: { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }[];
  next: { status: number; headers: Record<string, string | string[]>; body: string } | undefined;
}

async function fakeSubgraph(exchange: Exchange): Promise<{ server: Server; url: string }> {
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    exchange.received.push({ method: request.method, url: request.url, headers: request.headers, body });
    const answer = exchange.next ?? { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=60, public' }, body: JSON.stringify({ data: { echo: JSON.parse(body) } }) };
    exchange.next = undefined;
    response.writeHead(answer.status, answer.headers).end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe('the connections to the subgraphs', () => {
  const exchange: Exchange = { received: [], next: undefined };
  let server: Server;
  let url: string;
  const connections = new SubgraphConnections(4);

  beforeAll(async () => ({ server, url } = await fakeSubgraph(exchange)));
  afterAll(async () => {
    await connections.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('post the body and headers to the path, and read status, headers and the whole body', async () => {
    exchange.next = { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'x-opop-part': ['one', 'two'] }, body: '{"data":{"a":1}}' };
    const answer = await connections.post(`${url}/graphql?x=1`, { 'content-type': 'application/json', 'x-opop-identity': 'token' }, '{"query":"{ a }"}');
    expect(exchange.received.at(-1)).toMatchObject({ method: 'POST', url: '/graphql?x=1', headers: { 'x-opop-identity': 'token' }, body: '{"query":"{ a }"}' });
    expect(answer).toMatchObject({ status: 200, body: '{"data":{"a":1}}' });
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer.headers['x-opop-part']).toEqual(['one', 'two']);
  });

  it('answer an error status with its body, for the router to explain', async () => {
    exchange.next = { status: 503, headers: { 'content-type': 'application/json' }, body: '{"errors":[{"message":"down"}]}' };
    expect(await connections.post(`${url}/graphql`, {}, '{}')).toMatchObject({ status: 503, body: '{"errors":[{"message":"down"}]}' });
  });

  it('reject when nothing listens', async () => {
    await expect(connections.post('http://127.0.0.1:9/graphql', {}, '{}')).rejects.toThrow();
  });
});

describe('a subgraph as the gateway calls it', () => {
  const exchange: Exchange = { received: [], next: undefined };
  let server: Server;
  let url: string;
  const connections = new SubgraphConnections(4);
  const logger = createLogger('router-test', 'silent');

  beforeAll(async () => ({ server, url } = await fakeSubgraph(exchange)));
  afterAll(async () => {
    await connections.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const contextOf = (): RouterContext => ({
    identity: ANONYMOUS,
    guard: { persisted: true, checked: true },
    forwardedIdentity: async () => 'signed-identity',
    forwardedVisitor: () => 'signed-visitor',
    calledSubgraphs: new Set<string>(),
  });
  /** What the gateway hands `process` for one fetch of a query plan. */
  const call = (source: SubgraphSource, query: string, context = contextOf(), policy = newPolicy()) =>
    source.process({
      kind: 'incoming operation',
      request: { query, variables: { slug: 'kopi' }, operationName: 'Op' },
      incomingRequestContext: { overallCachePolicy: policy } as never,
      context,
    } as unknown as GraphQLDataSourceProcessOptions<RouterContext>);

  it('sends the query, variables and operation name with the signed identity, and answers data and errors', async () => {
    const source = new SubgraphSource('catalogue', `${url}/graphql`, logger, connections, undefined);
    const context = contextOf();
    const result = await call(source, 'query Op($slug: String) { product(slug: $slug) { name } }', context);
    const sent = exchange.received.at(-1)!;
    expect(JSON.parse(sent.body)).toEqual({ query: 'query Op($slug: String) { product(slug: $slug) { name } }', variables: { slug: 'kopi' }, operationName: 'Op' });
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers[IDENTITY_HEADER]).toBe('signed-identity');
    // Queries carry no visitor: only mutations count visits.
    expect(sent.headers[VISITOR_HEADER]).toBeUndefined();
    expect(result.data).toEqual({ echo: JSON.parse(sent.body) });
    expect([...context.calledSubgraphs!]).toEqual(['catalogue']);
  });

  it('sends the visitor with a mutation, and a mutation that changed data makes cached answers stale', async () => {
    const raised: string[] = [];
    const cache = { generations: { raise: async (name: string) => void raised.push(name) } };
    const source = new SubgraphSource('catalogue', `${url}/graphql`, logger, connections, cache as never);
    await call(source, 'mutation Op { recordView }');
    expect(exchange.received.at(-1)!.headers[VISITOR_HEADER]).toBe('signed-visitor');
    expect(raised).toEqual(['catalogue']);
    exchange.next = { status: 200, headers: { 'content-type': 'application/json', 'x-opop-changes': 'none' }, body: '{"data":{"recordView":true}}' };
    await call(source, 'mutation Op { recordView }');
    expect(raised).toEqual(['catalogue']);
    await call(source, 'query Op { a }');
    expect(raised).toEqual(['catalogue']);
  });

  it("bounds the answer's cache policy by the subgraph's Cache-Control, and an answer without one is not cacheable", async () => {
    const source = new SubgraphSource('catalogue', `${url}/graphql`, logger, connections, undefined);
    const cached = newPolicy();
    await call(source, 'query Op { a }', contextOf(), cached);
    expect([cached.maxAge, cached.scope]).toEqual([60, 'PUBLIC']);
    exchange.next = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"data":{"a":1}}' };
    const uncached = newPolicy();
    await call(source, 'query Op { a }', contextOf(), uncached);
    expect(uncached.maxAge).toBe(0);
  });

  it.each([
    ['max-age=60, public', { maxAge: 60, scope: 'PUBLIC' }],
    ['public, max-age="30"', { maxAge: 30, scope: 'PUBLIC' }],
    ['max-age=60, private', { maxAge: 60, scope: 'PRIVATE' }],
    ['Max-Age=20, PUBLIC', { maxAge: 20, scope: 'PUBLIC' }],
    ['max-age=60, max-age=abc', { maxAge: 60 }],
    ['private, public, max-age=5', { maxAge: 5, scope: 'PRIVATE' }],
    ['no-store', { maxAge: 0 }],
    ['max-age=-1, public', { maxAge: 0, scope: 'PUBLIC' }],
    ['max-age=ten', { maxAge: 0 }],
    ['', { maxAge: 0 }],
    [undefined, { maxAge: 0 }],
  ])('reads Cache-Control %j as %j', (header, hint) => {
    expect(cacheHintOf(header)).toEqual(hint);
  });

  it('passes on a refusal the subgraph typed, and reports anything else as the subgraph unavailable, without its URL', async () => {
    const source = new SubgraphSource('pesantren', `${url}/graphql`, logger, connections, undefined);
    const failure = async (next: Exchange['next']) => {
      exchange.next = next;
      const error = await call(source, 'query Op { a }').then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(GraphQLError);
      return error as GraphQLError;
    };
    const json = { 'content-type': 'application/json' };
    const refused = await failure({ status: 400, headers: json, body: '{"errors":[{"message":"Unknown field","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}' });
    expect([refused.message, refused.extensions['code']]).toEqual(['Unknown field', 'GRAPHQL_VALIDATION_FAILED']);
    const unavailable = [
      await failure({ status: 500, headers: json, body: '{"errors":[{"message":"boom at /srv/x.ts","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}' }),
      await failure({ status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>Bad gateway</h1>' }),
      await failure({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'not json' }),
      await failure({ status: 200, headers: json, body: '[1,2]' }),
    ];
    const nowhere = new SubgraphSource('pesantren', 'http://127.0.0.1:9/graphql', logger, connections, undefined);
    unavailable.push(await call(nowhere, 'query Op { a }').then(() => undefined as never, (thrown: GraphQLError) => thrown));
    for (const error of unavailable) {
      expect(error.message).toBe('The pesantren service is unavailable');
      expect(error.extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', serviceName: 'pesantren' });
    }
  });
});

/** Apollo Server's cache policy, as the gateway hands it to data sources. */
function newPolicy() {
  return {
    maxAge: undefined as number | undefined,
    scope: undefined as string | undefined,
    restrict(hint: { maxAge?: number; scope?: string }) {
      if (hint.maxAge !== undefined && (this.maxAge === undefined || hint.maxAge < this.maxAge)) this.maxAge = hint.maxAge;
      if (hint.scope !== undefined && this.scope !== 'PRIVATE') this.scope = hint.scope;
    },
  };
}
