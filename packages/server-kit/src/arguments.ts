import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';

/**
 * An explicit `null` for an argument that declares a default means the default, in every
 * subgraph: `products(sort: null)` sorts as `products` does. GraphQL passes the null through,
 * and resolvers written for "a value or the default" turned it into a 500. One rule here instead
 * of a null check in every resolver.
 */
export function nullArgumentsMeanDefaults(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config: GraphQLFieldConfig<unknown, unknown>) => {
      const defaults = Object.entries(config.args ?? {}).filter(([, argument]) => argument.defaultValue !== undefined && !String(argument.type).endsWith('!'));
      if (defaults.length === 0) return config;
      const resolve = config.resolve ?? defaultFieldResolver;
      return {
        ...config,
        resolve: (source, args: Record<string, unknown>, context, info) => {
          let filled = args;
          for (const [name, argument] of defaults) if (filled[name] === null) filled = { ...filled, [name]: argument.defaultValue };
          return resolve(source, filled, context, info);
        },
      };
    },
  });
}
