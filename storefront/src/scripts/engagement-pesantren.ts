import { execute } from '../lib/api.ts';
import { href } from '../lib/i18n.ts';
import { interpolate } from '../lib/interpolate.ts';
import { StorefrontEngagementPesantrenDocument } from '../generated/operations.ts';

/**
 * A partner's page names the first six pesantren of each engagement, and an engagement may work
 * with forty or more: the rest are read live when a shopper asks for them, so the built page stays
 * the same size however many there are. Without JavaScript the page says how many more there are.
 */
export function wireAllPesantren(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-all-pesantren]')) {
    const item = button.closest('li');
    const links = item?.querySelector<HTMLElement>('[data-pesantren-links]');
    if (!item || !links) continue;
    const label = button.textContent ?? '';
    button.parentElement?.classList.add('ready');
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        // Public and the same for every shopper: asked by GET, so a cache may keep it.
        const { engagement } = await execute('/graphql', StorefrontEngagementPesantrenDocument, { id: button.dataset['allPesantren']! }, { byGet: true });
        if (!engagement) throw new Error('the engagement is gone');
        const locale = document.documentElement.lang.startsWith('en') ? 'en' : 'id';
        // Null entries are pesantren the pesantren service cannot show.
        const pesantren = engagement.pesantren.flatMap((p) => (p ? [p] : []));
        const shownBefore = links.querySelectorAll('a').length;
        links.replaceChildren(
          ...pesantren.flatMap((p, index) => {
            const link = document.createElement('a');
            link.href = href(locale, 'pesantren', p.slug);
            link.textContent = p.name;
            return index > 0 ? [', ', link] : [link];
          }),
        );
        const more = item.querySelector<HTMLElement>('[data-more-pesantren]');
        if (pesantren.length < engagement.pesantrenCount) {
          if (more) more.textContent = ` ${interpolate(button.dataset['shownOf'] ?? '', { shown: pesantren.length, count: engagement.pesantrenCount })}`;
        } else more?.remove();
        // The button goes; a keyboard user carries on from the first pesantren it brought.
        const first = links.querySelectorAll('a')[shownBefore];
        button.parentElement?.remove();
        first?.focus();
      } catch {
        button.textContent = button.dataset['failed'] ?? label;
        button.disabled = false;
      }
    });
  }
}
