import { ApiKey } from './modules/api-key/api-key.entity.ts';
import { Agreement, FunnelEvent, Innovation, InterestExpression, Replication } from './modules/innovation/innovation.entity.ts';
import { Engagement, EngagementPesantren, EngagementProduct, Partner } from './modules/partner/partner.entity.ts';
import { PublishCursor, PublishOutboxEvent } from './modules/publishing/publish-outbox.entity.ts';

export const entities = [Partner, Engagement, EngagementPesantren, EngagementProduct, Innovation, FunnelEvent, InterestExpression, Agreement, Replication, ApiKey, PublishOutboxEvent, PublishCursor];
