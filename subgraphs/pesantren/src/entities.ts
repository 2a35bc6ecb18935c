import { Pesantren } from './modules/pesantren/pesantren.entity.ts';
import { PublishCursor, PublishOutboxEvent } from './modules/publishing/publish-outbox.entity.ts';
import { Regency } from './modules/regency/regency.entity.ts';

export const entities = [Regency, Pesantren, PublishOutboxEvent, PublishCursor];
