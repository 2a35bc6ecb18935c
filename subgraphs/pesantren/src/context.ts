import DataLoader from 'dataloader';
import { loaderById, loaderPer, type ColumnRead, type SharedCounts, type SubgraphRequestContext } from '@opop/server-kit';
import type { PesantrenRecord } from './modules/pesantren/pesantren.entity.ts';
import { PesantrenRepository } from './modules/pesantren/pesantren.repository.ts';
import { PesantrenService } from './modules/pesantren/pesantren.service.ts';
import type { RegencyDirectory } from './modules/regency/regency.directory.ts';

/** Per-request state: the caller, a fresh EntityManager, and DataLoaders that batch per request. */
export interface PesantrenContext extends SubgraphRequestContext {
  regencies: RegencyDirectory;
  pesantren: PesantrenRepository;
  pesantrenService: PesantrenService;
  loaders: {
    /**
     * One query for every pesantren the router asks this subgraph to resolve in a request, of the
     * columns the asked fields read (pesantren.reads.ts); a record holds only the properties read.
     */
    pesantrenById: (read: ColumnRead) => DataLoader<string, PesantrenRecord | null>;
    pesantrenCountByRegency: DataLoader<string, number>;
  };
}

/** `counts` are shared by the process's requests (app.ts); a context of its own gets fresh ones. */
export function createPesantrenContext(base: SubgraphRequestContext, regencies: RegencyDirectory, counts: SharedCounts): PesantrenContext {
  const pesantren = new PesantrenRepository(base.em);
  return {
    ...base,
    regencies,
    pesantren,
    pesantrenService: new PesantrenService({ em: base.em, identity: base.identity, logger: base.logger, pesantren, regencies }),
    loaders: {
      pesantrenById: loaderPer((read: ColumnRead) => loaderById((ids) => pesantren.findByIdsToRead(ids, read))),
      pesantrenCountByRegency: new DataLoader(async (codes) => {
        const byRegency = await counts.get(`pesantren-by-regency:${[...codes].sort().join(',')}`, () => pesantren.countByRegency(codes));
        return codes.map((code) => byRegency.get(code) ?? 0);
      }),
    },
  };
}
