import { execute } from '../lib/api.ts';
import { rupiah, unitLabel } from '../lib/format.ts';
import { RESULT_SIZES } from '../lib/photos.ts';
import { element, fill } from './dom.ts';
import { productVisual } from './picture.ts';
import { StorefrontSearchDocument, type ProductSearchFilters, type SearchSort, type StorefrontSearchQuery } from '../generated/operations.ts';

/**
 * The search island: runs `searchProducts` through the same-origin API as the shopper types,
 * shows facets as checkboxes (disjunctive: the counts of other values stay visible), and keeps
 * the state in the address so a search can be shared or reloaded.
 */
interface Config {
  locale: 'id' | 'en';
  productBase: string;
  categoryBase: string;
  texts: {
    results: string;
    interpreted: string;
    none: string;
    relaxed: string;
    relaxedWithout: string;
    priceFromQuery: string;
    didYouMean: string;
    tryCategory: string;
    failed: string;
    outOfStock: string;
    pageOf: string;
    previous: string;
    next: string;
    facets: Record<FacetName, string>;
  };
}
type Facets = StorefrontSearchQuery['searchProducts']['facets'];
type FacetName = keyof Facets;
const FACET_PARAM: Record<FacetName, string> = { categories: 'kategori', regencies: 'daerah', pillars: 'pilar', halalCertified: 'halal', priceRanges: 'harga' };
const PAGE_SIZE = 20;



function filtersFrom(params: URLSearchParams): ProductSearchFilters {
  const filters: ProductSearchFilters = {};
  // Empty values come from forms' "any" choices (a listing's price select): no filter.
  const list = (name: FacetName) => params.getAll(FACET_PARAM[name]).filter(Boolean);
  if (list('categories').length) filters.categories = list('categories');
  if (list('regencies').length) filters.regencyCodes = list('regencies');
  if (list('pillars').length) filters.pillars = list('pillars') as NonNullable<ProductSearchFilters['pillars']>;
  if (list('priceRanges').length) filters.priceRanges = list('priceRanges') as NonNullable<ProductSearchFilters['priceRanges']>;
  const halal = list('halalCertified');
  if (halal.length === 1) filters.halalCertified = halal[0] === 'true';
  return filters;
}

