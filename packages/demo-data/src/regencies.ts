import { EAST_JAVA_REGENCIES as REFERENCE, regencyDisplayName, type Regency } from '@opop/identifiers';

export { regencyDisplayName };

export interface RegencyRecord extends Regency {
  /** Relative density of pesantren the generator assumes; not a programme figure. */
  weight: number;
}

/** Where the generator places pesantren: denser in Madura, the eastern 'tapal kuda' and the north coast. */
const WEIGHTS: Record<string, number> = {
  '3501': 3, '3502': 4, '3503': 3, '3504': 4, '3505': 4, '3506': 5, '3507': 7, '3508': 5, '3509': 10, '3510': 6, '3511': 6, '3512': 6, '3513': 8, '3514': 8, '3515': 4, '3516': 4, '3517': 6, '3518': 4, '3519': 3, '3520': 3, '3521': 3, '3522': 5, '3523': 5, '3524': 6, '3525': 5, '3526': 9, '3527': 9, '3528': 9, '3529': 10, '3571': 1, '3572': 1, '3573': 1, '3574': 1, '3575': 1, '3576': 1, '3577': 1, '3578': 1, '3579': 1,
};

export const EAST_JAVA_REGENCIES: readonly RegencyRecord[] = REFERENCE.map((regency) => ({ ...regency, weight: WEIGHTS[regency.code] ?? 1 }));
