import { badUserInput, forbidden, pageCursor, parseInput, requireRole, selectsField, toConnection, type EntityManager, type Identity } from '@opop/server-kit';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import { RECORDS_SCOPE, requireScope } from '../../access.ts';
import type { AcademicsContext } from '../../context.ts';
import type { Resolvers } from '../../generated/graphql.ts';
import { CONSENT_PURPOSES, type ConsentPurpose } from '../santri/santri.entity.ts';
import { MIN_PESANTREN_PER_AREA, recordPlaces, type RecordArea, type RecordPlaces } from './areas.ts';
import type { PseudonymAudience } from './pseudonyms.ts';
import { SantriRecordAccess, type AppliedRecordFilter } from './record-access.entity.ts';
import { recordAccessLogInput, santriRecordsInput, type SantriRecordsQuery } from './records.input.ts';
import { consentedSantriPage, countConsentedSantri } from './santri-records.ts';
import { selectedFieldPaths } from './selection.ts';

/**
 * The one purpose each role may read records for. Guardians consent to each purpose on its own:
 * research by academic partners, or evaluation of the programme by the provincial office. A
 * partner cannot read evaluation data by asking for it, nor the office research data.
 */
const PURPOSE_OF_ROLE = { academic_partner: 'RESEARCH', programme_admin: 'PROGRAMME_EVALUATION' } as const satisfies Record<string, ConsentPurpose>;

const LOG_SCOPE = 'santriRecordAccess.NEWEST';

/** Whose pseudonyms the caller receives, once they may read records for `purpose` at all. */
function recordAudience(identity: Identity, purpose: ConsentPurpose): PseudonymAudience {
  const caller = requireRole(identity, ['academic_partner', 'programme_admin'], 'read santri records');
  requireScope(caller, RECORDS_SCOPE, 'read santri records');
  const allowed = PURPOSE_OF_ROLE[caller.role];
  if (purpose !== allowed) throw forbidden(`The role ${caller.role} may read santri records for ${allowed} only: guardians consent to each purpose separately`);
  if (caller.role === 'programme_admin') return { kind: 'programme_office' };
  // Pseudonyms are keyed per partner; a partner credential without its partner could only get someone else's.
  if (!caller.partnerId) throw forbidden('Santri records are pseudonymised per partner: use a credential issued to your partner (an API key)');
  return { kind: 'partner', partnerId: caller.partnerId };
}

const appliedFilter = (filter: SantriRecordsQuery['filter']): AppliedRecordFilter => ({
  regencyCodes: filter?.regencyCodes ?? null,
  areaCodes: filter?.areaCodes ?? null,
  programmeKinds: filter?.programmeKinds ?? null,
  genders: filter?.genders ?? null,
  birthYears: filter?.birthYears ?? null,
  intakeYears: filter?.intakeYears ?? null,
});

/** Today as the consent dates count it: the ISO date in UTC, as the consent inputs are checked. */
const today = () => new Date().toISOString().slice(0, 10);

const NO_FILTER: AppliedRecordFilter = { regencyCodes: null, areaCodes: null, programmeKinds: null, genders: null, birthYears: null, intakeYears: null };

/**
 * Writes a refused request to the audit log, on its own: what was asked as far as it could be
 * read, and the refusal the caller gets. A failure to write is logged, and the caller still gets
 * the refusal (refusing never depends on the log).
 */
export async function auditRefusal(ctx: AcademicsContext, args: Record<string, unknown>, info: GraphQLResolveInfo, error: GraphQLError): Promise<void> {
  const parsed = santriRecordsInput.safeParse(args);
  // GraphQL has checked the purpose against its enum before any resolver (or refusal) runs.
  const purpose = CONSENT_PURPOSES.find((known) => known === args['purpose']) ?? 'RESEARCH';
  try {
    const em = ctx.em.fork();
    em.create(SantriRecordAccess, {
      subject: ctx.identity.subject ?? ctx.identity.role,
      role: ctx.identity.role,
      partnerId: ctx.identity.partnerId ?? null,
      purpose,
      filter: parsed.success ? appliedFilter(parsed.data.filter) : NO_FILTER,
      fields: selectedFieldPaths(info),
      recordCount: 0,
      santriIds: [],
      refusal: `${String(error.extensions['code'] ?? 'REFUSED')}: ${error.message}`.slice(0, 500),
    });
    await em.flush();
  } catch (failure) {
    ctx.logger.error({ err: failure }, 'could not audit a refused santri record request');
  }
}

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

export const recordsResolvers: Resolvers = {
  Query: {
    santriRecords: async (_parent, args, ctx, info) => {
      try {
        return await readSantriRecords(args, ctx, info);
      } catch (error) {
        const refusal = error instanceof GraphQLError ? error : new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
        await auditRefusal(ctx, args, info, refusal);
        throw error;
      }
    },

    santriRecordAccessLog: async (_parent, args, ctx, info) => {
      requireRole(ctx.identity, ['programme_admin'], 'read the santri record audit log');
      const query = parseInput(recordAccessLogInput, args, 'arguments');
      const after = pageCursor(query.after, LOG_SCOPE);
      const cursor = await ctx.em.findByCursor(SantriRecordAccess, {
        where: query.partnerId ? { partnerId: query.partnerId.toLowerCase() } : {},
        first: query.first,
        ...(after ? { after } : {}),
        orderBy: { at: 'desc', id: 'desc' },
        includeCount: selectsField(info, 'totalCount'),
      });
      const connection = toConnection(cursor, LOG_SCOPE);
      return { ...connection, totalCount: connection.totalCount ?? 0 };
    },
  },
};

/** One page of records, audited with the read; any refusal is thrown before anything is read. */
async function readSantriRecords(args: Record<string, unknown> & { purpose: ConsentPurpose }, ctx: AcademicsContext, info: GraphQLResolveInfo) {
  const audience = recordAudience(ctx.identity, args.purpose);
  const query = parseInput(santriRecordsInput, args, 'arguments');
  const filter = appliedFilter(query.filter);
  const release = await ctx.releases.current(ctx.em);
  const places = await recordPlaces(ctx.em, release);
  const { areas } = places;
  const areaRegencyCodes = placeFilter(filter, areas);
  const kindRegencies = filter.programmeKinds ? kindsShown(filter.programmeKinds, places) : null;
  const keys = ctx.pseudonyms.for(audience);
  const listing = JSON.stringify([query.purpose, filter]);
  const afterId = query.after ? keys.openCursor(query.after, listing) : undefined;
  if (query.after && !afterId) throw badUserInput('is not a cursor this listing issued', 'arguments.after');
  const consented = { purpose: query.purpose, release, asOf: today(), filter, areaRegencyCodes, kindRegencies };

  const sendsRecords = selectsField(info, 'nodes');
  // The audit row commits with the read or not at all: if it cannot be written, nothing is returned.
  const page = await ctx.em.transactional(async (tx: EntityManager) => {
    const found = await consentedSantriPage(tx, consented, afterId, query.first + 1);
    const rows = found.slice(0, query.first);
    const totalCount = selectsField(info, 'totalCount') ? await countConsentedSantri(tx, consented) : null;
    tx.create(SantriRecordAccess, {
      subject: ctx.identity.subject ?? 'unknown',
      role: ctx.identity.role,
      partnerId: audience.kind === 'partner' ? audience.partnerId : null,
      purpose: query.purpose,
      filter,
      fields: selectedFieldPaths(info),
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
