import { readFileSync } from 'node:fs';
import { mergeResolvers } from '@opop/server-kit';
import { GraphQLScalarType } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { gql } from 'graphql-tag';
import type { Resolvers } from './generated/graphql.ts';
import { categoryResolvers } from './modules/category/category.resolvers.ts';
import { orderResolvers } from './modules/order/order.resolvers.ts';
import { photoResolvers } from './modules/photo/photo.resolvers.ts';
import { productResolvers } from './modules/product/product.resolvers.ts';
import { programmeResolvers } from './modules/programme/programme.resolvers.ts';
import { searchResolvers } from './modules/search/search.resolvers.ts';
import { sellerResolvers } from './modules/seller/seller.resolvers.ts';

/** The catalogue subgraph as a plain module: importing it starts nothing. */
export const name = 'catalogue';
export const typeDefs = gql(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
/** `Date` is a calendar date kept as its ISO string (2024-05-01): no time zone to shift it. */
const DateScalar = new GraphQLScalarType({ ...LocalDateResolver.toConfig(), name: 'Date' });

export const resolvers: Resolvers = mergeResolvers<Resolvers>(
  { Date: DateScalar, DateTime: DateTimeResolver },
  categoryResolvers,
  sellerResolvers,
  productResolvers,
  searchResolvers,
  orderResolvers,
  photoResolvers,
  programmeResolvers,
);
