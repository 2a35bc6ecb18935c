import type { EntityManager } from '@opop/server-kit';
import { Category } from './category.entity.ts';

/**
 * Root categories, and the children of one category, as `Query.categories` and `Category.children`
 * list them: the SDL's @listSize(assumedSize: 50). Beyond it (the tree has 22 categories today)
 * the first 50 by position are listed; the others stay reachable by slug.
 */
export const MAX_CATEGORY_CHILDREN = 50;

/** Levels of the tree, as long as `Category.path` may be: the SDL's @listSize(assumedSize: 5). The tree has two today. */
export const MAX_CATEGORY_DEPTH = 5;

/**
 * The category tree is reference data that only migrations change, so the service reads it once
 * at start-up: parents, children, paths and subtree filters then cost no SQL.
 */
export class CategoryDirectory {
  readonly #byId: ReadonlyMap<string, Category>;
  readonly #bySlug: ReadonlyMap<string, Category>;
  readonly #children: ReadonlyMap<string | null, readonly Category[]>;

  private constructor(categories: readonly Category[]) {
    this.#byId = new Map(categories.map((category) => [category.id, category]));
    this.#bySlug = new Map(categories.map((category) => [category.slug, category]));
    const children = new Map<string | null, Category[]>();
    for (const category of [...categories].sort((a, b) => a.position - b.position)) {
      const parentId = category.parent?.id ?? null;
      children.set(parentId, [...(children.get(parentId) ?? []), category]);
    }
    this.#children = children;
    // A deeper tree (or a cycle) is a migration's mistake: refused at start-up, before any path is served.
    for (const category of categories) {
      let depth = 1;
      for (let parent = this.parent(category); parent; parent = this.parent(parent)) {
        if (++depth > MAX_CATEGORY_DEPTH) throw new Error(`The category tree is deeper than ${MAX_CATEGORY_DEPTH} levels at ${category.slug}; Category.path declares at most ${MAX_CATEGORY_DEPTH}`);
      }
    }
  }

  static async load(em: EntityManager): Promise<CategoryDirectory> {
    return new CategoryDirectory(await em.find(Category, {}, { disableIdentityMap: true }));
  }

  get(id: string): Category | undefined {
    return this.#byId.get(id);
  }

  bySlug(slug: string): Category | undefined {
    return this.#bySlug.get(slug);
  }

  /** The first MAX_CATEGORY_CHILDREN root categories, by position. */
  roots(): readonly Category[] {
    return (this.#children.get(null) ?? []).slice(0, MAX_CATEGORY_CHILDREN);
  }

  /** The first MAX_CATEGORY_CHILDREN children of a category, by position. */
  children(category: Category): readonly Category[] {
    return (this.#children.get(category.id) ?? []).slice(0, MAX_CATEGORY_CHILDREN);
  }

  parent(category: Category): Category | null {
    return category.parent ? (this.#byId.get(category.parent.id) ?? null) : null;
  }

  /** Slugs from the root down to the category. */
  path(category: Category): string[] {
    const parent = this.parent(category);
    return [...(parent ? this.path(parent) : []), category.slug];
  }

  /** The category and every category below it (all of them, listed or not). */
  subtree(category: Category): Category[] {
    return [category, ...(this.#children.get(category.id) ?? []).flatMap((child) => this.subtree(child))];
  }
}
