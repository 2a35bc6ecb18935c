import { badUserInput, parseInput, requireVisitor, verifyReferences, type EntityManager, type Visitor } from '@opop/server-kit';
import type { OwnerReferences } from '../../context.ts';
import type { OutletRepository } from '../outlet/outlet.repository.ts';
import { canonicalPageUrl, recordWidgetEvent } from './widget-events.ts';
import { widgetEventInput } from './widget.input.ts';

/** Counting widget views and clicks: one instance per request, for the visitor the router derived. */
export class WidgetEventService {
  readonly #em: EntityManager;
  readonly #outlets: OutletRepository;
  readonly #references: OwnerReferences;

  /** `references` remember their owners' answers (the service's cachedReferences): events are frequent and anonymous. */
  constructor(em: EntityManager, outlets: OutletRepository, references: OwnerReferences) {
    this.#em = em;
    this.#outlets = outlets;
    this.#references = references;
  }

  /** Whether the event counted: a visitor counts once per window, a network at most a few times (widget-events.ts). */
  async record(input: unknown, visitor: Visitor | null): Promise<boolean> {
    const data = parseInput(widgetEventInput, input, 'input');
    // Any key of the outlet that is not revoked: one per site. A revoked key counts nothing.
    const outlet = await this.#outlets.findByActiveKey(data.outletKey);
    if (!outlet) throw badUserInput('is not an active widget key of a media partner', 'input.outletKey');
    // No placement, and no count, for a product or pesantren nobody has.
    await verifyReferences(this.#references.products, 'Product', data.productIds ?? [], 'input.productIds');
    await verifyReferences(this.#references.pesantren, 'Pesantren', data.pesantrenId ? [data.pesantrenId] : [], 'input.pesantrenId');
    return recordWidgetEvent(this.#em, {
      outlet,
      pageUrl: canonicalPageUrl(data.pageUrl),
      widget: data.widget,
      productIds: data.productIds ?? [],
      pesantrenId: data.pesantrenId ?? null,
      event: data.event,
      // After the input: a bad input is refused the same way however it arrived.
      visitor: requireVisitor(visitor),
      at: new Date(),
    });
  }
}
