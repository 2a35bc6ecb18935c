import { readFileSync } from 'node:fs';
import { mergeResolvers } from '@opop/server-kit';
import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { gql } from 'graphql-tag';
import type { Resolvers } from './generated/graphql.ts';
import { articleResolvers } from './modules/article/article.resolvers.ts';
import { outletResolvers } from './modules/outlet/outlet.resolvers.ts';
import { widgetResolvers } from './modules/widget/widget.resolvers.ts';

/** The media subgraph as a plain module: importing it starts nothing. */
export const name = 'media';
export const typeDefs = gql(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
/** `Date` is a calendar date kept as its ISO string (2024-05-01): no time zone to shift it. */
const DateScalar = new GraphQLScalarType({ ...LocalDateResolver.toConfig(), name: 'Date' });

export const resolvers: Resolvers = mergeResolvers<Resolvers>({ Date: DateScalar, DateTime: DateTimeResolver }, outletResolvers, articleResolvers, widgetResolvers);
