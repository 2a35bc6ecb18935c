import { BASE_CSS, define, request, WidgetElement } from './core.ts';
import { WidgetProductCardDocument } from './generated/operations.ts';

/** `<opop-product-card product="slug">`: one product, linking to its page in the storefront. */
export class ProductCardElement extends WidgetElement {
  readonly kind = 'PRODUCT_CARD' as const;

  async render(): Promise<void> {
    const slug = this.getAttribute('product') ?? '';
    // The same box before and after loading: nothing on the outlet's page moves.
    this.root.innerHTML = `<style>${BASE_CSS}:host{max-width:var(--opop-card-width,18rem)}</style><div class="c" aria-busy="true"><div class="v"></div><div class="b m">${this.t.loading}</div></div>`;
    const { product } = await request(WidgetProductCardDocument, { slug });
    if (!product) return this.fail();
    this.root.innerHTML = `<style>${BASE_CSS}:host{max-width:var(--opop-card-width,18rem)}</style>${this.card(product)}`;
    this.track({ productIds: [product.id] });
  }
}

define('opop-product-card', ProductCardElement);
