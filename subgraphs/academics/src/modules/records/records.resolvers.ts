import { parseInput, partnerInScope, selectsField } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { recordAccessLogInput } from './records.input.ts';
import { recordSelection } from './selection.ts';

export const recordsResolvers: Resolvers = {
  Query: {
    santriRecords: (_parent, args, ctx, info) => ctx.recordsService.read(args, recordSelection(info)),

    santriRecordAccessLog: async (_parent, args, ctx, info) => {
      const query = parseInput(recordAccessLogInput, args, 'arguments');
      // An academic partner reads its own partner's entries only; an admin any partner's, or all.
      const partnerId = partnerInScope(ctx.identity, query.partnerId, "You may only read the audit trail of your own organisation's record reads");
      const connection = await ctx.records.accessLog({ ...query, partnerId, includeCount: selectsField(info, 'totalCount') });
      return { ...connection, totalCount: connection.totalCount ?? 0 };
    },
  },
};
