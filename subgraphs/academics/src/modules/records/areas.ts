import { EAST_JAVA_REGENCIES, regencyDisplayName } from '@opop/identifiers';
import type { EntityManager } from '@opop/server-kit';

/**
 * Where a santri record says it is from. A record gives birth year, gender, programme and intake
 * year; with a regency that holds one or two pesantren, that names the pesantren, and a pesantren
 * with those four facts can name a child. So a regency with fewer than MIN_PESANTREN_PER_AREA
 * pesantren (that have santri) is published as part of an area: the small regencies of its group
 * of neighbours pooled, with more of the group added, smallest first, until the area holds enough
 * pesantren. A group that cannot reach that on its own joins a province-wide area.
 */
export const MIN_PESANTREN_PER_AREA = 5;

/**
 * Neighbouring regencies and cities of East Java, each group contiguous on the map: the western
 * and southern Mataraman, the north coast, greater Surabaya, greater Malang, the two halves of
 * the Tapal Kuda, and Madura. Ours, for generalisation only; not an administrative division.
 */
export const REGENCY_GROUPS: readonly { code: string; name: string; regencies: readonly string[] }[] = [
  { code: 'W-MADIUN', name: 'Wilayah Madiun', regencies: ['3501', '3502', '3519', '3520', '3521', '3577'] },
  { code: 'W-KEDIRI', name: 'Wilayah Kediri', regencies: ['3503', '3504', '3505', '3506', '3518', '3571', '3572'] },
  { code: 'W-BOJONEGORO', name: 'Wilayah Bojonegoro', regencies: ['3522', '3523', '3524'] },
  { code: 'W-SURABAYA', name: 'Wilayah Surabaya', regencies: ['3515', '3516', '3517', '3525', '3576', '3578'] },
  { code: 'W-MALANG', name: 'Wilayah Malang', regencies: ['3507', '3514', '3573', '3575', '3579'] },
  { code: 'W-JEMBER', name: 'Wilayah Jember', regencies: ['3508', '3509', '3513', '3574'] },
  { code: 'W-BANYUWANGI', name: 'Wilayah Banyuwangi', regencies: ['3510', '3511', '3512'] },
  { code: 'W-MADURA', name: 'Wilayah Madura', regencies: ['3526', '3527', '3528', '3529'] },
];

const PROVINCE_AREA = { code: 'W-JATIM', name: 'Jawa Timur (wilayah kecil digabung)' };

/** What a record shows of its place: one regency, or an area of several. */
export interface RecordArea {
  code: string;
  name: string;
  regencies: string[];
  generalised: boolean;
}

const NAMES = new Map(EAST_JAVA_REGENCIES.map((regency) => [regency.code, regencyDisplayName(regency)]));

/** Each regency's area, from how many pesantren with santri each regency holds. Pure, for tests. */
export function recordAreas(pesantrenPerRegency: ReadonlyMap<string, number>): Map<string, RecordArea> {
  const areas = new Map<string, RecordArea>();
  const count = (codes: readonly string[]) => codes.reduce((sum, code) => sum + (pesantrenPerRegency.get(code) ?? 0), 0);
  const leftOver: string[] = [];
  const grouped = new Set(REGENCY_GROUPS.flatMap((group) => group.regencies));
  const groups = [...REGENCY_GROUPS, ...[...pesantrenPerRegency.keys()].filter((code) => !grouped.has(code)).map((code) => ({ code: `W-${code}`, name: NAMES.get(code) ?? code, regencies: [code] }))];

  for (const group of groups) {
    // A regency without pesantren has no records to hide, and would only pull others in.
    const bySize = group.regencies.filter((code) => count([code]) > 0).sort((a, b) => count([a]) - count([b]) || a.localeCompare(b));
    const pooled = bySize.filter((code) => count([code]) < MIN_PESANTREN_PER_AREA);
    for (const code of bySize) {
      if (pooled.length === 0 || count(pooled) >= MIN_PESANTREN_PER_AREA) break;
      if (!pooled.includes(code)) pooled.push(code);
    }
    if (pooled.length > 0 && count(pooled) < MIN_PESANTREN_PER_AREA) {
      leftOver.push(...pooled);
      pooled.length = 0;
    }
    for (const code of group.regencies) {
      if (!pooled.includes(code) && !leftOver.includes(code)) areas.set(code, { code, name: NAMES.get(code) ?? code, regencies: [code], generalised: false });
    }
    if (pooled.length > 0) {
      const regencies = pooled.sort();
      const area = { code: group.code, name: group.name, regencies, generalised: true };
      for (const code of regencies) areas.set(code, area);
    }
  }
  if (leftOver.length > 0) {
    // Too few pesantren in a whole group: all such groups together, with the smallest other
    // regencies of the province added while that is still too few, then the other pooled areas.
    const others = [...areas.values()]
      .filter((area) => !area.generalised && count([area.code]) > 0)
      .map((area) => area.code)
      .sort((a, b) => count([a]) - count([b]) || a.localeCompare(b));
    for (const code of others) {
      if (count(leftOver) >= MIN_PESANTREN_PER_AREA) break;
      leftOver.push(code);
    }
    const pooledAreas = [...new Set([...areas.values()].filter((area) => area.generalised))].sort((a, b) => count(a.regencies) - count(b.regencies));
    for (const area of pooledAreas) {
      if (count(leftOver) >= MIN_PESANTREN_PER_AREA) break;
      leftOver.push(...area.regencies);
    }
    const area = { ...PROVINCE_AREA, regencies: [...new Set(leftOver)].sort(), generalised: true };
    for (const code of area.regencies) areas.set(code, area);
  }
  return areas;
}

