import { Article, ArticlePesantren, ArticleProduct } from './modules/article/article.entity.ts';
import { Outlet } from './modules/outlet/outlet.entity.ts';
import { WidgetEvent, WidgetPlacement } from './modules/widget/widget.entity.ts';

export const entities = [Outlet, Article, ArticlePesantren, ArticleProduct, WidgetPlacement, WidgetEvent];
