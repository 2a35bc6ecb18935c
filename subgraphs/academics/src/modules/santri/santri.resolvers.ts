import type { Resolvers } from '../../generated/graphql.ts';

export const santriResolvers: Resolvers = {
  Mutation: {
    enrolSantri: (_parent, { input }, { santriService }) => santriService.enrol(input),
    recordGuardianConsent: (_parent, { pseudonymousId, consent }, { santriService }) => santriService.recordConsent(pseudonymousId, consent),
    withdrawGuardianConsent: (_parent, { pseudonymousId, purpose, withdrawnOn }, { santriService }) => santriService.withdrawConsent(pseudonymousId, purpose, withdrawnOn),
  },
};
