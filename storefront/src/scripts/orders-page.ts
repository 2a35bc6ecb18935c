import { ApiError, execute } from '../lib/api.ts';
import { StorefrontOrderStatusDocument, type StorefrontOrderStatusQuery } from '../generated/operations.ts';
import { rupiah, unitLabel, weightAfter } from '../lib/format.ts';
import { element, fill } from './dom.ts';
import { forgetOrder, keepOrders, readOrders, statusLink, type KeptOrder } from './order-store.ts';

/**
 * "My orders": the order requests this browser sent (order-store.ts), each read afresh from the
 * API by its status link's secret. Opening a status link (/pesanan/#<secret>) on another phone
 * shows that order and keeps it there too.
 */
type Status = NonNullable<StorefrontOrderStatusQuery['orderStatus']>;
type Texts = Record<
  | 'none' | 'broken' | 'notFound' | 'loading' | 'failed' | 'orderNumber' | 'seller' | 'sentAt' | 'total' | 'payment' | 'reservedUntil' | 'decidedAt' | 'cancelReason'
  | 'bankTitle' | 'bankName' | 'accountNumber' | 'accountHolder' | 'qrisTitle' | 'qrisAlt' | 'noPaymentDetails' | 'whatsapp' | 'forget' | 'copyLink' | 'linkCopied' | 'linkHint',
  string
> & { statuses: Record<Status['status'], { label: string; explain: string }>; methods: Record<Status['paymentMethod'], string> };

interface Config {
  locale: 'id' | 'en';
  ordersBase: string;
  sellerBase: string;
  texts: Texts;
}

