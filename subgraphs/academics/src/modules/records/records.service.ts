import { eastJavaToday } from '@opop/identifiers';
import { actorOf, badUserInput, forbidden, parseInput, type EntityManager, type Identity, type Logger } from '@opop/server-kit';
import { GraphQLError } from 'graphql';
import type { StatisticsReleases } from '../stats/releases.ts';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../santri/santri.entity.ts';
import { MIN_PESANTREN_PER_AREA, type RecordArea, type RecordPlaces } from './areas.ts';
import type { PseudonymAudience, SantriPseudonyms } from './pseudonyms.ts';
import { SantriRecordAccess, type AppliedRecordFilter } from './record-access.entity.ts';
import { santriRecordsInput, type SantriRecordsQuery } from './records.input.ts';
import { SantriRecordRepository } from './records.repository.ts';
import type { RecordSelection } from './selection.ts';

/**
 * The one purpose each role may read records for. Guardians consent to each purpose on its own:
 * research by academic partners, or evaluation of the programme by the provincial office. A
 * partner cannot read evaluation data by asking for it, nor the office research data.
 */
const PURPOSE_OF_ROLE: Partial<Record<Identity['role'], ConsentPurpose>> = { academic_partner: 'RESEARCH', programme_admin: 'PROGRAMME_EVALUATION' };

/**
 * Whose pseudonyms the caller receives, once they may read records for `purpose` at all. The
 * schema admits academic partners and programme admins with the records scope; which purpose each
 * may pursue, and that a partner's credential names its partner, the schema cannot say.
 */
function recordAudience(identity: Identity, purpose: ConsentPurpose): PseudonymAudience {
  const allowed = PURPOSE_OF_ROLE[identity.role];
  if (!allowed) throw forbidden(`The role ${identity.role} may not read santri records`);
  if (purpose !== allowed) throw forbidden(`The role ${identity.role} may read santri records for ${allowed} only: guardians consent to each purpose separately`);
  if (identity.role === 'programme_admin') return { kind: 'programme_office' };
  // Pseudonyms are keyed per partner; a partner credential without its partner could only get someone else's.
  if (!identity.partnerId) throw forbidden('Santri records are pseudonymised per partner: use a credential issued to your partner (an API key)');
  return { kind: 'partner', partnerId: identity.partnerId };
}

const appliedFilter = (filter: SantriRecordsQuery['filter']): AppliedRecordFilter => ({
  regencyCodes: filter?.regencyCodes ?? null,
  areaCodes: filter?.areaCodes ?? null,
  programmeKinds: filter?.programmeKinds ?? null,
  genders: filter?.genders ?? null,
  birthYears: filter?.birthYears ?? null,
  intakeYears: filter?.intakeYears ?? null,
});

/** Today as the consent dates count it: in East Java (WIB), as the consent inputs are checked. */
const today = () => eastJavaToday();

const NO_FILTER: AppliedRecordFilter = { regencyCodes: null, areaCodes: null, programmeKinds: null, genders: null, birthYears: null, intakeYears: null };

/**
 * Checks the place filters against the areas records are published in, and turns area codes into
 * their regencies. A regency pooled into an area cannot be asked for alone: its records would
 * then be known to come from it.
 */
function placeFilter(filter: AppliedRecordFilter, areas: ReadonlyMap<string, RecordArea>): string[] | null {
  filter.regencyCodes?.forEach((code, index) => {
    const area = areas.get(code);
    if (area?.generalised) {
      throw badUserInput(`is published as part of ${area.name} (${area.code}), which pools regencies with fewer than ${MIN_PESANTREN_PER_AREA} pesantren: filter by areaCodes: ["${area.code}"]`, `arguments.filter.regencyCodes.${index}`);
    }
  });
  if (!filter.areaCodes) return null;
  const byCode = new Map([...areas.values()].map((area) => [area.code, area]));
  return filter.areaCodes.flatMap((code, index) => {
    const area = byCode.get(code);
    if (!area) throw badUserInput('is not an area santri records are published in', `arguments.filter.areaCodes.${index}`);
    return area.regencies;
  });
}

/** For each kind asked for, the regencies whose records show it. */
function kindsShown(kinds: readonly string[], places: RecordPlaces): Map<string, string[]> {
  return new Map(kinds.map((kind) => [kind, [...places.areas.keys()].filter((regency) => places.showsKind(regency, kind))]));
}

const areaOf = (areas: ReadonlyMap<string, RecordArea>, regencyCode: string): RecordArea =>
  areas.get(regencyCode) ?? { code: regencyCode, name: regencyCode, regencies: [regencyCode], generalised: false };

/**
 * Record-level santri data and its audit log: one instance per request, reading as its caller.
 * Every request is audited, answered or refused.
 */
export class SantriRecordsService {
  readonly #em: EntityManager;
  readonly #identity: Identity;
  readonly #logger: Logger;
  readonly #releases: StatisticsReleases;
  readonly #pseudonyms: SantriPseudonyms;

