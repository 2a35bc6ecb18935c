import { MapperKind, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLFieldConfig, type GraphQLSchema } from 'graphql';

/**
 * Characters that reorder how text is displayed without being seen: the bidirectional embeddings,
 * overrides and isolates, and the direction marks. A product or pesantren named with a
 * right-to-left override shows one name and sorts and searches as another. Arabic and Latin text
 * need none of them; the Unicode bidirectional algorithm orders them unaided.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
const HAS_BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

export const withoutBidiControls = (text: string): string => (HAS_BIDI_CONTROL.test(text) ? text.replace(BIDI_CONTROLS, '') : text);

/**
 * A value of arguments as resolvers receive it: without bidirectional controls in any string,
 * nested ones included. What holds none is answered as it is, not copied: the router's `_entities`
 * batches carry hundreds of representations, and copying each (entries, then an object again)
 * cost the pesantren subgraph a tenth of its time on the storefront's partners page.
 */
export function cleaned(value: unknown): unknown {
  if (typeof value === 'string') return withoutBidiControls(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const clean = cleaned(item);
      if (clean !== item && !copy) copy = value.slice(0, index);
      copy?.push(clean);
    }
    return copy ?? value;
  }
  // Input objects only: a custom scalar may parse to a Date or another class, which stays as it is.
  if (value !== null && typeof value === 'object' && isPlainObject(value)) {
    let copy: Record<string, unknown> | undefined;
    for (const key in value) {
      const item = (value as Record<string, unknown>)[key];
      const clean = cleaned(item);
      if (clean !== item) (copy ??= { ...(value as Record<string, unknown>) })[key] = clean;
    }
    return copy ?? value;
  }
  return value;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The same reading of arguments in every subgraph, before any resolver:
 * - an explicit `null` for an argument that declares a default means the default
 *   (`products(sort: null)` sorts as `products` does; it used to reach resolvers as null and
 *   end in a 500);
 * - bidirectional control characters are taken out of every string, nested inputs included.
 */
export function normaliseArguments(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (config: GraphQLFieldConfig<unknown, unknown>) => {
      const declared = Object.entries(config.args ?? {});
      if (declared.length === 0) return config;
      // By the type's name rather than graphql's isNonNullType: the schema may come from the other module format of graphql.
      const defaults = declared.filter(([, argument]) => argument.defaultValue !== undefined && !String(argument.type).endsWith('!'));
      const resolve = config.resolve ?? defaultFieldResolver;
      return {
        ...config,
        resolve: (source, args: Record<string, unknown>, context, info) => {
          // graphql-js builds `args` afresh for every field it resolves, so a default may be written into it.
          const normalised = cleaned(args) as Record<string, unknown>;
          for (const [name, argument] of defaults) if (normalised[name] === null) normalised[name] = argument.defaultValue;
          return resolve(source, normalised, context, info);
        },
      };
    },
  });
}
