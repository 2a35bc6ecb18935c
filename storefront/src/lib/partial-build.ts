import { readFileSync } from 'node:fs';

/**
 * A partial build renders only the pages a change affects (the publisher, server/publisher.ts,
 * names them in a file). Every page with parameters asks `isPublished` for each of its paths;
 * pages without parameters (home, search, cart, the sitemap, the publish manifest) are cheap and
 * always rendered. Without STOREFRONT_ONLY_FILE the build is the full one.
 */
const onlyFile = process.env['STOREFRONT_ONLY_FILE'];
const only: ReadonlySet<string> | null = onlyFile ? new Set(JSON.parse(readFileSync(onlyFile, 'utf8')) as string[]) : null;

export const isPartialBuild = only !== null;

/** Whether the page at `path` (e.g. /produk/kopi/) is rendered by this build. */
export const isPublished = (path: string): boolean => only === null || only.has(path);

/** The entries of getStaticPaths this build renders. */
export function publishedPaths<T>(entries: readonly T[], pathOf: (entry: T) => string): T[] {
  return only === null ? [...entries] : entries.filter((entry) => only.has(pathOf(entry)));
}
