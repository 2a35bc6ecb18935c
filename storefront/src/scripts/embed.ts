/**
 * The embed page: builds the chosen widget's snippet, shows it live (the real widget script,
 * loaded from this site as partners load it) and copies the snippet.
 */
interface Config {
  scriptUrl: string;
  copied: string;
  copyFailed: string;
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
    const outlet = String(data.get('outlet') ?? '');
    const tag = ELEMENT[widget]!;
    const element = document.createElement(tag);
    for (const [name, value] of attributes) element.setAttribute(name, value);
    preview.replaceChildren(element);
    code.value = `<script type="module" src="${config.scriptUrl}?outlet=${encodeURIComponent(outlet)}"></script>\n<${tag}${attributes.map(([name, value]) => ` ${name}="${value}"`).join('')}></${tag}>`;
  }

  form.addEventListener('change', update);
  form.addEventListener('input', update);
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
