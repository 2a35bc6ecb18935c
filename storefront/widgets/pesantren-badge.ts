import { BASE_CSS, define, escape, request, WidgetElement } from './core.ts';
import { WidgetPesantrenBadgeDocument } from './generated/operations.ts';

const BADGE_CSS = `${BASE_CSS}:host{display:inline-block;max-width:100%}a{display:inline-flex;flex-direction:column;gap:.1rem;min-height:3.6rem;min-width:14rem;padding:.5rem .9rem;border:1px solid var(--opop-border,#d5ddd8);border-radius:999px;background:var(--opop-background,#fff)}`;

const TEXT = { id: { products: 'produk', since: 'Anggota OPOP sejak' }, en: { products: 'products', since: 'OPOP member since' } };

/** `<opop-pesantren-badge pesantren="slug">`: a pesantren's name, place and OPOP products, linking to its profile. */
export class PesantrenBadgeElement extends WidgetElement {
  readonly kind = 'PESANTREN_BADGE' as const;

  async render(): Promise<void> {
    const slug = this.getAttribute('pesantren') ?? '';
    this.root.innerHTML = `<style>${BADGE_CSS}</style><a aria-busy="true"><span class="m">${this.t.loading}</span></a>`;
    const { pesantren } = await request(WidgetPesantrenBadgeDocument, { slug });
    if (!pesantren) return this.missing('pesantren');
    const count = pesantren.products?.totalCount;
    this.root.innerHTML = `<style>${BADGE_CSS}</style><a href="${this.link(`/pesantren/${pesantren.slug}/`)}"><strong class="n">${escape(pesantren.name)}</strong><span class="m">${escape(pesantren.regency.displayName)}${count === undefined ? '' : ` · ${count} ${this.own(TEXT).products}`} · ${this.own(TEXT).since} ${pesantren.memberSince}</span></a>`;
    this.track({ pesantrenId: pesantren.id });
  }
}

define('opop-pesantren-badge', PesantrenBadgeElement);
