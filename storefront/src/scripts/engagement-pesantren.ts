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
    const row = button.parentElement;
    const links = item?.querySelector<HTMLElement>('[data-pesantren-links]');
    const status = row?.querySelector<HTMLElement>('[data-all-pesantren-status]');
    if (!item || !row || !links || !status) continue;
    row.classList.add('ready');
    let loading = false;
    button.addEventListener('click', async () => {
      // Not disabled while it loads: a disabled button loses the keyboard's focus, and a keyboard
      // user could then not press it again after a failure (found by a walkthrough).
      if (loading) return;
      loading = true;
      button.setAttribute('aria-busy', 'true');
      status.textContent = '';
      status.classList.remove('error');
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
        const next = links.querySelectorAll('a')[Math.min(shownBefore, pesantren.length - 1)];
        row.remove();
        next?.focus();
      } catch {
        // Said where a screen reader hears it, beside the button, which keeps the focus.
        status.textContent = button.dataset['failed'] ?? '';
        status.classList.add('error');
      } finally {
        loading = false;
        button.removeAttribute('aria-busy');
      }
    });
  }
}
