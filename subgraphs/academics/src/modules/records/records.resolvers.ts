import { parseInput, selectsField } from '@opop/server-kit';
import type { Resolvers } from '../../generated/graphql.ts';
import { recordAccessLogInput } from './records.input.ts';
import { recordSelection } from './selection.ts';

export const recordsResolvers: Resolvers = {
  Query: {
    santriRecords: (_parent, args, ctx, info) => ctx.recordsService.read(args, recordSelection(info)),

    santriRecordAccessLog: async (_parent, args, ctx, info) => {
      const query = parseInput(recordAccessLogInput, args, 'arguments');
      const connection = await ctx.records.accessLog({ ...query, includeCount: selectsField(info, 'totalCount') });
      return { ...connection, totalCount: connection.totalCount ?? 0 };
    },
  },
};
