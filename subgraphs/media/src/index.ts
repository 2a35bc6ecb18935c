import { readFileSync } from 'node:fs';
import { mergeResolvers } from '@opop/server-kit';
import { DateTimeResolver } from 'graphql-scalars';
import { gql } from 'graphql-tag';
import type { Resolvers } from './generated/graphql.ts';
import { articleResolvers } from './modules/article/article.resolvers.ts';
import { outletResolvers } from './modules/outlet/outlet.resolvers.ts';
import { widgetResolvers } from './modules/widget/widget.resolvers.ts';

/** The media subgraph as a plain module: importing it starts nothing. */
export const name = 'media';
export const typeDefs = gql(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
export const resolvers: Resolvers = mergeResolvers<Resolvers>({ DateTime: DateTimeResolver }, outletResolvers, articleResolvers, widgetResolvers);