export function startSearch(): void {
  const form = document.querySelector<HTMLFormElement>('#search-form');
  if (!form) return;
  const config = JSON.parse(form.dataset['search']!) as Config;
  const input = form.querySelector<HTMLInputElement>('#search-q')!;
  const sort = form.querySelector<HTMLSelectElement>('#search-sort')!;
  const status = document.querySelector<HTMLElement>('#search-status')!;
  const results = document.querySelector<HTMLElement>('#search-results')!;
  const facetsBox = document.querySelector<HTMLElement>('#search-facets')!;
  const suggestionBox = document.querySelector<HTMLElement>('#search-suggestion')!;
  const pager = document.querySelector<HTMLElement>('#search-pager')!;
  const filtersBox = document.querySelector<HTMLDetailsElement>('#search-filters')!;
  const filterCount = document.querySelector<HTMLElement>('#search-filter-count')!;
  const languageSwitch = document.querySelector<HTMLAnchorElement>('a.lang');
  const params = new URLSearchParams(location.search);
  if (matchMedia('(min-width: 48rem)').matches) filtersBox.open = true;
  input.value = params.get('q') ?? '';
  if (params.get('urut')) sort.value = params.get('urut')!;
  let controller: AbortController | undefined;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  async function run(): Promise<void> {
    controller?.abort();
    controller = new AbortController();
    const page = Math.max(1, Number(params.get('hal')) || 1);
    try {
      const { searchProducts: result } = await execute(
        '/graphql',
        StorefrontSearchDocument,
        { query: params.get('q') ?? '', filters: filtersFrom(params), sort: (params.get('urut') || 'RELEVANCE') as SearchSort, page, pageSize: PAGE_SIZE },
        { signal: controller.signal, byGet: true },
      );
      render(result);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      status.className = 'error';
      status.textContent = config.texts.failed;
    }
  }

  function render(result: StorefrontSearchQuery['searchProducts']): void {
    status.className = '';
    const summary = result.total === 0 ? config.texts.none : fill(config.texts.results, { total: result.total.toLocaleString(config.locale === 'id' ? 'id-ID' : 'en-GB') });
    const normalised = (value: string) => value.trim().toLowerCase();
    const notices: string[] = [];
    if (result.relaxedQuery && result.ignoredWords.length > 0) {
      // No product has every word: say which words were left out, and what the results are for.
      const words = result.ignoredWords.map((word) => `“${word}”`).join(', ');
      notices.push(`${fill(config.texts.relaxed, { query: result.relaxedQuery })}${fill(config.texts.relaxedWithout, { words })}`);
    } else if (result.relaxedQuery) {
      notices.push(fill(config.texts.interpreted, { query: result.relaxedQuery }));
    } else if (result.query && result.interpretedQuery && normalised(result.interpretedQuery) !== normalised(result.query)) {
      notices.push(fill(config.texts.interpreted, { query: result.interpretedQuery }));
    }
    if (result.maxPriceFromQuery != null) notices.push(fill(config.texts.priceFromQuery, { price: rupiah(result.maxPriceFromQuery) }));
    status.textContent = [...notices, summary].join('. ');
    renderSuggestion(result.suggestion);
    const english = config.locale === 'en';
    results.replaceChildren(
      ...result.hits.map(({ product, highlight }) => {
        const name = element('a', { href: `${config.productBase}${product.slug}/`, className: 'name' });
        // HTML-escaped by the API, with matches in <mark>; the English page shows the English text where there is one.
        name.innerHTML = (english && highlight.nameEnglish) || highlight.name;
        if (english && !highlight.nameEnglish) name.lang = 'id';
        const excerpt = element('p', { className: 'meta' });
        const description = (english && highlight.descriptionEnglish) || highlight.description;
        if (description) excerpt.innerHTML = description;
        if (english && description && !highlight.descriptionEnglish) excerpt.lang = 'id';
        const where = product.pesantren ? `${product.pesantren.name} · ${product.pesantren.regency.displayName}` : '';
        return element(
          'li',
          { className: 'card result' },
          productVisual(product.images[0], english, RESULT_SIZES, product.name.indonesian),
          element('div', { className: 'body' }, element('h2', { className: 'card-title' }, name), element('span', { className: 'price' }, `${rupiah(product.priceRupiah)} / ${unitLabel(product, config.locale)}`), element('span', { className: 'meta' }, where, product.inStock ? '' : ` · ${config.texts.outOfStock}`), excerpt),
        );
      }),
    );
    renderFacets(result.facets);
    renderPager(result.page, result.pageCount);
  }

  /** A query that found nothing: a corrected or shorter query to run, and a category to browse. */
  function renderSuggestion(suggestion: StorefrontSearchQuery['searchProducts']['suggestion']): void {
    suggestionBox.replaceChildren();
    suggestionBox.hidden = !suggestion;
    if (!suggestion) return;
    if (suggestion.query) {
      const retry = new URLSearchParams(params);
      retry.set('q', suggestion.query);
      retry.delete('hal');
      const link = element('a', { href: `?${retry}` }, suggestion.query);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        input.value = suggestion.query!;
        params.set('q', suggestion.query!);
        params.delete('hal');
        update();
      });
      suggestionBox.append(`${config.texts.didYouMean} `, link, suggestion.category ? '. ' : '');
    }
    if (suggestion.category) {
      const name = config.locale === 'en' ? (suggestion.category.name.english ?? suggestion.category.name.indonesian) : suggestion.category.name.indonesian;
      suggestionBox.append(`${config.texts.tryCategory} `, element('a', { href: `${config.categoryBase}${suggestion.category.slug}/` }, name), '.');
    }
  }

  function renderFacets(facets: Facets): void {
    facetsBox.replaceChildren(
      ...(Object.keys(FACET_PARAM) as FacetName[])
        .filter((name) => facets[name].length > 0)
        .map((name) => {
          const legend = element('legend', {}, config.texts.facets[name]);
          const options = facets[name].map((facet) => {
            const id = `f-${name}-${facet.value}`;
            const box = element('input', { type: 'checkbox', id, name: FACET_PARAM[name], value: facet.value, checked: facet.selected });
            box.addEventListener('change', () => {
              const key = FACET_PARAM[name];
              const values = params.getAll(key).filter((value) => value !== facet.value);
              params.delete(key);
              for (const value of box.checked ? [...values, facet.value] : values) params.append(key, value);
              params.delete('hal');
              update();
            });
            const label = config.locale === 'en' ? (facet.label.english ?? facet.label.indonesian) : facet.label.indonesian;
            return element('div', {}, box, ' ', element('label', { htmlFor: id }, `${label} (${facet.count})`));
          });
          return element('fieldset', {}, legend, ...options);
        }),
    );
  }

  function renderPager(page: number, pageCount: number): void {
    pager.replaceChildren();
    if (pageCount <= 1) return;
    const go = (target: number, text: string) => {
      const button = element('button', { type: 'button', className: 'secondary' }, text);
      button.addEventListener('click', () => {
        params.set('hal', String(target));
        update();
        status.focus();
      });
      return button;
    };
    if (page > 1) pager.append(go(page - 1, `← ${config.texts.previous}`));
    pager.append(element('span', {}, fill(config.texts.pageOf, { page, pages: pageCount })));
    if (page < pageCount) pager.append(go(page + 1, `${config.texts.next} →`));
  }

  /** The search in the address, and in the link to the other language, which takes it along. */
  function keepState(): void {
    const query = params.size ? `?${params}` : '';
    history.replaceState(null, '', `${location.pathname}${query}`);
    if (languageSwitch) languageSwitch.href = `${new URL(languageSwitch.href).pathname}${query}`;
    const active = (Object.values(FACET_PARAM) as string[]).reduce((count, key) => count + params.getAll(key).filter(Boolean).length, 0);
    filterCount.textContent = active ? `(${active})` : '';
  }

  function update(): void {
    keepState();
    void run();
  }

  status.tabIndex = -1;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    params.set('q', input.value);
    params.set('urut', sort.value);
    params.delete('hal');
    update();
  });
  input.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      params.set('q', input.value);
      params.delete('hal');
      update();
    }, 250);
  });
  sort.addEventListener('change', () => {
    params.set('urut', sort.value);
    params.delete('hal');
    update();
  });
  keepState();
  // Arriving with filters chosen (a shared link, the other language): show them.
  if (filterCount.textContent) filtersBox.open = true;
  void run();
}
