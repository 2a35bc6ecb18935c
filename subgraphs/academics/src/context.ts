import DataLoader from 'dataloader';
import { raw } from '@mikro-orm/core';
import type { EntityManager, SubgraphRequestContext } from '@opop/server-kit';
import { EntrepreneurshipLab } from './modules/lab/lab.entity.ts';
import { Programme } from './modules/programme/programme.entity.ts';
import type { SantriPseudonyms } from './modules/records/pseudonyms.ts';
import { Santri } from './modules/santri/santri.entity.ts';
import type { CellTotal } from './modules/stats/perturbation.ts';
import type { StatisticsReleases } from './modules/stats/releases.ts';

/** How academics sees the pesantren subgraph's entity: by key only. */
export interface PesantrenReference {
  id: string;
}

/** The public education summary of one pesantren; its fields load in batches. */
export interface AcademicSummaryParent {
  pesantrenId: string;
}

export interface AcademicsContext extends SubgraphRequestContext {
  /** Keys of the pseudonyms and cursors of record-level access. */
  pseudonyms: SantriPseudonyms;
  /** The release statistics and public counts are read from. */
  releases: StatisticsReleases;
  loaders: {
    programmeById: DataLoader<string, Programme | null>;
    labById: DataLoader<string, EntrepreneurshipLab | null>;
    programmesByPesantren: DataLoader<string, Programme[]>;
    labsByPesantren: DataLoader<string, EntrepreneurshipLab[]>;
    /**
     * Each pesantren's santri (count and cell key) in the current release: per programme kind,
     * and in all under `ALL`. One query serves programme and pesantren counts.
     */
    santriCounts: DataLoader<string, Map<string, CellTotal>>;
  };
}

const byKey = <K, V>(keys: readonly K[], found: Map<K, V>, fallback: V) => keys.map((key) => found.get(key) ?? fallback);

async function santriCountsByPesantren(em: EntityManager, releases: StatisticsReleases, pesantrenIds: readonly string[]): Promise<Map<string, Map<string, CellTotal>>> {
  const schema = em.config.get('schema');
  const release = await releases.current(em);
  const rows = await em.getConnection().execute<{ pesantren_id: string; dimension: string; value: string; santri: number; key_sum: string }[]>(
    `select pesantren_id, dimension, value, santri, key_sum::text as key_sum from "${schema}"."pesantren_enrolment_margin"
     where release = ? and dimension in ('ALL', 'PROGRAMME') and pesantren_id in (${pesantrenIds.map(() => '?').join(', ')})`,
    [release, ...pesantrenIds],
  );
  const counts = new Map<string, Map<string, CellTotal>>();
  for (const row of rows) {
    const perKind = counts.get(row.pesantren_id) ?? new Map<string, CellTotal>();
    perKind.set(row.dimension === 'ALL' ? 'ALL' : row.value, { count: Number(row.santri), keySum: Number(row.key_sum) });
    counts.set(row.pesantren_id, perKind);
  }
  return counts;
}

export function createAcademicsContext(base: SubgraphRequestContext, pseudonyms: SantriPseudonyms, releases: StatisticsReleases): AcademicsContext {
  const { em } = base;
  return {
    ...base,
    pseudonyms,
    releases,
    loaders: {
      programmeById: new DataLoader(async (ids) => byKey(ids, new Map((await em.find(Programme, { id: { $in: [...ids] } })).map((p) => [p.id, p])), null)),
      labById: new DataLoader(async (ids) => byKey(ids, new Map((await em.find(EntrepreneurshipLab, { id: { $in: [...ids] } })).map((l) => [l.id, l])), null)),
      programmesByPesantren: new DataLoader(async (ids) => {
        const programmes = await em.find(Programme, { pesantrenId: { $in: [...ids] } }, { orderBy: { kind: 'asc', name: 'asc' } });
        return byKey(ids, Map.groupBy(programmes, (p) => p.pesantrenId), []);
      }),
      labsByPesantren: new DataLoader(async (ids) => {
        const labs = await em.find(EntrepreneurshipLab, { pesantrenId: { $in: [...ids] } }, { orderBy: { name: 'asc' } });
        return byKey(ids, Map.groupBy(labs, (l) => l.pesantrenId), []);
      }),
      santriCounts: new DataLoader(async (ids) => byKey(ids, await santriCountsByPesantren(em, releases, ids), new Map())),
    },
  };
}
