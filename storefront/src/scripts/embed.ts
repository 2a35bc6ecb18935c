/**
 * The embed page: builds the chosen widget's snippet, shows it live (the real widget script,
 * loaded from this site as partners load it) and copies the snippet.
 */
import { execute } from '../lib/api.ts';
import { EmbedProductPickerDocument } from '../generated/operations.ts';

interface Config {
  scriptUrl: string;
  /** Written in the code until the partner chooses their outlet. */
  outletPlaceholder: string;
  locale: 'id' | 'en';
  copied: string;
  copyFailed: string;
  found: string;
  foundMore: string;
  none: string;
  failed: string;
}

const ELEMENT: Record<string, string> = { card: 'opop-product-card', grid: 'opop-product-grid', category: 'opop-product-grid', search: 'opop-search', badge: 'opop-pesantren-badge' };

export function startEmbed(): void {
  const form = document.querySelector<HTMLFormElement>('#embed-form');
  if (!form) return;
  const config = JSON.parse(form.dataset['embed']!) as Config;
  const preview = document.querySelector<HTMLElement>('#embed-preview')!;
  const code = document.querySelector<HTMLTextAreaElement>('#embed-code')!;
  const status = document.querySelector<HTMLElement>('#embed-status')!;
  const script = document.createElement('script');
  script.type = 'module';
  script.src = config.scriptUrl.replace(/^https?:\/\/[^/]+/, '');
  document.head.append(script);

  function update(): void {
    const data = new FormData(form!);
    const widget = String(data.get('widget'));
    const attributes: [string, string][] = [];
    if (widget === 'card') attributes.push(['product', String(data.get('product'))]);
    if (widget === 'grid' || widget === 'badge') attributes.push(['pesantren', String(data.get('pesantren'))]);
    if (widget === 'category') attributes.push(['category', String(data.get('category'))]);
    if (widget === 'grid' || widget === 'category') attributes.push(['limit', String(Math.min(Math.max(Number(data.get('limit')) || 6, 1), 12))]);
    attributes.push(['lang', String(data.get('lang'))]);
    const outlet = String(data.get('outlet') ?? '') || config.outletPlaceholder;
    const tag = ELEMENT[widget]!;
    const element = document.createElement(tag);
    for (const [name, value] of attributes) element.setAttribute(name, value);
    preview.replaceChildren(element);
    code.value = `<script type="module" src="${config.scriptUrl}?outlet=${encodeURIComponent(outlet)}"></script>\n<${tag}${attributes.map(([name, value]) => ` ${name}="${value}"`).join('')}></${tag}>`;
  }

  // The list starts with a page's worth of products; the search field reaches every listed one.
  const search = document.querySelector<HTMLInputElement>('#e-product-search')!;
  const productSelect = document.querySelector<HTMLSelectElement>('#e-product')!;
  const found = document.querySelector<HTMLElement>('#e-product-found')!;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;
  async function findProducts(): Promise<void> {
    const query = search.value.trim();
    if (!query) return;
    const asked = ++latest;
    try {
      const { searchProducts } = await execute('/graphql', EmbedProductPickerDocument, { query }, { byGet: true });
      if (asked !== latest) return;
      const options = searchProducts.hits.map(({ product }) => {
        const name = config.locale === 'en' ? (product.name.english ?? product.name.indonesian) : product.name.indonesian;
        return new Option(product.pesantren ? `${name} (${product.pesantren.name})` : name, product.slug);
      });
      if (options.length === 0) {
        found.textContent = config.none;
        return;
      }
      productSelect.replaceChildren(...options);
      productSelect.selectedIndex = 0;
      found.textContent = (searchProducts.total > options.length ? config.foundMore : config.found).replace('{n}', String(searchProducts.total));
      update();
    } catch {
      if (asked === latest) found.textContent = config.failed;
    }
  }
  search.addEventListener('input', (event) => {
    event.stopPropagation();
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void findProducts(), 250);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    clearTimeout(searchTimer);
    void findProducts();
  });

  form.addEventListener('change', (event) => {
    if (event.target !== search) update();
  });
  form.addEventListener('input', (event) => {
    if (event.target !== search) update();
  });
  document.querySelector('#embed-copy')!.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.value);
      status.textContent = config.copied;
    } catch {
      code.select();
      status.textContent = config.copyFailed;
    }
  });
  update();
}
