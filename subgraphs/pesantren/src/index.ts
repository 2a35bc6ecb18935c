import { readFileSync } from 'node:fs';
import { mergeResolvers } from '@opop/server-kit';
import { DateTimeResolver } from 'graphql-scalars';
import { gql } from 'graphql-tag';
import type { Resolvers } from './generated/graphql.ts';
import { pesantrenResolvers } from './modules/pesantren/pesantren.resolvers.ts';
import { regencyResolvers } from './modules/regency/regency.resolvers.ts';

/** The pesantren subgraph as a plain module: importing it starts nothing. */
export const name = 'pesantren';
export const typeDefs = gql(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const resolvers: Resolvers = mergeResolvers<Resolvers>({ DateTime: DateTimeResolver }, regencyResolvers, pesantrenResolvers);
