import { BASE_CSS, cardPlaceholder, define, request, WidgetElement } from './core.ts';
import { WidgetProductCardDocument } from './generated/operations.ts';

/** `<opop-product-card product="slug">`: one product, linking to its page in the storefront. */
export class ProductCardElement extends WidgetElement {
  readonly kind = 'PRODUCT_CARD' as const;

  async render(): Promise<void> {
    const slug = this.getAttribute('product') ?? '';
    // The same box before and after loading: nothing on the outlet's page moves.
    this.root.innerHTML = `<style>${BASE_CSS}:host{max-width:var(--opop-card-width,18rem)}</style><div aria-busy="true">${cardPlaceholder(this.t.loading)}</div>`;
    const { product } = await request(WidgetProductCardDocument, { slug });
    if (!product) return this.missing('product');
    this.root.innerHTML = `<style>${BASE_CSS}:host{max-width:var(--opop-card-width,18rem)}</style>${this.card(product)}`;
    this.track({ productIds: [product.id] });
  }
}

define('opop-product-card', ProductCardElement);
