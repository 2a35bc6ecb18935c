import type { EntityManager } from '@opop/server-kit';
import { Category } from './category.entity.ts';

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

  roots(): readonly Category[] {
    return this.#children.get(null) ?? [];
  }

  children(category: Category): readonly Category[] {
    return this.#children.get(category.id) ?? [];
  }

  parent(category: Category): Category | null {
    return category.parent ? (this.#byId.get(category.parent.id) ?? null) : null;
  }

  /** Slugs from the root down to the category. */
  path(category: Category): string[] {
    const parent = this.parent(category);
    return [...(parent ? this.path(parent) : []), category.slug];
  }

  /** The category and every category below it. */
  subtree(category: Category): Category[] {
    return [category, ...this.children(category).flatMap((child) => this.subtree(child))];
  }
}
