import type { EventSubscriber, FlushEventArgs } from '@mikro-orm/core';
import { Article } from '../article/article.entity.ts';
import { PublishOutboxEvent } from './publish-outbox.entity.ts';

/**
 * Writes an outbox event for every article a flush publishes or changes, in that flush's
 * transaction, so the storefront hears of every committed change and of nothing rolled back.
 */
export class PublishOutboxSubscriber implements EventSubscriber {
  readonly #onWritten: () => void;

  /** `onWritten` wakes the storefront relay after a flush that wrote events. */
  constructor(onWritten: () => void = () => {}) {
    this.#onWritten = onWritten;
  }

  onFlush({ em, uow }: FlushEventArgs): void {
    const changed = new Map<string, string>();
    for (const changeSet of uow.getChangeSets()) if (changeSet.entity instanceof Article) changed.set(changeSet.entity.id, changeSet.entity.slug);
    for (const [articleId, articleSlug] of changed) uow.computeChangeSet(em.create(PublishOutboxEvent, { articleId, articleSlug }));
  }

  afterFlush({ uow }: FlushEventArgs): void {
    if (uow.getChangeSets().some((changeSet) => changeSet.entity instanceof PublishOutboxEvent)) this.#onWritten();
  }
}
