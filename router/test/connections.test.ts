import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubgraphConnections } from '../src/connections.ts';

/** The gateway reads subgraph answers through this fetcher: what it reads must be what was sent. */
describe('the fetcher to the subgraphs', () => {
  let server: Server;
  let url: string;
  const received: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = [];
  const connections = new SubgraphConnections(4);

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      let body = '';
      for await (const chunk of request) body += chunk;
      received.push({ method: request.method, url: request.url, headers: request.headers, body });
      if (request.url?.startsWith('/down')) {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"errors":[{"message":"down"}]}');
        return;
      }
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.setHeader('cache-control', 'max-age=60, public');
      response.setHeader('x-opop-part', ['one', 'two']);
      response.end(JSON.stringify({ data: { echo: JSON.parse(body) } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await connections.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, path, headers and body, and reads status, headers and JSON', async () => {
    const response = await connections.fetcher(`${url}/graphql?x=1`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-opop-identity': 'token' }, body: '{"query":"{ a }"}' });
    expect(received.at(-1)).toMatchObject({ method: 'POST', url: '/graphql?x=1', headers: { 'x-opop-identity': 'token' }, body: '{"query":"{ a }"}' });
    expect([response.status, response.ok, response.statusText]).toEqual([200, true, 'OK']);
    expect(response.headers.get('Cache-Control')).toBe('max-age=60, public');
    expect(response.headers.get('x-opop-part')).toBe('one, two');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.has('set-cookie')).toBe(false);
    expect(await response.clone().text()).toBe('{"data":{"echo":{"query":"{ a }"}}}');
    expect(await response.json()).toEqual({ data: { echo: { query: '{ a }' } } });
    expect(response.bodyUsed).toBe(true);
  });

  it('answers an error status as not ok, with its body, for the gateway to explain', async () => {
    const response = await connections.fetcher(`${url}/down`, { method: 'POST', headers: {}, body: '{}' });
    expect([response.status, response.ok, response.statusText]).toEqual([503, false, 'Service Unavailable']);
    expect(await response.json()).toEqual({ errors: [{ message: 'down' }] });
  });

  it('fails (for the gateway to report the subgraph unavailable) when nothing listens', async () => {
    await expect(connections.fetcher('http://127.0.0.1:9/graphql', { method: 'POST', headers: {}, body: '{}' })).rejects.toThrow();
  });
});
