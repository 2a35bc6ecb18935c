import type { TypedDocumentString, WidgetEventMutationVariables, WidgetKind, WidgetProductFragment } from './generated/operations.ts';
import { WidgetEventDocument } from './generated/operations.ts';

/**
 * What every widget shares: where the API and the storefront are (the origin the script was
 * loaded from), the request, the texts in both languages, view and click reporting, and the base
 * element with its shadow root. Written by hand and small: the product card, core included, must
 * stay under 3 KB gzipped.
 */
const script = new URL(import.meta.url);
export const ORIGIN = script.origin;
const SCRIPT_OUTLET = script.searchParams.get('outlet') ?? '';

const TEXT = {
  id: { unavailable: 'Produk tidak dapat dimuat saat ini.', open: 'Lihat di OPOP Jawa Timur', noPhoto: 'Foto belum tersedia', out: 'Stok habis', search: 'Cari produk pesantren', go: 'Cari', none: 'Tidak ada produk yang cocok.', products: 'produk', since: 'Anggota OPOP sejak', loading: 'Memuat…' },
  en: { unavailable: 'Products cannot be loaded right now.', open: 'See them on OPOP East Java', noPhoto: 'No photo yet', out: 'Out of stock', search: 'Search pesantren products', go: 'Search', none: 'No matching products.', products: 'products', since: 'OPOP member since', loading: 'Loading…' },
};
export type Texts = (typeof TEXT)['id'];

export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V, keepalive = false): Promise<R> {
  const response = await fetch(`${ORIGIN}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: String(document), variables }),
    keepalive,
  });
  const body = (await response.json()) as { data?: R; errors?: unknown[] };
  if (!body.data || body.errors) throw new Error('api');
  return body.data;
}

export const rupiah = (amount: number) => `Rp ${amount.toLocaleString('id-ID')}`;

/** Shared look; outlets theme it through the custom properties. */
export const BASE_CSS = `:host{display:block;font:inherit;color:var(--opop-text,#1b1f1d);--a:var(--opop-accent,#0b5d3b)}
*{box-sizing:border-box}a{color:inherit;text-decoration:none}a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid var(--opop-focus,#e0a100);outline-offset:2px}
.c{display:flex;flex-direction:column;border:1px solid var(--opop-border,#d5ddd8);border-radius:var(--opop-radius,10px);overflow:hidden;background:var(--opop-background,#fff);height:100%}
.v{aspect-ratio:4/3;display:grid;place-items:center;background:var(--a);color:#fff;font-size:2rem;font-weight:700;position:relative}
.v img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}.v small{position:absolute;bottom:.3rem;font-size:.7rem;font-weight:400}
.b{padding:.5rem .7rem .7rem;min-height:6.2rem;display:flex;flex-direction:column;gap:.15rem}
.n{font-weight:600;color:var(--a);margin:0;font-size:1rem}.p{font-weight:700}.m{font-size:.85rem;color:var(--opop-muted,#4b5550)}
.e{padding:.8rem;border:1px dashed var(--opop-border,#d5ddd8);border-radius:var(--opop-radius,10px)}.e a{color:var(--a);text-decoration:underline}`;

/** The outlet's base for every widget: attributes, shadow root, language, reporting. */
export abstract class WidgetElement extends HTMLElement {
  abstract readonly kind: WidgetKind;
  protected root = this.attachShadow({ mode: 'open' });
  protected t: Texts = TEXT.id;
  #viewed = false;

  get locale(): 'id' | 'en' {
    return this.getAttribute('lang') === 'en' ? 'en' : 'id';
  }
  get outlet(): string {
    return this.getAttribute('outlet') ?? SCRIPT_OUTLET;
  }

  connectedCallback(): void {
    this.t = TEXT[this.locale];
    this.render().catch(() => this.fail());
  }

  protected abstract render(): Promise<void>;

  /** The API cannot be reached: say so, and still lead to the storefront. */
  protected fail(path = ''): void {
    this.root.innerHTML = `<style>${BASE_CSS}</style><p class="e" role="status">${this.t.unavailable} <a href="${this.link(path)}">${this.t.open}</a></p>`;
  }

  /** A storefront address in the widget's language, credited to the outlet. */
  link(path: string): string {
    const url = new URL(`${this.locale === 'en' ? '/en' : ''}${path}`, ORIGIN);
    url.searchParams.set('utm_source', this.outlet || 'widget');
    url.searchParams.set('utm_medium', 'widget');
    url.searchParams.set('utm_campaign', this.kind.toLowerCase());
    return url.href;
  }

  productPath = (slug: string) => `/${this.locale === 'en' ? 'products' : 'produk'}/${slug}/`;

  #report(event: 'VIEW' | 'CLICK', ids: { productIds?: string[]; pesantrenId?: string }): void {
    if (!this.outlet) return;
    const input: WidgetEventMutationVariables['input'] = { outletKey: this.outlet, pageUrl: location.href, widget: this.kind, event, ...ids };
    request(WidgetEventDocument, { input }, true).catch(() => {});
  }

  /** Counts one view when at least half the widget is on screen, and every click on its links. */
  protected track(ids: { productIds?: string[]; pesantrenId?: string }): void {
    new IntersectionObserver(
      (entries, observer) => {
        if (this.#viewed || !entries.some((entry) => entry.isIntersecting)) return;
        this.#viewed = true;
        observer.disconnect();
        this.#report('VIEW', ids);
      },
      { threshold: 0.5 },
    ).observe(this);
    this.root.addEventListener('click', (event) => {
      if ((event.target as Element).closest('a')) this.#report('CLICK', ids);
    });
  }

  /**
   * One product as a card. Its name is plain text unless the outlet asks for a heading level
   * (`heading="3"`): only the outlet knows which level fits its page's outline.
   */
  card(product: WidgetProductFragment): string {
    const level = Number(this.getAttribute('heading'));
    const heading = level >= 2 && level <= 6 ? `h${level}` : 'p';
    const name = escape(this.locale === 'en' ? (product.name.english ?? product.name.indonesian) : product.name.indonesian);
    const image = product.images[0];
    // The photo as AVIF where the browser takes it, else JPEG, at the width the card is laid out at
    // (sizes="auto" for lazy images; 18em where that is not known), its box painted with its colour.
    const set = (type: string) =>
      `srcset="${escape(image!.sources.filter((source) => source.type == `image/${type}`).map((source) => `${source.url} ${source.width}w`).join())}" sizes="auto,18em"`;
    const visual = image
      ? `<picture><source type="image/avif" ${set('avif')}><img ${set('jpeg')} alt="${escape(this.locale === 'en' ? (image.alt.english ?? image.alt.indonesian) : image.alt.indonesian)}" width="${image.width ?? 800}" height="${image.height ?? 600}" loading="lazy" decoding="async"></picture>`
      : `<span aria-hidden="true">${name.charAt(0)}</span><small>${this.t.noPhoto}</small>`;
    const where = product.pesantren ? `<span class="m">${escape(product.pesantren.name)} · ${escape(product.pesantren.regency.displayName)}</span>` : '';
    return `<article class="c"><a href="${this.link(this.productPath(product.slug))}"><div class="v"${image?.color ? ` style="background:${escape(image.color)}"` : ''}>${visual}</div><div class="b"><${heading} class="n">${name}</${heading}><span class="p">${rupiah(product.priceRupiah)} <span class="m">/ ${escape(product.unit)}</span></span>${where}${product.inStock ? '' : `<span class="m">${this.t.out}</span>`}</div></a></article>`;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escape = (text: string) => text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);

export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
