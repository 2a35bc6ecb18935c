import { Article, ArticlePesantren, ArticleProduct } from './modules/article/article.entity.ts';
import { OutletKey } from './modules/outlet/outlet-key.entity.ts';
import { Outlet } from './modules/outlet/outlet.entity.ts';
import { PublishCursor, PublishOutboxEvent } from './modules/publishing/publish-outbox.entity.ts';
import { WidgetDailyStat, WidgetEvent, WidgetPlacement } from './modules/widget/widget.entity.ts';

export const entities = [Outlet, OutletKey, Article, ArticlePesantren, ArticleProduct, WidgetPlacement, WidgetEvent, WidgetDailyStat, PublishOutboxEvent, PublishCursor];
