import { readFileSync } from 'node:fs';
import { mergeResolvers } from '@opop/server-kit';
import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { gql } from 'graphql-tag';
import type { Resolvers } from './generated/graphql.ts';
import { labResolvers } from './modules/lab/lab.resolvers.ts';
import { programmeResolvers } from './modules/programme/programme.resolvers.ts';
import { recordsResolvers } from './modules/records/records.resolvers.ts';
import { santriResolvers } from './modules/santri/santri.resolvers.ts';
import { statsResolvers } from './modules/stats/stats.resolvers.ts';

/** The academics subgraph as a plain module: importing it starts nothing. */
export const name = 'academics';
export const typeDefs = gql(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
/** `Date` is a calendar date kept as its ISO string (2024-05-01): no time zone to shift it. */
const DateScalar = new GraphQLScalarType({ ...LocalDateResolver.toConfig(), name: 'Date' });

export const resolvers: Resolvers = mergeResolvers<Resolvers>({ Date: DateScalar, DateTime: DateTimeResolver }, programmeResolvers, labResolvers, santriResolvers, statsResolvers, recordsResolvers);
