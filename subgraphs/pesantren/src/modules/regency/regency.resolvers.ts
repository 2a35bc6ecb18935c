import type { Resolvers } from '../../generated/graphql.ts';

export const regencyResolvers: Resolvers = {
  Query: {
    regencies: (_parent, { provinceCode }, { regencies }) => regencies.list(provinceCode),
    regency: (_parent, { code }, { regencies }) => regencies.get(code) ?? null,
  },
  Regency: {
    __resolveReference: (reference, { regencies }) => regencies.get(reference.code) ?? null,
    displayName: (regency) => regency.displayName,
    pesantrenCount: (regency, _args, { loaders }) => loaders.pesantrenCountByRegency.load(regency.code),
  },
};
