import { BASE_CSS, define, request, WidgetElement } from './core.ts';
import { WidgetCategoryGridDocument, WidgetPesantrenGridDocument, type WidgetProductFragment } from './generated/operations.ts';

const GRID_CSS = `${BASE_CSS}ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(var(--opop-card-width,11rem),1fr));gap:var(--opop-gap,.8rem);list-style:none;margin:0;padding:0}`;

/** `<opop-product-grid pesantren="slug" | category="slug" limit="6">`: a pesantren's or a category's newest products. */
export class ProductGridElement extends WidgetElement {
  readonly kind = 'PRODUCT_GRID' as const;

  async render(): Promise<void> {
    const first = Math.min(Math.max(Number(this.getAttribute('limit')) || 6, 1), 12);
    const pesantren = this.getAttribute('pesantren');
    const category = this.getAttribute('category') ?? '';
    const placeholders = `<li><div class="c"><div class="v"></div><div class="b"></div></div></li>`.repeat(first);
    this.root.innerHTML = `<style>${GRID_CSS}</style><ul aria-busy="true" aria-label="${this.t.loading}">${placeholders}</ul>`;
    let products: WidgetProductFragment[];
    let pesantrenId: string | undefined;
    if (pesantren) {
      const found = (await request(WidgetPesantrenGridDocument, { slug: pesantren, first })).pesantren;
      if (!found?.products) return this.fail(`/pesantren/${pesantren}/`);
      const { name, regency } = found;
      products = found.products.nodes.map((product) => ({ ...product, pesantren: { name, regency } }));
      pesantrenId = found.id;
    } else {
      products = (await request(WidgetCategoryGridDocument, { category, first })).products.nodes;
    }
    if (products.length === 0) return this.fail();
    this.root.innerHTML = `<style>${GRID_CSS}</style><ul role="list">${products.map((product) => `<li>${this.card(product)}</li>`).join('')}</ul>`;
    this.track({ productIds: products.map((product) => product.id), ...(pesantrenId ? { pesantrenId } : {}) });
  }
}

define('opop-product-grid', ProductGridElement);
