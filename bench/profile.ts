import { readFile } from 'node:fs/promises';

/**
 * Where a service's CPU time went, from a V8 CPU profile (`node --cpu-prof`): each sample's self
 * time is charged to the package or layer its function comes from. A sample names the innermost
 * function only, so time inside graphql-js called by Apollo is graphql-js's, and time in V8's own
 * code (JSON, regexes, the garbage collector) is charged to V8 unless a script frame is named.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const LAYERS: [string, (url: string, name: string) => boolean][] = [
  ['identity (the router\'s signature, jose)', (url) => /\/jose\/|server-kit\/src\/identity/.test(url)],
  ['ORM (MikroORM: context fork, queries, hydration)', (url) => /@mikro-orm|\/kysely\//.test(url)],
  ['PostgreSQL driver (pg)', (url) => /\/node_modules\/(pg|pg-protocol|pg-pool|pg-types|postgres-\w+)\//.test(url)],
  ['GraphQL execution (graphql-js)', (url) => /\/node_modules\/graphql\//.test(url)],
  ['Apollo Gateway (query plans, fetches, merging)', (url) => /@apollo\/(gateway|query-planner|federation-internals)/.test(url)],
  ['Apollo Server and its plugins (cache control, usage, subgraph)', (url) => /@apollo\/|apollo-|@graphql-tools/.test(url)],
  ['HTTP client to subgraphs (undici)', (url) => /\/node_modules\/undici\//.test(url)],
  ['OpenTelemetry API (no tracer registered)', (url) => /@opentelemetry/.test(url)],
  ['HTTP (Fastify, its plugins, compression)', (url) => /fastify|find-my-way|avvio|light-my-request|@as-integrations/.test(url)],
  ['logging (pino)', (url) => /\/pino|sonic-boom|thread-stream/.test(url)],
  ['HTTP and streams (Node)', (url) => /^node:(internal\/)?(http|_http|net|stream|internal\/streams|internal\/http|zlib|internal\/stream_base)/.test(url) || /^node:_http/.test(url)],
  ['other Node internals (timers, events, async hooks)', (url) => url.startsWith('node:')],
  ['our code (router, subgraphs, server-kit)', (url) => /\/(router|subgraphs|packages)\//.test(url) && !url.includes('node_modules')],
  ['other packages', (url) => url.includes('node_modules')],
  ['garbage collector', (_url, name) => name === '(garbage collector)'],
  ['idle', (_url, name) => name === '(idle)' || name === '(program)'],
];

export interface ProfileShares {
  /** Busy time per layer, most first, as a share of all busy (not idle) time. */
  layers: { layer: string; share: number }[];
  /** The functions with the most self time, as a share of busy time. */
  functions: { name: string; share: number }[];
  busyMs: number;
}

export async function profileShares(path: string): Promise<ProfileShares> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  // Start-up (loading modules, connecting, migrating) is not serving: samples under the module
  // loader or the main module's first run are left out.
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const startingUp = (id: number): boolean => {
    for (let current: number | undefined = id; current !== undefined; current = parentOf.get(current)) {
      const url = byId.get(current)!.callFrame.url;
      if (url.startsWith('node:internal/modules/') || url === 'node:internal/main/run_main_module') return true;
    }
    return false;
  };
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, index) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const layers = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfTime) {
    const { functionName, url } = byId.get(id)!.callFrame;
    const layer = LAYERS.find(([, matches]) => matches(url, functionName))?.[0] ?? 'V8 (natives: JSON, regexes, compiled code)';
    if (layer === 'idle' || startingUp(id)) continue;
    busy += micros;
    layers.set(layer, (layers.get(layer) ?? 0) + micros);
    const where = url ? url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(router|subgraphs|packages)\//, '$1/') : '';
    const name = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
  }
  const share = (entries: Map<string, number>) => [...entries].sort((a, b) => b[1] - a[1]).map(([name, micros]) => ({ name, share: micros / busy }));
  return {
    layers: share(layers).map(({ name, share: value }) => ({ layer: name, share: value })),
    functions: share(functions).slice(0, 12),
    busyMs: busy / 1000,
  };
}
