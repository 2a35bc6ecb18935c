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

/** The texts every widget may show; a widget's own texts live in its module, out of the card's script. */
const TEXT = {
  id: { unavailable: 'Produk tidak dapat dimuat saat ini.', product: 'Produk ini tidak ditemukan.', pesantren: 'Pesantren ini tidak ditemukan.', category: 'Kategori ini tidak ditemukan.', open: 'Lihat di OPOP Jawa Timur', noPhoto: 'Foto belum tersedia', out: 'Stok habis', loading: 'Memuat…' },
  en: { unavailable: 'Products cannot be loaded right now.', product: 'This product was not found.', pesantren: 'This pesantren was not found.', category: 'This category was not found.', open: 'See them on OPOP East Java', noPhoto: 'No photo yet', out: 'Out of stock', loading: 'Loading…' },
};
export type Texts = (typeof TEXT)['id'];

/**
 * The API said the attribute names nothing it knows (a mistyped slug): not an outage, and the
 * outlet's developer should hear which attribute is wrong.
 */
export class NotFound extends Error {}

/**
 * A query goes by GET with its published hash alone (codegen puts it on the document): a simple
 * request, without the preflight a JSON POST costs, whose public answer the browser and any CDN
 * may keep for as long as the router says. The view and click counts go by POST. No query falls
 * back to POST: anonymous callers may run only published documents, so a hash the router does
 * not know (a page loaded before a deploy) names a text it would refuse as well.
 */
export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V, keepalive = false): Promise<R> {
  const hash = document.__meta__?.['hash'];
  const response = await fetch(
    `${ORIGIN}/graphql${hash ? '?' + new URLSearchParams({ variables: JSON.stringify(variables), extensions: `{"persistedQuery":{"version":1,"sha256Hash":"${hash}"}}` }) : ''}`,
    hash ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: String(document), variables }), keepalive },
  );
  const body = (await response.json()) as { data?: R; errors?: { extensions?: { code?: string } }[] };
  if (body.errors?.some((error) => error.extensions?.code == 'BAD_USER_INPUT')) throw new NotFound();
  if (!body.data || body.errors) throw new Error('api');
  return body.data;
}

export const rupiah = (amount: number) => `Rp ${amount.toLocaleString('id-ID')}`;

/** Shared look; outlets theme it through the custom properties. */
export const BASE_CSS = `:host{display:block;font:inherit;color:var(--opop-text,#1b1f1d);--a:var(--opop-accent,#0b5d3b)}
*{box-sizing:border-box}a{color:inherit;text-decoration:none}a:focus-visible,button:focus-visible,input:focus-visible{outline:3px solid var(--opop-focus,#e0a100);outline-offset:2px}
.c{display:flex;flex-direction:column;border:1px solid var(--opop-border,#d5ddd8);border-radius:var(--opop-radius,10px);overflow:hidden;background:var(--opop-background,#fff);height:100%}
.c>a{display:flex;flex-direction:column;flex:1}.v{order:-1;aspect-ratio:4/3;display:grid;place-items:center;background:var(--a);color:#fff;font-size:2rem;font-weight:700;position:relative}
.v img{position:absolute;inset:0;width:100%;height:100%;object-fit:cover}.v small{position:absolute;bottom:.3rem;font-size:.7rem;font-weight:400}
.b{padding:.5rem .7rem .7rem;display:flex;flex-direction:column;gap:.15rem;line-height:1.3}
.n{font-weight:600;color:var(--a);margin:0;font-size:1rem;line-height:1.25;height:2.5em;overflow:hidden;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical}
.p{font-weight:700}.m{font-size:.85rem;color:var(--opop-muted,#4b5550)}.b .m{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.o{position:absolute;top:.4rem;left:.4rem;background:#fff;color:#1b1f1d;font-size:.75rem;font-weight:600;padding:.1rem .4rem;border-radius:4px}
.e{padding:.8rem;border:1px dashed var(--opop-border,#d5ddd8);border-radius:var(--opop-radius,10px)}.e a{color:var(--a);text-decoration:underline}`;

/**
 * A card's box before its product arrives: the same lines as a card (the name's two lines, the
 * price, the place), so nothing below the widget moves when it loads.
 */
export const cardPlaceholder = (name = '') => `<div class="c"><div class="v"></div><div class="b"><p class="n">${name}</p><span class="p">&nbsp;</span><span class="m">&nbsp;</span></div></div>`;

/** The outlet's base for every widget: attributes, shadow root, language, reporting. */
export abstract class WidgetElement extends HTMLElement {
  abstract readonly kind: WidgetKind;
  protected root = this.attachShadow({ mode: 'open' });
  protected t: Texts = TEXT.id;

  /** This widget's own texts in its language. */
  protected own<T>(texts: { id: T; en: T }): T {
    return texts[this.locale];
  }
  #viewed = false;

  get locale(): 'id' | 'en' {
    return this.getAttribute('lang') === 'en' ? 'en' : 'id';
  }
  get outlet(): string {
    return this.getAttribute('outlet') ?? SCRIPT_OUTLET;
  }

  connectedCallback(): void {
    this.t = TEXT[this.locale];
    this.render().catch((error) => (error instanceof NotFound ? this.missing(this.missingAttribute) : this.fail()));
  }

  /** The attribute that names what the widget shows, blamed when the API knows no such thing. */
  protected missingAttribute: 'product' | 'pesantren' | 'category' = 'product';

  protected abstract render(): Promise<void>;

  /** The API cannot be reached: say so, and still lead to the storefront. */
  protected fail(path = '', text = this.t.unavailable): void {
    this.root.innerHTML = `<style>${BASE_CSS}</style><p class="e" role="status">${text} <a href="${this.link(path)}">${this.t.open}</a></p>`;
  }

  /** A mistyped slug: says "not found" to readers, and names the attribute to the outlet's developer. */
  protected missing(attribute: 'product' | 'pesantren' | 'category'): void {
    console.warn(`<${this.localName}>: no ${attribute} "${this.getAttribute(attribute)}"`);
    this.fail('', this.t[attribute]);
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
      : // Hidden from screen readers: inside the link it made every card's name begin "Foto belum tersedia" (found by a walkthrough).
        `<span aria-hidden="true">${name.charAt(0)}</span><small aria-hidden="true">${this.t.noPhoto}</small>`;
    // Always the same three lines (name clamped to two, the place to one), so cards line up and
    // match their placeholder; "sold out" sits on the photo rather than adding a line.
    const where = product.pesantren ? `${escape(product.pesantren.name)} · ${escape(product.pesantren.regency.displayName)}` : '&nbsp;';
    // The text before the photo in the page, the photo drawn first (`.v{order:-1}`): inside the
    // link, screen readers named each card by its photo's description before its product (found
    // by a walkthrough).
    return `<article class="c"><a href="${this.link(this.productPath(product.slug))}"><div class="b"><${heading} class="n">${name}</${heading}><span class="p">${rupiah(product.priceRupiah)} <span class="m">/ ${escape((this.locale == 'en' && product.unitName.english) || product.unit)}</span></span><span class="m">${where}</span></div><div class="v"${image?.color ? ` style="background:${escape(image.color)}"` : ''}>${visual}${product.inStock ? '' : `<span class="o">${this.t.out}</span>`}</div></a></article>`;
  }
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escape = (text: string) => text.replace(/[&<>"']/g, (char) => ENTITIES[char]!);

export function define(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
