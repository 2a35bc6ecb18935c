import { Pesantren } from './modules/pesantren/pesantren.entity.ts';
import { Regency } from './modules/regency/regency.entity.ts';

export const entities = [Regency, Pesantren];
