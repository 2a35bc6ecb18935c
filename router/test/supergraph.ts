import { createAcademicsService } from '@opop/academics/app';
import { loadAcademics } from '@opop/academics/seeder';
import { createCatalogueService } from '@opop/catalogue/app';
import { EMBEDDED_SEARCH, type CatalogueConfig } from '@opop/catalogue/config';
import { loadCatalogue } from '@opop/catalogue/seeder';
import type { DemoWorld } from '@opop/demo-data';
import { createMediaService } from '@opop/media/app';
import { loadMedia } from '@opop/media/seeder';
import { createPartnersService } from '@opop/partners/app';
import { loadPartners } from '@opop/partners/seeder';
import { createPesantrenService } from '@opop/pesantren/app';
import { loadPesantren } from '@opop/pesantren/seeder';
import { federatedReferences, type Database, type EntityReferences, type EntityManager, type SubgraphConfig } from '@opop/server-kit';
import { dropTestSchema, testSubgraphConfig, type TestEngine } from '@opop/server-kit/testing';
import type { SubgraphName } from '../src/subgraphs.ts';

type Service = { server: { close(): Promise<void>; listen(h: string, p: number): Promise<string> }; database: Database };

/** Every subgraph, built the way its server builds it (as in router.e2e.test.ts). */
/**
 * Academics, catalogue, partners and media ask the pesantren subgraph about the pesantren a write
 * names, as under `npm start`; its URL is read at the first write, after every subgraph listens.
 */
const pesantrenOf = (config: SubgraphConfig, urls: Readonly<Record<SubgraphName, string>>, caller: string): EntityReferences => ({
  resolve: (...args) => federatedReferences({ url: urls.pesantren, identitySecret: config.identitySecret, caller }).resolve(...args),
});

/** Partners and media ask the catalogue about the products a write names, likewise. */
const productsOf = (config: SubgraphConfig, urls: Readonly<Record<SubgraphName, string>>, caller: string): EntityReferences => ({
  resolve: (...args) => federatedReferences({ url: urls.catalogue, identitySecret: config.identitySecret, caller }).resolve(...args),
});

/** What a suite changes in a subgraph's configuration (e.g. the catalogue's photo URLs, to name the suite's router). */
export interface SupergraphOptions {
  catalogue?: Partial<CatalogueConfig>;
}

const SERVICES: Record<SubgraphName, { create: (config: SubgraphConfig, urls: Readonly<Record<SubgraphName, string>>, options: SupergraphOptions) => Promise<Service>; load: (em: EntityManager, world: DemoWorld) => Promise<unknown> }> = {
  // No background polling of the search outbox: nothing here waits for the index.
  catalogue: {
    create: (config, urls, options) =>
      createCatalogueService({ ...config, search: { ...EMBEDDED_SEARCH, pollMs: 60_000 }, ...options.catalogue }, { pesantrenReferences: pesantrenOf(config, urls, 'subgraph:catalogue') }),
    load: loadCatalogue,
  },
  pesantren: { create: (config) => createPesantrenService(config), load: loadPesantren },
  academics: { create: (config, urls) => createAcademicsService(config, undefined, { pesantrenReferences: pesantrenOf(config, urls, 'subgraph:academics') }), load: loadAcademics },
  partners: {
    create: (config, urls) =>
      createPartnersService(config, undefined, {
        references: { pesantren: pesantrenOf(config, urls, 'subgraph:partners'), products: productsOf(config, urls, 'subgraph:partners') },
      }),
    load: loadPartners,
  },
  media: {
    create: (config, urls) =>
      createMediaService(config, undefined, {
        references: { pesantren: pesantrenOf(config, urls, 'subgraph:media'), products: productsOf(config, urls, 'subgraph:media') },
      }),
    load: loadMedia,
  },
};
export const SUBGRAPH_NAMES = Object.keys(SERVICES) as SubgraphName[];

export interface Supergraph {
  services: Record<SubgraphName, Service>;
  urls: Record<SubgraphName, string>;
  /** Rows in every table of every subgraph, to show that an attack wrote nothing. */
  rowCounts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The five subgraphs with `world` loaded, each listening on a free port. */
export async function startSupergraph(engine: TestEngine, world: DemoWorld, options: SupergraphOptions = {}): Promise<Supergraph> {
  const services = {} as Record<SubgraphName, Service>;
  const urls = {} as Record<SubgraphName, string>;
  await Promise.all(
    SUBGRAPH_NAMES.map(async (name) => {
      const service = await SERVICES[name].create(testSubgraphConfig(name, engine), urls, options);
      services[name] = service;
      await SERVICES[name].load(service.database.fork(), world);
      urls[name] = await service.server.listen('127.0.0.1', 0);
    }),
  );
  return {
    services,
    urls,
    async rowCounts() {
      const counts: Record<string, number> = {};
      for (const name of SUBGRAPH_NAMES) {
        const { database } = services[name];
        const connection = database.orm.em.getConnection();
        const tables = (await connection.execute(
          `select table_name from information_schema.tables where table_schema = '${database.schema}' and table_type = 'BASE TABLE' order by table_name`,
        )) as { table_name: string }[];
        for (const { table_name: table } of tables) {
          const [row] = (await connection.execute(`select count(*)::int as n from "${database.schema}"."${table}"`)) as { n: number }[];
          counts[`${name}.${table}`] = Number(row?.n ?? 0);
        }
      }
      return counts;
    },
    async close() {
      for (const service of Object.values(services)) {
        await dropTestSchema(service.database);
        await service.server.close();
      }
    },
  };
}
