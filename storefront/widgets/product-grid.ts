import { BASE_CSS, cardPlaceholder, define, request, WidgetElement } from './core.ts';
import { WidgetCategoryGridDocument, WidgetPesantrenGridDocument, type WidgetProductFragment } from './generated/operations.ts';

// Columns of at least 9.5rem: two across a phone (four products in two rows, not four screens).
const GRID_CSS = `${BASE_CSS}ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,var(--opop-card-width,9.5rem)),1fr));gap:var(--opop-gap,.8rem);list-style:none;margin:0;padding:0}`;

/** `<opop-product-grid pesantren="slug" | category="slug" limit="6">`: a pesantren's or a category's newest products. */
export class ProductGridElement extends WidgetElement {
  readonly kind = 'PRODUCT_GRID' as const;

  async render(): Promise<void> {
    const first = Math.min(Math.max(Number(this.getAttribute('limit')) || 6, 1), 12);
    const pesantren = this.getAttribute('pesantren');
    const category = this.getAttribute('category') ?? '';
    this.missingAttribute = pesantren ? 'pesantren' : 'category';
    const placeholders = `<li>${cardPlaceholder()}</li>`.repeat(first);
    this.root.innerHTML = `<style>${GRID_CSS}</style><ul aria-busy="true" aria-label="${this.t.loading}">${placeholders}</ul>`;
    let products: WidgetProductFragment[];
    let pesantrenId: string | undefined;
    if (pesantren) {
      const found = (await request(WidgetPesantrenGridDocument, { slug: pesantren, first })).pesantren;
      if (!found) return this.missing('pesantren');
      if (!found.products) return this.fail(`/pesantren/${pesantren}/`);
      const { name, regency } = found;
      products = found.products.nodes.map((product) => ({ ...product, pesantren: { name, regency } }));
      pesantrenId = found.id;
    } else {
      products = (await request(WidgetCategoryGridDocument, { category, first })).products.nodes;
    }
    if (products.length === 0) return this.fail(pesantren ? `/pesantren/${pesantren}/` : '', this.own({ id: 'Belum ada produk.', en: 'No products yet.' }));
    this.root.innerHTML = `<style>${GRID_CSS}</style><ul role="list">${products.map((product) => `<li>${this.card(product)}</li>`).join('')}</ul>`;
    this.track({ productIds: products.map((product) => product.id), ...(pesantrenId ? { pesantrenId } : {}) });
  }
}

define('opop-product-grid', ProductGridElement);
