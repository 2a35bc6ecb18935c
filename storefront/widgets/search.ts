import { BASE_CSS, define, escape, request, WidgetElement } from './core.ts';
import { WidgetSearchDocument } from './generated/operations.ts';

const SEARCH_CSS = `${BASE_CSS}form{display:flex;gap:.4rem;margin-bottom:.6rem}input{flex:1;min-width:0;font:inherit;padding:.5rem;border:1px solid #7a857f;border-radius:6px}
button{font:inherit;background:var(--a);color:#fff;border:0;border-radius:6px;padding:.5rem .9rem;min-height:44px;cursor:pointer}
ul{display:grid;grid-template-columns:repeat(auto-fill,minmax(var(--opop-card-width,10rem),1fr));gap:.6rem;list-style:none;margin:0;padding:0}p.m a{color:var(--a);text-decoration:underline}ul+p{margin:.6rem 0 0}`;

const TEXT = {
  id: { search: 'Cari produk pesantren', go: 'Cari', none: 'Tidak ada produk yang cocok.', products: 'produk', all: 'Lihat semua {n} produk di OPOP Jawa Timur' },
  en: { search: 'Search pesantren products', go: 'Search', none: 'No matching products.', products: 'products', all: 'See all {n} products on OPOP East Java' },
};

/** `<opop-search>`: a search box for pesantren products, typo-tolerant, results linking to the storefront. */
export class SearchElement extends WidgetElement {
  readonly kind = 'SEARCH' as const;

  async render(): Promise<void> {
    const t = this.own(TEXT);
    this.root.innerHTML = `<style>${SEARCH_CSS}</style><form role="search"><label for="q" style="position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)">${t.search}</label><input id="q" type="search" placeholder="${t.search}" value="${escape(this.getAttribute('query') ?? '')}"><button>${t.go}</button></form><p class="m" role="status"></p><ul role="list"></ul><p class="m"></p>`;
    const form = this.root.querySelector('form')!;
    const input = this.root.querySelector('input')!;
    const status = this.root.querySelector('p')!;
    const list = this.root.querySelector('ul')!;
    const more = list.nextElementSibling!;
    const searchPage = (query: string) => this.link(`/${this.locale === 'en' ? 'search' : 'cari'}/?q=${encodeURIComponent(query)}`);
    const run = async () => {
      // The query sent, not the box's text when the answer comes: the shopper may type on meanwhile.
      const query = input.value;
      try {
        const { searchProducts } = await request(WidgetSearchDocument, { query });
        const products = searchProducts.hits.map((hit) => hit.product);
        status.textContent = products.length ? `${searchProducts.total} ${t.products}` : t.none;
        list.innerHTML = products.map((product) => `<li>${this.card(product)}</li>`).join('');
        // The widget shows the first few; the rest are one link away (a walkthrough saw "9 produk" and six cards, with no way to the other three).
        more.innerHTML = searchProducts.total > products.length ? `<a href="${searchPage(query)}">${t.all.replace('{n}', searchProducts.total.toLocaleString(this.locale === 'en' ? 'en' : 'id-ID'))}</a>` : '';
      } catch {
        more.innerHTML = '';
        status.innerHTML = `${this.t.unavailable} <a href="${searchPage(query)}">${this.t.open}</a>`;
      }
    };
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void run();
    });
    this.track({});
    if (input.value) await run();
  }
}

define('opop-search', SearchElement);
