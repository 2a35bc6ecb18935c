import {
  badUserInput,
  canManagePesantren,
  forbidden,
  isUuid,
  notFound,
  parseId,
  parseInput,
  requireRole,
} from '@opop/server-kit';
import type { AcademicsContext } from '../../context.ts';
import type { ConsentStatus, Resolvers } from '../../generated/graphql.ts';
import { EntrepreneurshipLab } from '../lab/lab.entity.ts';
import { ConsentEvent, Santri, type ConsentPurpose } from '../santri/santri.entity.ts';
import { PesantrenPlace, Programme, roundToTens } from './programme.entity.ts';
import { addToEnrolmentCounts } from '../stats/enrolment-stats.ts';
import { EMPTY_CELL, publishedToTens } from '../stats/perturbation.ts';
import { createProgrammeInput, enrolSantriInput, guardianConsentInput, labActivityInput, withdrawnOnInput } from './programme.input.ts';

const MANAGERS = ['pesantren_operator', 'programme_admin'] as const;

/** The current consent per purpose: the latest event of each. */
async function consentStatus(ctx: AcademicsContext, santri: Santri): Promise<ConsentStatus[]> {
  const events = await ctx.em.find(ConsentEvent, { santri }, { orderBy: { recordedAt: 'asc', id: 'asc' } });
  const latest = new Map<ConsentPurpose, ConsentEvent>();
  for (const event of events) latest.set(event.purpose, event);
  return [...latest.values()].map((event) => ({ purpose: event.purpose, granted: event.granted, since: event.effectiveOn }));
}

/** Loads a santri the caller may manage; unknown and foreign santri are answered alike. */
async function managedSantri(ctx: AcademicsContext, pseudonymousId: string): Promise<Santri> {
  requireRole(ctx.identity, MANAGERS, 'manage santri records');
  const santri = await ctx.em.findOne(Santri, { id: parseId(pseudonymousId, 'pseudonymousId') });
  if (!santri || !canManagePesantren(ctx.identity, santri.pesantrenId)) throw notFound('Santri');
  return santri;
}

const actor = (ctx: AcademicsContext) => ctx.identity.subject ?? 'unknown';