/** How records show their place and programme, as of one statistics release. */
export interface RecordPlaces {
  areas: ReadonlyMap<string, RecordArea>;
  /** The pesantren of the release: records of any other (new since) wait for the next release. */
  pesantren: ReadonlySet<string>;
  /**
   * Whether a record of this regency may show this programme kind. An area withholds the kinds
   * fewer than MIN_PESANTREN_PER_AREA of its pesantren run, and then more, least run first, until
   * the pesantren running any withheld kind are that many too: "withheld" must not itself point to
   * a few pesantren (an area whose only withheld kind is one pesantren's SMK would name it).
   */
  showsKind: (regencyCode: string, kind: string) => boolean;
}

/** The kinds each area withholds, from the pesantren running each kind there. Pure, for tests. */
export function withheldKinds(pesantrenByKind: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const kinds = [...pesantrenByKind].sort((a, b) => a[1].size - b[1].size || a[0].localeCompare(b[0]));
  const withheld = new Set(kinds.filter(([, pesantren]) => pesantren.size < MIN_PESANTREN_PER_AREA).map(([kind]) => kind));
  const running = () => new Set(kinds.filter(([kind]) => withheld.has(kind)).flatMap(([, pesantren]) => [...pesantren])).size;
  for (const [kind] of kinds) {
    if (withheld.size === 0 || running() >= MIN_PESANTREN_PER_AREA) break;
    withheld.add(kind);
  }
  return withheld;
}

/**
 * The places of records as of a statistics release: counted from the release, not the live
 * records, so they change once a year with it (and cannot be moved by adding a programme today).
 */
export async function recordPlaces(em: EntityManager, release: string): Promise<RecordPlaces> {
  const schema = em.config.get('schema');
  const rows = await em.getConnection().execute<{ regency_code: string; programme_kind: string; pesantren_id: string }[]>(
    `select distinct regency_code, programme_kind, pesantren_id from "${schema}"."pesantren_enrolment_count" where release = ?`,
    [release],
    'all',
    em.getTransactionContext(),
  );
  const perRegency = new Map<string, Set<string>>();
  for (const row of rows) perRegency.set(row.regency_code, (perRegency.get(row.regency_code) ?? new Set()).add(row.pesantren_id));
  const areas = recordAreas(new Map([...perRegency].map(([code, pesantren]) => [code, pesantren.size])));
  const byArea = new Map<string, Map<string, Set<string>>>();
  for (const row of rows) {
    const area = areas.get(row.regency_code)!.code;
    const kinds = byArea.get(area) ?? new Map<string, Set<string>>();
    kinds.set(row.programme_kind, (kinds.get(row.programme_kind) ?? new Set()).add(row.pesantren_id));
    byArea.set(area, kinds);
  }
  const withheld = new Map([...byArea].map(([area, kinds]) => [area, withheldKinds(kinds)]));
  return {
    areas,
    pesantren: new Set(rows.map((row) => row.pesantren_id)),
    showsKind: (regencyCode, kind) => {
      const area = areas.get(regencyCode)?.code;
      return area !== undefined && !withheld.get(area)?.has(kind);
    },
  };
}