  constructor(deps: { em: EntityManager; identity: Identity; logger: Logger; releases: StatisticsReleases; pseudonyms: SantriPseudonyms }) {
    this.#em = deps.em;
    this.#identity = deps.identity;
    this.#logger = deps.logger;
    this.#releases = deps.releases;
    this.#pseudonyms = deps.pseudonyms;
  }

  /** One page of records, or the refusal; either way audited. */
  async read(args: Record<string, unknown> & { purpose: ConsentPurpose }, selection: RecordSelection) {
    try {
      return await this.#read(args, selection);
    } catch (error) {
      const refusal = error instanceof GraphQLError ? error : new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      await this.auditRefusal(args, selection.fields, refusal);
      throw error;
    }
  }

  /**
   * Writes a refused request to the audit log, on its own: what was asked as far as it could be
   * read, and the refusal the caller gets. A failure to write is logged, and the caller still gets
   * the refusal (refusing never depends on the log).
   */
  async auditRefusal(args: Record<string, unknown>, fields: string[], error: GraphQLError): Promise<void> {
    const parsed = santriRecordsInput.safeParse(args);
    // GraphQL has checked the purpose against its enum before any resolver (or refusal) runs.
    const purpose = CONSENT_PURPOSES.find((known) => known === args['purpose']) ?? 'RESEARCH';
    try {
      const em = this.#em.fork();
      em.create(SantriRecordAccess, {
        subject: this.#identity.subject ?? this.#identity.role,
        role: this.#identity.role,
        partnerId: this.#identity.partnerId ?? null,
        purpose,
        filter: parsed.success ? appliedFilter(parsed.data.filter) : NO_FILTER,
        fields,
        recordCount: 0,
        santriIds: [],
        refusal: `${String(error.extensions['code'] ?? 'REFUSED')}: ${error.message}`.slice(0, 500),
      });
      await em.flush();
    } catch (failure) {
      this.#logger.error({ err: failure }, 'could not audit a refused santri record request');
    }
  }

  /** One page of records, audited with the read; any refusal is thrown before anything is read. */
  async #read(args: Record<string, unknown> & { purpose: ConsentPurpose }, selection: RecordSelection) {
    const audience = recordAudience(this.#identity, args.purpose);
    const query = parseInput(santriRecordsInput, args, 'arguments');
    const filter = appliedFilter(query.filter);
    const release = await this.#releases.current(this.#em);
    const places = await new SantriRecordRepository(this.#em).places(release);
    const { areas } = places;
    const areaRegencyCodes = placeFilter(filter, areas);
    const kindRegencies = filter.programmeKinds ? kindsShown(filter.programmeKinds, places) : null;
    const keys = this.#pseudonyms.for(audience);
    const listing = JSON.stringify([query.purpose, filter]);
    const afterId = query.after ? keys.openCursor(query.after, listing) : undefined;
    if (query.after && !afterId) throw badUserInput('is not a cursor this listing issued', 'arguments.after');
    const consented = { purpose: query.purpose, release, asOf: today(), filter, areaRegencyCodes, kindRegencies };

    const sendsRecords = selection.nodes;
    // The audit row commits with the read or not at all: if it cannot be written, nothing is returned.
    const page = await this.#em.transactional(async (tx: EntityManager) => {
      const records = new SantriRecordRepository(tx);
      const found = await records.consentedPage(consented, afterId, query.first + 1);
      const rows = found.slice(0, query.first);
      const totalCount = selection.totalCount ? await records.countConsented(consented) : null;
      tx.create(SantriRecordAccess, {
        subject: actorOf(this.#identity),
        role: this.#identity.role,
        partnerId: audience.kind === 'partner' ? audience.partnerId : null,
        purpose: query.purpose,
        filter,
        fields: selection.fields,
        // What left: the records themselves only when the listing's nodes were asked for.
        recordCount: sendsRecords ? rows.length : 0,
        santriIds: sendsRecords ? rows.map((row) => row.id) : [],
        refusal: null,
      });
      await tx.flush();
      return { rows, hasNextPage: found.length > query.first, totalCount };
    });

    const last = page.rows.at(-1);
    return {
      nodes: page.rows.map((row) => {
        const area = areaOf(areas, row.regency_code);
        return {
          pseudonym: keys.pseudonym(row.id),
          birthYear: row.birth_year,
          gender: row.gender,
          programmeKind: places.showsKind(row.regency_code, row.programme_kind) ? row.programme_kind : null,
          intakeYear: row.intake_year,
          regency: area.generalised ? null : { code: row.regency_code },
          area: { code: area.code, name: area.name, generalised: area.generalised, regencies: area.regencies.map((code) => ({ code })), minPesantren: MIN_PESANTREN_PER_AREA },
        };
      }),
      pageInfo: { hasNextPage: page.hasNextPage, hasPreviousPage: Boolean(afterId), startCursor: null, endCursor: last ? keys.sealCursor(last.id, listing) : null },
      // Only resolved when selected, and then counted above.
      totalCount: page.totalCount ?? 0,
    };
  }
}
