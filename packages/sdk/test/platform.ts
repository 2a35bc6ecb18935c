import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createAcademicsService } from '@opop/academics/app';
import { loadAcademics } from '@opop/academics/seeder';
import { createCatalogueService } from '@opop/catalogue/app';
import { EMBEDDED_SEARCH } from '@opop/catalogue/config';
import { loadCatalogue } from '@opop/catalogue/seeder';
import type { DemoWorld } from '@opop/demo-data';
import { createMediaService } from '@opop/media/app';
import { loadMedia } from '@opop/media/seeder';
import { createPartnersService } from '@opop/partners/app';
import { loadPartners } from '@opop/partners/seeder';
import { createPesantrenService } from '@opop/pesantren/app';
import { loadPesantren } from '@opop/pesantren/seeder';
import type { Database, EntityManager, SubgraphConfig } from '@opop/server-kit';
import { TEST_ACCESS_TOKEN_SECRET, TEST_IDENTITY_SECRET, dropTestSchema, testSubgraphConfig, type TestEngine } from '@opop/server-kit/testing';
import { createRouter, type Router, type SubgraphName } from '@opop/router';

type Service = {
  server: { close(): Promise<void>; listen(host: string, port: number): Promise<string> };
  database: Database;
  /** The catalogue's search index, built when the service starts: rebuilt once the data is loaded. */
  indexer?: { rebuild(): Promise<unknown> };
};

/** Every subgraph built the way its server builds it, as the router's end-to-end suite does. */
const SERVICES: Record<SubgraphName, { create: (config: SubgraphConfig) => Promise<Service>; load: (em: EntityManager, world: DemoWorld) => Promise<unknown> }> = {
  // No background polling of the outbox: the suite's orders change stock only.
  catalogue: { create: (config) => createCatalogueService({ ...config, search: { ...EMBEDDED_SEARCH, pollMs: 60_000 } }), load: loadCatalogue },
  pesantren: { create: createPesantrenService, load: loadPesantren },
  academics: { create: createAcademicsService, load: loadAcademics },
  partners: { create: createPartnersService, load: loadPartners },
  media: { create: createMediaService, load: loadMedia },
};

export interface Platform {
  /** The router's GraphQL endpoint. */
  api: string;
  /** Stops one subgraph, leaving the router to answer without it. */
  stop(name: SubgraphName): Promise<void>;
  close(): Promise<void>;
}

/** The five subgraphs with `world` loaded and the router in front of them, in this process. */
export async function startPlatform(engine: TestEngine, world: DemoWorld): Promise<Platform> {
  const services = {} as Record<SubgraphName, Service>;
  const urls = {} as Record<SubgraphName, string>;
  const names = Object.keys(SERVICES) as SubgraphName[];
  await Promise.all(
    names.map(async (name) => {
      const service = await SERVICES[name].create(testSubgraphConfig(name, engine));
      services[name] = service;
      await SERVICES[name].load(service.database.fork(), world);
      await service.indexer?.rebuild();
      urls[name] = await service.server.listen('127.0.0.1', 0);
    }),
  );
  const router: Router = await createRouter({
    environment: 'test',
    logLevel: 'silent',
    host: '127.0.0.1',
    port: 0,
    subgraphUrls: urls,
    accessTokenSecret: TEST_ACCESS_TOKEN_SECRET,
    identitySecret: TEST_IDENTITY_SECRET,
    corsOrigins: '*',
    supergraphPath: undefined,
  });
  const api = await router.server.listen('127.0.0.1', 0);
  const stopped = new Set<SubgraphName>();
  const stop = async (name: SubgraphName) => {
    if (stopped.has(name)) return;
    stopped.add(name);
    await dropTestSchema(services[name].database);
    await services[name].server.close();
  };
  return {
    api,
    stop,
    async close() {
      await router.server.close();
      for (const name of names) await stop(name);
    },
  };
}

/** What a test endpoint does with one request: answer it, pass it on to the router, or misbehave. */
export type Behaviour =
  | { status: number; headers?: Record<string, string>; body?: string }
  | 'proxy'
  /** Closes the connection without an answer: fetch fails as on a network error. */
  | 'reset'
  /** Never answers. */
  | 'hang';

export interface TestEndpoint {
  url: string;
  /** The JSON bodies received, in order. */
  requests: Record<string, unknown>[];
  /** When each request arrived (performance.now()). */
  arrivals: number[];
  close(): Promise<void>;
}

/**
 * A local HTTP endpoint in front of the router whose behaviour per request is scripted, for
 * retries, timeouts and aborts against the real API.
 */
export async function testEndpoint(target: string, behave: (attempt: number, body: Record<string, unknown>) => Behaviour): Promise<TestEndpoint> {
  const requests: Record<string, unknown>[] = [];
  const arrivals: number[] = [];
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(text) as Record<string, unknown>;
    arrivals.push(performance.now());
    const behaviour = behave(requests.push(body) - 1, body);
    if (behaviour === 'hang') return;
    if (behaviour === 'reset') {
      request.socket.destroy();
      return;
    }
    if (behaviour === 'proxy') {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      for (const name of ['authorization', 'accept', 'x-api-key']) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const upstream = await fetch(target, { method: 'POST', headers, body: text });
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      response.end(await upstream.text());
      return;
    }
    response.writeHead(behaviour.status, behaviour.headers ?? {});
    response.end(behaviour.body ?? '');
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      response.writeHead(500);
      response.end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    requests,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const BAD_GATEWAY: Behaviour = { status: 502, headers: { 'content-type': 'text/html' }, body: '<h1>502 Bad Gateway</h1>' };
