import DataLoader from 'dataloader';
import { byKey, loaderById, loaderOfGroups, type SubgraphRequestContext } from '@opop/server-kit';
import type { EntrepreneurshipLab } from './modules/lab/lab.entity.ts';
import { LabRepository } from './modules/lab/lab.repository.ts';
import { LabService } from './modules/lab/lab.service.ts';
import type { Programme } from './modules/programme/programme.entity.ts';
import { ProgrammeRepository } from './modules/programme/programme.repository.ts';
import { ProgrammeService, type PesantrenRegister } from './modules/programme/programme.service.ts';
import type { SantriPseudonyms } from './modules/records/pseudonyms.ts';
import { SantriRecordRepository } from './modules/records/records.repository.ts';
import { SantriRecordsService } from './modules/records/records.service.ts';
import { SantriRepository } from './modules/santri/santri.repository.ts';
import { SantriService } from './modules/santri/santri.service.ts';
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
  programmes: ProgrammeRepository;
  labs: LabRepository;
  santri: SantriRepository;
  records: SantriRecordRepository;
  programmeService: ProgrammeService;
  labService: LabService;
  santriService: SantriService;
  recordsService: SantriRecordsService;
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

export function createAcademicsContext(
  base: SubgraphRequestContext,
  pseudonyms: SantriPseudonyms,
  releases: StatisticsReleases,
  pesantren: PesantrenRegister | undefined,
): AcademicsContext {
  const { em, identity, logger } = base;
  const programmes = new ProgrammeRepository(em);
  const labs = new LabRepository(em);
  const santri = new SantriRepository(em);
  return {
    ...base,
    pseudonyms,
    releases,
    programmes,
    labs,
    santri,
    records: new SantriRecordRepository(em),
    programmeService: new ProgrammeService(em, identity, pesantren),
    labService: new LabService(em, identity, labs),
    santriService: new SantriService({ em, identity, logger, santri, programmes }),
    recordsService: new SantriRecordsService({ em, identity, logger, releases, pseudonyms }),
    loaders: {
      programmeById: loaderById((ids) => programmes.findByIds(ids)),
      labById: loaderById((ids) => labs.findByIds(ids)),
      programmesByPesantren: loaderOfGroups((ids) => programmes.firstOfPesantren(ids)),
      labsByPesantren: loaderOfGroups((ids) => labs.firstOfPesantren(ids)),
      santriCounts: new DataLoader(async (ids) => byKey(ids, await santri.enrolmentByPesantren(await releases.current(em), ids), new Map())),
    },
  };
}
