import DataLoader from 'dataloader';
import { raw } from '@mikro-orm/core';
import type { EntityManager, SubgraphRequestContext } from '@opop/server-kit';
import { EntrepreneurshipLab } from './modules/lab/lab.entity.ts';
import { Programme } from './modules/programme/programme.entity.ts';
import type { SantriPseudonyms } from './modules/records/pseudonyms.ts';
import { Santri } from './modules/santri/santri.entity.ts';
import { KEY_MODULUS, type CellTotal } from './modules/stats/perturbation.ts';

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
  loaders: {
    programmeById: DataLoader<string, Programme | null>;
    labById: DataLoader<string, EntrepreneurshipLab | null>;
    programmesByPesantren: DataLoader<string, Programme[]>;
    labsByPesantren: DataLoader<string, EntrepreneurshipLab[]>;
    /** Santri (count and cell key) per programme of each pesantren: one grouped query serves programme and pesantren counts. */
    santriCounts: DataLoader<string, Map<string, CellTotal>>;
  };
}

const byKey = <K, V>(keys: readonly K[], found: Map<K, V>, fallback: V) => keys.map((key) => found.get(key) ?? fallback);

async function santriCountsByPesantren(em: EntityManager, pesantrenIds: readonly string[]): Promise<Map<string, Map<string, CellTotal>>> {
  const rows = await em
    .createQueryBuilder(Santri, 's')
    .select(['s.pesantrenId', 's.programme', raw('count(*)::int as total'), raw(`(sum(s.record_key) % ${KEY_MODULUS})::text as key_sum`)])
    .where({ pesantrenId: { $in: [...pesantrenIds] } })
    .groupBy(['s.pesantrenId', 's.programme'])
    .execute<{ pesantren_id: string; programme_id: string; total: number | string; key_sum: string }[]>('all', false);
  const counts = new Map<string, Map<string, CellTotal>>();
  for (const row of rows) {
    const perProgramme = counts.get(row.pesantren_id) ?? new Map<string, CellTotal>();
    perProgramme.set(row.programme_id, { count: Number(row.total), keySum: Number(row.key_sum) });
    counts.set(row.pesantren_id, perProgramme);
  }
  return counts;
}

export function createAcademicsContext(base: SubgraphRequestContext, pseudonyms: SantriPseudonyms): AcademicsContext {
  const { em } = base;
  return {
    ...base,
    pseudonyms,
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
      santriCounts: new DataLoader(async (ids) => byKey(ids, await santriCountsByPesantren(em, ids), new Map())),
    },
  };
}
