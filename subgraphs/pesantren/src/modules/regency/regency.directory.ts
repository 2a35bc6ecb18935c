import type { EntityManager } from '@opop/server-kit';
import { Regency } from './regency.entity.ts';

/**
 * Regencies are reference data that only migrations change, so the service reads them once at
 * start-up: resolving the regency of any number of pesantren then costs no SQL at all.
 */
export class RegencyDirectory {
  readonly #byCode: ReadonlyMap<string, Regency>;

  private constructor(regencies: readonly Regency[]) {
    this.#byCode = new Map(regencies.map((regency) => [regency.code, regency]));
  }

  static async load(em: EntityManager): Promise<RegencyDirectory> {
    const regencies = await em.find(Regency, {}, { orderBy: { code: 'asc' }, disableIdentityMap: true });
    return new RegencyDirectory(regencies);
  }

  get(code: string): Regency | undefined {
    return this.#byCode.get(code);
  }

  list(provinceCode?: string | null): Regency[] {
    const all = [...this.#byCode.values()];
    return provinceCode ? all.filter((regency) => regency.provinceCode === provinceCode) : all;
  }
}