const dateTime = (iso: string, locale: Config['locale']) =>
  new Date(iso).toLocaleString(locale === 'id' ? 'id-ID' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Jakarta', timeZoneName: 'short' });

export function startOrders(): void {
  const root = document.querySelector<HTMLElement>('#orders');
  if (!root) return;
  const config = JSON.parse(root.dataset['orders']!) as Config;
  const { texts, locale } = config;
  const list = document.querySelector<HTMLElement>('#orders-list')!;

  function paymentBlock(order: Status): HTMLElement | null {
    if (order.paymentMethod === 'COD') return null;
    const box = element('div', { className: 'panel payment' }, element('h3', { className: 'flush' }, `${texts.payment}: ${texts.methods[order.paymentMethod]}`));
    const bank = order.payment?.bankAccount;
    const qris = order.payment?.qris;
    const bankPart = () =>
      bank
        ? [
            element('p', {}, texts.bankTitle),
            element('dl', {}, element('dt', {}, texts.bankName), element('dd', {}, bank.bankName), element('dt', {}, texts.accountNumber), element('dd', { className: 'mono' }, bank.accountNumber), element('dt', {}, texts.accountHolder), element('dd', {}, bank.accountHolder)),
          ]
        : [];
    // Drawn by the API; shown as an image, so nothing in it can run on this page.
    const qrisPart = () =>
      qris
        ? [element('p', {}, fill(texts.qrisTitle, { merchant: qris.merchantName })), element('img', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(qris.svg)}`, alt: fill(texts.qrisAlt, { merchant: qris.merchantName }), width: 240, height: 240 })]
        : [];
    // The chosen way first; the seller's other way after it, for a buyer who changes their mind.
    const parts = order.paymentMethod === 'QRIS' ? [...qrisPart(), ...bankPart()] : [...bankPart(), ...qrisPart()];
    box.append(...(parts.length > 0 ? parts : [element('p', {}, texts.noPaymentDetails)]));
    return box;
  }

  function orderSection(kept: KeptOrder, order: Status | null, failed: boolean): HTMLElement {
    const section = element('section', { className: 'order' }, element('h2', {}, `${texts.orderNumber}: ${order?.number ?? (kept.number || '—')}`));
    section.dataset['order'] = kept.number;
    if (failed) section.append(element('p', { className: 'error' }, texts.failed));
    else if (!order) section.append(element('p', {}, texts.notFound));
    else {
      const status = texts.statuses[order.status];
      const badge = element('strong', { className: `status status-${order.status.toLowerCase()}` }, status.label);
      badge.dataset['status'] = order.status;
      section.append(
        element('p', {}, badge, ` · ${status.explain}`),
        element('p', {}, `${texts.seller}: `, element('a', { href: `${config.sellerBase}${order.seller.slug}/` }, order.seller.name), ` · ${texts.sentAt} ${dateTime(order.createdAt, locale)}`),
      );
      if (order.status === 'REQUESTED') section.append(element('p', {}, fill(texts.reservedUntil, { time: dateTime(order.reservedUntil, locale) })));
      if (order.decidedAt) section.append(element('p', {}, fill(texts.decidedAt, { time: dateTime(order.decidedAt, locale) })));
      if (order.cancelReason) section.append(element('p', {}, `${texts.cancelReason}: `, element('q', {}, order.cancelReason)));
      section.append(
        element('ul', {}, ...order.lines.map((line) => element('li', {}, `${line.quantity} ${unitLabel(line, locale, line.quantity)}${weightAfter(line.weightGrams, locale)} ${locale === 'en' ? (line.productNameEnglish ?? line.productName) : line.productName} · ${rupiah(line.subtotalRupiah)}`))),
        element('p', {}, `${texts.total}: `, element('strong', {}, rupiah(order.totalRupiah))),
      );
      const payment = order.status === 'CANCELLED' || order.status === 'EXPIRED' ? null : paymentBlock(order);
      if (payment) section.append(payment);
      if (order.whatsappUrl) section.append(element('p', {}, element('a', { className: 'button', href: order.whatsappUrl, target: '_blank', rel: 'noopener' }, `${texts.whatsapp} (${order.seller.name})`)));
    }
    const copy = element('button', { type: 'button', className: 'secondary' }, texts.copyLink);
    copy.addEventListener('click', async () => {
      const link = new URL(statusLink(config.ordersBase, kept.token), location.href).href;
      try {
        await navigator.clipboard.writeText(link);
        copy.textContent = texts.linkCopied;
      } catch {
        // No clipboard (an old browser, or not allowed): show the link to copy by hand.
        copy.replaceWith(element('input', { value: link, readOnly: true, ariaLabel: texts.copyLink }));
      }
    });
    const forget = element('button', { type: 'button', className: 'secondary' }, texts.forget);
    forget.addEventListener('click', () => {
      forgetOrder(kept.token);
      section.remove();
      if (readOrders().length === 0) list.replaceChildren(element('p', {}, texts.none));
    });
    section.append(element('p', { className: 'muted' }, texts.linkHint), element('div', { className: 'actions' }, copy, forget));
    return section;
  }

  async function load(): Promise<void> {
    const opened = decodeURIComponent(location.hash.slice(1));
    const kept = readOrders();
    const wellFormed = /^[A-Za-z0-9_-]{43}$/.test(opened);
    const shown = wellFormed && !kept.some((order) => order.token === opened) ? [{ number: '', token: opened, seller: '', totalRupiah: 0, sentAt: '' }, ...kept] : kept;
    // A link cut short (a message app wrapped it, a copy missed its end) is said to be one, not
    // taken for no order at all (a new user saw only "no orders from this device").
    const brokenLink = opened !== '' && !wellFormed ? [element('p', { className: 'error', role: 'alert' }, texts.broken)] : [];
    if (shown.length === 0) {
      list.replaceChildren(...brokenLink, element('p', {}, texts.none));
      return;
    }
    list.replaceChildren(element('p', { role: 'status' }, texts.loading));
    const sections = await Promise.all(
      shown.map(async (entry) => {
        try {
          const { orderStatus } = await execute('/graphql', StorefrontOrderStatusDocument, { token: entry.token });
          // An order opened from its link is kept on this device from now on.
          if (orderStatus && entry.token === opened) keepOrders([{ number: orderStatus.number, token: entry.token, seller: orderStatus.seller.name, totalRupiah: orderStatus.totalRupiah, sentAt: orderStatus.createdAt }]);
          const section = orderSection({ ...entry, number: orderStatus?.number ?? entry.number }, orderStatus, false);
          if (entry.token === opened) section.classList.add('opened');
          return section;
        } catch (error) {
          return orderSection(entry, null, !(error instanceof ApiError && error.code === 'NOT_FOUND'));
        }
      }),
    );
    list.replaceChildren(...brokenLink, ...sections);
    list.querySelector<HTMLElement>('.opened')?.scrollIntoView();
  }

  window.addEventListener('hashchange', () => void load());
  void load();
}