export const programmeResolvers: Resolvers = {
  Query: {
    programme: (_parent, { id }, { loaders }) => loaders.programmeById.load(parseId(id, 'id')),
    entrepreneurshipLab: (_parent, { id }, { loaders }) => loaders.labById.load(parseId(id, 'id')),
  },

  Mutation: {
    createProgramme: async (_parent, { input }, ctx) => {
      requireRole(ctx.identity, MANAGERS, 'add programmes');
      const data = parseInput(createProgrammeInput, input, 'input');
      if (!canManagePesantren(ctx.identity, data.pesantrenId.toLowerCase())) throw forbidden('An operator may only add programmes to their own pesantren');
      // A pesantren lies in one regency: every programme of it is counted there. Without this, a
      // programme (and the santri enrolled in it) could be placed in any regency's statistics.
      const pesantrenId = data.pesantrenId.toLowerCase();
      return ctx.em.transactional(async (tx) => {
        await tx.createQueryBuilder(PesantrenPlace).insert({ pesantrenId, regencyCode: data.regencyCode }).onConflict('pesantrenId').ignore().execute('run');
        const place = await tx.findOneOrFail(PesantrenPlace, { pesantrenId });
        if (place.regencyCode !== data.regencyCode) throw badUserInput(`must be the regency of the pesantren's other programmes (${place.regencyCode})`, 'input.regencyCode');
        const programme = tx.create(Programme, {
          pesantrenId,
          regencyCode: data.regencyCode,
          kind: data.kind,
          name: data.name,
          establishedYear: data.establishedYear ?? null,
        });
        if (data.kind === 'ENTREPRENEURSHIP_LAB') {
          tx.create(EntrepreneurshipLab, { programme, pesantrenId, name: data.name, focus: data.labFocus!, productIds: [], activities: [] });
        }
        await tx.flush();
        return programme;
      });
    },

    enrolSantri: async (_parent, { input }, ctx) => {
      requireRole(ctx.identity, MANAGERS, 'enrol santri');
      const data = parseInput(enrolSantriInput, input, 'input');
      const programme = await ctx.loaders.programmeById.load(data.programmeId.toLowerCase());
      if (!programme) throw badUserInput('is not a known programme', 'input.programmeId');
      if (!canManagePesantren(ctx.identity, programme.pesantrenId)) throw forbidden('An operator may only enrol santri in their own programmes');
      const santri = await ctx.em.transactional(async (tx) => {
        const created = tx.create(Santri, {
          programme,
          pesantrenId: programme.pesantrenId,
          regencyCode: programme.regencyCode,
          programmeKind: programme.kind,
          birthYear: data.birthYear,
          gender: data.gender,
          intakeYear: data.intakeYear,
        });
        for (const consent of data.guardianConsents ?? []) {
          tx.create(ConsentEvent, { santri: created, purpose: consent.purpose, granted: true, relationship: consent.relationship, evidence: consent.evidence, effectiveOn: consent.grantedOn, recordedBy: actor(ctx) });
        }
        await tx.flush();
        await addToEnrolmentCounts(tx, [created.id]);
        return created;
      });
      ctx.logger.info({ programmeId: programme.id, by: ctx.identity.subject }, 'santri enrolled');
      return { pseudonymousId: santri.id, programme, consents: await consentStatus(ctx, santri) };
    },

    recordGuardianConsent: async (_parent, args, ctx) => {
      const santri = await managedSantri(ctx, args.pseudonymousId);
      const consent = parseInput(guardianConsentInput, args.consent, 'consent');
      ctx.em.create(ConsentEvent, { santri, purpose: consent.purpose, granted: true, relationship: consent.relationship, evidence: consent.evidence, effectiveOn: consent.grantedOn, recordedBy: actor(ctx) });
      await ctx.em.flush();
      return consentStatus(ctx, santri);
    },

    withdrawGuardianConsent: async (_parent, args, ctx) => {
      const santri = await managedSantri(ctx, args.pseudonymousId);
      const withdrawnOn = parseInput(withdrawnOnInput, args.withdrawnOn, 'withdrawnOn');
      ctx.em.create(ConsentEvent, { santri, purpose: args.purpose, granted: false, relationship: null, evidence: null, effectiveOn: withdrawnOn, recordedBy: actor(ctx) });
      await ctx.em.flush();
      return consentStatus(ctx, santri);
    },

    recordLabActivity: async (_parent, args, ctx) => {
      requireRole(ctx.identity, MANAGERS, 'record lab activities');
      const lab = await ctx.loaders.labById.load(parseId(args.labId, 'labId'));
      if (!lab) throw notFound('Entrepreneurship lab');
      if (!canManagePesantren(ctx.identity, lab.pesantrenId)) throw forbidden('An operator may only record activities of their own labs');
      const activity = parseInput(labActivityInput, args.activity, 'activity');
      lab.activities = [...lab.activities, { kind: activity.kind, titleIndonesian: activity.titleIndonesian, titleEnglish: activity.titleEnglish ?? null, on: activity.on, participants: activity.participants }];
      await ctx.em.flush();
      return lab;
    },
  },

  Programme: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.programmeById.load(reference.id.toLowerCase()) : null),
    pesantren: (programme) => ({ id: programme.pesantrenId }),
    santriCount: async (programme, _args, { loaders }) => publishedToTens((await loaders.santriCounts.load(programme.pesantrenId)).get(programme.kind) ?? EMPTY_CELL),
  },

  EntrepreneurshipLab: {
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.labById.load(reference.id.toLowerCase()) : null),
    pesantren: (lab) => ({ id: lab.pesantrenId }),
    programme: async (lab, _args, { loaders }) => (await loaders.programmeById.load(lab.programme.id))!,
    activities: (lab) => [...lab.activities].sort((a, b) => b.on.localeCompare(a.on)),
    products: (lab) => lab.productIds.map((id) => ({ id })),
  },

  LabActivity: {
    title: (activity) => ({ indonesian: activity.titleIndonesian, english: activity.titleEnglish }),
    participants: (activity) => roundToTens(activity.participants),
  },

  Pesantren: {
    __resolveReference: (reference) => ({ id: reference.id }),
    academics: (pesantren) => ({ pesantrenId: pesantren.id }),
  },

  AcademicSummary: {
    programmes: ({ pesantrenId }, _args, { loaders }) => (isUuid(pesantrenId) ? loaders.programmesByPesantren.load(pesantrenId.toLowerCase()) : []),
    labs: ({ pesantrenId }, _args, { loaders }) => (isUuid(pesantrenId) ? loaders.labsByPesantren.load(pesantrenId.toLowerCase()) : []),
    santriCount: async ({ pesantrenId }, _args, { loaders }) => {
      if (!isUuid(pesantrenId)) return null;
      return publishedToTens((await loaders.santriCounts.load(pesantrenId.toLowerCase())).get('ALL') ?? EMPTY_CELL);
    },
  },
};
