import {
  badUserInput,
  conflict,
  forbidden,
  isUuid,
  notFound,
  pageSize,
  parseId,
  parseInput,
  requirePesantrenManager,
  selectsField,
  totalCountOf,
} from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import type { PesantrenContext } from '../../context.ts';
import { Regency } from '../regency/regency.entity.ts';
import { Pesantren } from './pesantren.entity.ts';
import { ADMIN_ONLY_FIELDS, registerPesantrenInput, updatePesantrenInput } from './pesantren.input.ts';

const LOOKUP_KEYS = ['id', 'slug', 'nspp'] as const;

function knownRegency(ctx: PesantrenContext, code: string): Regency {
  if (!ctx.regencies.get(code)) throw badUserInput(`is not a known regency code (${code})`, 'input.regencyCode');
  return ctx.em.getReference(Regency, code);
}

async function assertNsppFree(ctx: PesantrenContext, nspp: string, exceptId?: string): Promise<void> {
  const holder = await ctx.pesantren.findOne({ nspp });
  if (holder && holder.id !== exceptId) throw conflict(`A pesantren with NSPP ${nspp} is already registered`, 'input.nspp');
}

export const pesantrenResolvers: Resolvers = {
  Query: {
    pesantren: async (_parent, args, ctx) => {
      const given = LOOKUP_KEYS.filter((key) => args[key] !== undefined && args[key] !== null);
      if (given.length !== 1) throw badUserInput('Give exactly one of id, slug or nspp');
      const key = given[0]!;
      const value = key === 'id' ? parseId(args.id!, 'id') : args[key]!;
      return ctx.pesantren.findOne({ [key]: value });
    },
    pesantrenList: (_parent, { first, after, filter, sort }, ctx, info) =>
      ctx.pesantren.page({
        first: pageSize(first),
        after,
        regencyCodes: filter?.regencyCodes,
        pillars: filter?.pillars,
        sort,
        includeCount: selectsField(info, 'totalCount'),
      }),
  },

  Mutation: {
    registerPesantren: async (_parent, { input }, ctx) => {
      const data = parseInput(registerPesantrenInput, input, 'input');
      const regency = knownRegency(ctx, data.regencyCode);
      await assertNsppFree(ctx, data.nspp);
      const pesantren = ctx.em.create(Pesantren, {
        nspp: data.nspp,
        name: data.name,
        slug: await ctx.pesantren.availableSlug(data.name),
        regency,
        address: data.address,
        pillars: data.pillars,
        cooperativeName: data.cooperative?.name ?? null,
        cooperativeLegalNumber: data.cooperative?.legalNumber ?? null,
        whatsapp: data.whatsapp ?? null,
        memberSince: data.memberSince,
        awards: [],
        isDemo: false,
      });
      await ctx.em.flush();
      ctx.logger.info({ pesantrenId: pesantren.id, by: ctx.identity.subject }, 'pesantren registered');
      return pesantren;
    },

    updatePesantren: async (_parent, args, ctx) => {
      const { identity } = ctx;
      const id = parseId(args.id, 'id');
      if (identity.role === 'pesantren_operator') {
        requirePesantrenManager(identity, id, 'An operator may only edit their own pesantren');
        const adminOnly = ADMIN_ONLY_FIELDS.filter((field) => field in args.input);
        if (adminOnly.length > 0) throw forbidden(`Only programme admins may change ${adminOnly.join(', ')}`);
      }
      const data = parseInput(updatePesantrenInput, args.input, 'input');
      const pesantren = await ctx.pesantren.findOne({ id });
      if (!pesantren) throw notFound('Pesantren');
      if (data.nspp !== undefined && data.nspp !== pesantren.nspp) await assertNsppFree(ctx, data.nspp, id);
      if (data.regencyCode !== undefined) pesantren.regency = knownRegency(ctx, data.regencyCode);
      if (data.nspp !== undefined) pesantren.nspp = data.nspp;
      if (data.name !== undefined) pesantren.name = data.name;
      if (data.address !== undefined) pesantren.address = data.address;
      if (data.pillars !== undefined) pesantren.pillars = data.pillars;
      if (data.memberSince !== undefined) pesantren.memberSince = data.memberSince;
      if (data.awards !== undefined) pesantren.awards = data.awards;
      if (data.whatsapp !== undefined) pesantren.whatsapp = data.whatsapp;
      if (data.cooperative !== undefined) {
        pesantren.cooperativeName = data.cooperative?.name ?? null;
        pesantren.cooperativeLegalNumber = data.cooperative?.legalNumber ?? null;
      }
      await ctx.em.flush();
      ctx.logger.info({ pesantrenId: id, by: identity.subject, fields: Object.keys(data) }, 'pesantren updated');
      return pesantren;
    },
  },

  Pesantren: {
    // The router sends every pesantren reference of a request together; the loader makes it one query.
    __resolveReference: (reference, { loaders }) => (isUuid(reference.id) ? loaders.pesantrenById.load(reference.id.toLowerCase()) : null),
    regency: (pesantren, _args, { regencies }) => {
      const regency = regencies.get(pesantren.regency.code);
      if (!regency) throw new Error(`regency ${pesantren.regency.code} is missing from the directory`);
      return regency;
    },
    cooperative: (pesantren) => pesantren.cooperative,
    whatsappUrl: (pesantren) => (pesantren.whatsapp ? `https://wa.me/${pesantren.whatsapp}` : null),
    awards: (pesantren) => [...pesantren.awards].sort((a, b) => b.year - a.year || a.rank - b.rank),
  },

  PesantrenConnection: {
    totalCount: totalCountOf,
  },
};
