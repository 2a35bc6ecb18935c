import { isIndonesianMobile } from '@opop/identifiers/mobile';
import { sameSalesUnit } from '@opop/identifiers/units';
import { ApiError, execute } from '../lib/api.ts';
import { StorefrontProductStockDocument, StorefrontRequestOrderDocument, type PaymentMethod, type StorefrontRequestOrderMutation } from '../generated/operations.ts';
import { rupiah, unitLabel, weight, weightAfter } from '../lib/format.ts';
import { lineLimit, readCart, withoutEnglishUnit, writeCart, type CartItem } from './cart-store.ts';
import { keepOrders, statusLink } from './order-store.ts';
import { CART_SIZES } from '../lib/photos.ts';
import { element, fill } from './dom.ts';
import { productVisual } from './picture.ts';

/**
 * The cart page: edits the cart kept in the browser and sends it as an order request. What the
 * shopper types is saved as they type, and the idempotency key is kept until the order succeeds,
 * so a failed or repeated send never loses their details nor orders twice.
 */
interface Config {
  locale: 'id' | 'en';
  productBase: string;
  ordersBase: string;
  texts: Record<'empty' | 'perSeller' | 'lineLimit' | 'notSent' | 'changedElsewhere' | 'repriced' | 'repricedBeforeSending' | 'gone' | 'remove' | 'quantity' | 'total' | 'sending' | 'send' | 'sent' | 'orderNumber' | 'followUp' | 'noWhatsapp' | 'input' | 'network' | 'unknown' | 'whatsapp' | 'statusLink' | 'tooMany' | 'tooManyOpen' | 'tooManyToday' | 'tooManyNetwork' | 'stockLowered' | 'stockLoweredEmpty' | 'stockLineLowered' | 'stockLineGone' | 'unitChanged' | 'sentElsewhere' | 'ordersTitle', string> & {
    /** What each field needs, in the page's language: shown on the field the API or the check refused. */
    fields: Record<Field, string>;
  };
}
const FORM_KEY = 'opop-order-form-v1';
const ATTEMPT_KEY = 'opop-order-attempt-v1';
const STATED_KEY = 'opop-cart-stated-v1';
/**
 * How long a price the API stated in a refusal outranks a read that disagrees: twice the longest a
 * cache may keep a product's price (`Product @cacheControl(maxAge: 60)` in the catalogue's SDL).
 */
const STATED_FOR_MS = 120_000;

type Stated = Record<string, { priceRupiah: number; unit: string; weightGrams?: number; at: number }>;

/** What a line's price is for: the unit, and the weight of one when the line knows it (lines kept before it was kept do not). */
interface Terms {
  priceRupiah: number;
  unit: string;
  unitEnglish?: string;
  weightGrams?: number;
}

/** A weight that differs from the one shown; a line that never showed one has none to differ from. */
const otherWeight = (shown: Pick<Terms, 'weightGrams'>, now: Pick<Terms, 'weightGrams'>) => shown.weightGrams !== undefined && now.weightGrams !== undefined && shown.weightGrams !== now.weightGrams;

/**
 * Prices, units and weights the API itself stated when it refused an order (PRICE_CHANGED), and when; kept
 * where every tab of the cart reads them, so a reload or a second tab is not misled either.
 * Entries past their time, or from a clock since set back, are dropped.
 */
function readStated(): Stated {
  const now = Date.now();
  const stored = JSON.parse(localStorage.getItem(STATED_KEY) ?? '{}') as Stated;
  return Object.fromEntries(Object.entries(stored).filter(([, entry]) => now - entry.at >= 0 && now - entry.at < STATED_FOR_MS));
}

function writeStated(stated: Stated): void {
  if (Object.keys(stated).length === 0) localStorage.removeItem(STATED_KEY);
  else localStorage.setItem(STATED_KEY, JSON.stringify(stated));
}
const FIELDS = ['buyerName', 'buyerPhone', 'deliveryAddress', 'note', 'paymentMethod'] as const;
type Field = (typeof FIELDS)[number];

/** The API's rules for an order request (order.input.ts), checked before sending so the shopper hears at once. */
const CHECKS: Partial<Record<Field, (value: string) => boolean>> = {
  buyerName: (value) => value.trim().length >= 2 && value.trim().length <= 100,
  buyerPhone: isIndonesianMobile,
  deliveryAddress: (value) => value.trim().length >= 10 && value.trim().length <= 500,
  note: (value) => value.trim().length <= 500,
};



/** One key per cart content: a changed cart is a new order, a retried one is the same order. */
function attemptKey(items: readonly CartItem[]): string {
  const fingerprint = items.map((item) => `${item.id}x${item.quantity}`).join(',');
  const stored = JSON.parse(localStorage.getItem(ATTEMPT_KEY) ?? 'null') as { fingerprint: string; key: string } | null;
  if (stored?.fingerprint === fingerprint) return stored.key;
  const key = crypto.randomUUID();
  localStorage.setItem(ATTEMPT_KEY, JSON.stringify({ fingerprint, key }));
  return key;
}

export function startCart(): void {
  const root = document.querySelector<HTMLElement>('#cart');
  if (!root) return;
  const config = JSON.parse(root.dataset['cart']!) as Config;
  const itemsBox = document.querySelector<HTMLElement>('#cart-items')!;
  const form = document.querySelector<HTMLFormElement>('#order-form')!;
  const errorBox = document.querySelector<HTMLElement>('#order-error')!;
  const submit = document.querySelector<HTMLButtonElement>('#order-submit')!;
  const done = document.querySelector<HTMLElement>('#order-done')!;
  const nameOf = (item: CartItem) => (config.locale === 'en' ? (item.name.english ?? item.name.indonesian) : item.name.indonesian);

  /**
   * The price each line shows in this tab and the unit and weight it is for: what "a price the
   * shopper has seen" means (another tab may have stored a newer one).
   */
  const shownPrices = new Map<string, Terms>();
  /** The lines and quantities this tab shows, to send nothing another tab changed unseen. */
  let shownLines = '';
  const linesOf = (items: readonly CartItem[]) => items.map((item) => `${item.id}x${item.quantity}`).join(',');
  const shownPriceOf = (item: CartItem): Terms => shownPrices.get(item.id) ?? item;
  const unitSaid = (price: { unit: string; unitEnglish?: string }) => (config.locale === 'en' && price.unitEnglish) || price.unit;
  /** A line whose price, unit or weight is not the one this tab shows, as the notices name it (the units and weights only when they differ). */
  const repricedSaid = (item: CartItem, now: Terms) => {
    const shown = shownPriceOf(item);
    // Two Indonesian units may share an English word ("toples" and "stoples": "jar"): then the Indonesian tells them apart.
    const unitOf = unitSaid(shown) === unitSaid(now) ? (price: Terms) => price.unit : unitSaid;
    const weighed = otherWeight(shown, now);
    const said = (price: Terms) =>
      `${sameSalesUnit(now.unit, shown.unit) ? rupiah(price.priceRupiah) : `${rupiah(price.priceRupiah)} / ${unitOf(price)}`}${weighed ? `, ${weight(price.weightGrams!, config.locale)}` : ''}`;
    return `${nameOf(item)} (${said(shown)} → ${said(now)})`;
  };
  /** Whether a line's price, unit or weight now differs from what this tab shows (units as the API compares them). */
  const repriced = (item: CartItem, now: Terms) => now.priceRupiah !== shownPriceOf(item).priceRupiah || !sameSalesUnit(now.unit, shownPriceOf(item).unit) || otherWeight(shownPriceOf(item), now);

  function renderItems(): void {
    const items = readCart();
    shownPrices.clear();
    for (const item of items) shownPrices.set(item.id, { priceRupiah: item.priceRupiah, unit: item.unit, ...(item.unitEnglish ? { unitEnglish: item.unitEnglish } : {}), ...(item.weightGrams !== undefined ? { weightGrams: item.weightGrams } : {}) });
    shownLines = linesOf(items);
    form.hidden = items.length === 0;
    if (items.length === 0) {
      itemsBox.replaceChildren(element('p', {}, config.texts.empty));
      return;
    }
    const rows = items.map((item) => {
      const quantity = element('input', { type: 'number', min: '1', max: String(lineLimit(item)), value: String(item.quantity), id: `qty-${item.id}`, inputMode: 'numeric' });
      quantity.style.maxWidth = '5.5rem';
      quantity.addEventListener('change', () => {
        const asked = Number(quantity.value) || 1;
        const value = Math.max(1, Math.min(asked, lineLimit(item)));
        writeCart(readCart().map((entry) => (entry.id === item.id ? { ...entry, quantity: value } : entry)));
        renderItems();
        // Lowered to what may be ordered: said, not done silently (a new user typed 999 and got 50).
        showNotice(asked > value ? [fill(config.texts.lineLimit, { count: value, name: nameOf(item) })] : []);
      });
      const remove = element('button', { type: 'button', className: 'secondary' }, config.texts.remove);
      remove.setAttribute('aria-label', `${config.texts.remove}: ${nameOf(item)}`);
      remove.addEventListener('click', () => {
        writeCart(readCart().filter((entry) => entry.id !== item.id));
        const { [item.id]: _removed, ...stated } = readStated();
        writeStated(stated);
        renderItems();
      });
      const label = element('label', { htmlFor: quantity.id, className: 'visually-hidden' }, `${config.texts.quantity}: ${nameOf(item)}`);
      return element(
        'tr',
        {},
        element(
          'td',
          {},
          element(
            'div',
            { className: 'cart-line' },
            element('div', { className: 'thumb' }, productVisual(item.image, config.locale === 'en', CART_SIZES, item.name.indonesian)),
            element('div', {}, element('a', { href: `${config.productBase}${item.slug}/` }, nameOf(item)), element('br'), element('span', { className: 'meta' }, `${item.seller} · ${rupiah(item.priceRupiah)} / ${unitSaid(item)}${weightAfter(item.weightGrams, config.locale)}`)),
          ),
        ),
        element('td', {}, label, quantity),
        element('td', {}, rupiah(item.priceRupiah * item.quantity)),
        element('td', {}, remove),
      );
    });
    const total = items.reduce((sum, item) => sum + item.priceRupiah * item.quantity, 0);
    // Said before sending, not after (a new user learnt it from the confirmation): one request per seller.
    const sellers = new Set(items.map((item) => item.seller)).size;
    itemsBox.replaceChildren(
      element('table', {}, element('tbody', {}, ...rows), element('tfoot', {}, element('tr', {}, element('th', { scope: 'row' }, config.texts.total), element('td'), element('td', {}, element('strong', {}, rupiah(total))), element('td')))),
      ...(sellers > 1 ? [element('p', { className: 'muted' }, fill(config.texts.perSeller, { count: sellers }))] : []),
    );
  }

  // Restore and keep what the shopper typed.
  const saved = JSON.parse(localStorage.getItem(FORM_KEY) ?? '{}') as Partial<Record<(typeof FIELDS)[number], string>>;
  for (const field of FIELDS) {
    const value = saved[field];
    if (value === undefined) continue;
    if (field === 'paymentMethod') {
      const radio = form.querySelector<HTMLInputElement>(`input[name=paymentMethod][value="${CSS.escape(value)}"]`);
      if (radio) radio.checked = true;
    } else (form.elements.namedItem(field) as HTMLInputElement | HTMLTextAreaElement).value = value;
  }
  form.addEventListener('input', () => {
    const data = new FormData(form);
    localStorage.setItem(FORM_KEY, JSON.stringify(Object.fromEntries(FIELDS.map((field) => [field, String(data.get(field) ?? '')]))));
  });

  const notice = document.querySelector<HTMLElement>('#cart-notice')!;

  /**
   * The cart keeps each product's price and stock as they were when it was added; the order is
   * made at today's price. So the cart reads them again when it opens and just before it sends,
   * and says what changed: a shopper saw an old total and was ordered at a new one without a word
   * (found by a new-user walkthrough). A product no longer on sale leaves the cart, named. Prices
   * are compared with what this tab shows. Null when any line could not be read (the API down or
   * busy): the cart stays as it is.
   */
  async function refreshItems(): Promise<{ repriced: string[]; gone: string[]; unitChanged: boolean } | null> {
    const items = readCart();
    let live: ({ priceRupiah: number; stock: number; unit: string; unitName: { english: string | null }; weightGrams: number } | null)[];
    try {
      live = await Promise.all(items.map(async (item) => (await execute('/graphql', StorefrontProductStockDocument, { slug: item.slug })).product));
    } catch {
      return null;
    }
    const changed: string[] = [];
    const gone = new Map<string, string>();
    // For a while after a refusal, a read that disagrees with the price the API stated is taken for
    // a cache that has not seen the change: believed, it would put the old price back, the next
    // send would be refused again, and so on until the cache expired. Had the price really changed
    // once more, that costs one refusal, which states it.
    const stated = readStated();
    let unitChanged = false;
    const now = new Map<string, Pick<CartItem, 'priceRupiah' | 'stock' | 'unit' | 'unitEnglish' | 'weightGrams'>>();
    items.forEach((item, index) => {
      const answer = live[index];
      if (!answer) {
        gone.set(item.id, nameOf(item));
        return;
      }
      const statedNow = stated[item.id];
      const behind = statedNow !== undefined && (answer.priceRupiah !== statedNow.priceRupiah || !sameSalesUnit(answer.unit, statedNow.unit) || otherWeight(statedNow, answer));
      // A read that agrees: the caches have caught up.
      if (statedNow && !behind) delete stated[item.id];
      // The weight the refusal stated; failing that (a refusal before weights were stated), the line's own.
      const keptWeight = statedNow?.weightGrams ?? item.weightGrams;
      const fresh = behind
        ? {
            priceRupiah: statedNow.priceRupiah,
            stock: answer.stock,
            unit: statedNow.unit,
            ...(item.unitEnglish && sameSalesUnit(item.unit, statedNow.unit) ? { unitEnglish: item.unitEnglish } : {}),
            ...(keptWeight !== undefined ? { weightGrams: keptWeight } : {}),
          }
        : { priceRupiah: answer.priceRupiah, stock: answer.stock, unit: answer.unit, ...(answer.unitName.english ? { unitEnglish: answer.unitName.english } : {}), weightGrams: answer.weightGrams };
      now.set(item.id, fresh);
      if (repriced(item, fresh)) changed.push(repricedSaid(item, fresh));
      if (!sameSalesUnit(fresh.unit, shownPriceOf(item).unit)) unitChanged = true;
    });
    writeStated(stated);
    // Applied to the cart as it is now: a line another tab added or changed meanwhile stays as it is.
    writeCart(readCart().filter((item) => !gone.has(item.id)).map((item) => (now.has(item.id) ? { ...withoutEnglishUnit(item), ...now.get(item.id)! } : item)));
    return { repriced: changed, gone: [...gone.values()], unitChanged };
  }

  function showNotice(parts: readonly string[]): void {
    notice.textContent = parts.join(' ');
    notice.hidden = parts.length === 0;
  }

  /** A message in `box` whose `{orders}` is a link to the shopper's orders page. */
  function sayWithOrdersLink(box: HTMLElement, template: string, values: Record<string, string | number> = {}): void {
    const [before = '', after = ''] = template.split('{orders}');
    box.replaceChildren(fill(before, values), element('a', { href: config.ordersBase }, config.texts.ordersTitle), fill(after, values));
    box.hidden = false;
  }

  /** The cart was sent or emptied in another tab after this one drew it: said, rather than a button that does nothing. */
  function sayEmptiedElsewhere(): void {
    renderItems();
    sayWithOrdersLink(notice, config.texts.sentElsewhere);
    notice.focus();
  }

  /** What changed; before sending, also that nothing was sent (`beforeSending`). */
  const changesSaid = (changes: { repriced: string[]; gone: string[]; unitChanged?: boolean }, beforeSending: boolean) => [
    ...(changes.gone.length > 0 ? [fill(config.texts.gone, { items: changes.gone.join(', ') })] : []),
    ...(changes.repriced.length > 0 ? [fill(beforeSending ? config.texts.repricedBeforeSending : config.texts.repriced, { items: changes.repriced.join(', ') })] : []),
    // The total may be the same: what a quantity buys is not.
    ...(changes.unitChanged ? [config.texts.unitChanged] : []),
    ...(beforeSending && changes.repriced.length === 0 ? [config.texts.notSent] : []),
  ];

  function showError(message: string): void {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  const controlOf = (field: Field) => form.elements.namedItem(field) as HTMLInputElement | HTMLTextAreaElement | null;
  const labelOf = (field: Field) => form.querySelector(`label[for="${controlOf(field)?.id}"]`)?.textContent?.trim() ?? field;

  /** Marks the refused fields (aria-invalid, the message under each), clears the others, and says so above the button. */
  function markFields(refused: readonly Field[]): void {
    for (const field of FIELDS) {
      const control = controlOf(field);
      const message = control && document.getElementById(`${control.id}-error`);
      if (!control || !message) continue;
      const wrong = refused.includes(field);
      if (wrong) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
      message.textContent = wrong ? config.texts.fields[field] : '';
      message.hidden = !wrong;
    }
    if (refused.length === 0) return;
    showError(fill(config.texts.input, { fields: refused.map(labelOf).join(', ') }));
    controlOf(refused[0]!)?.focus();
  }

  const refusedBeforeSending = (data: FormData): Field[] => FIELDS.filter((field) => CHECKS[field] && !CHECKS[field]!(String(data.get(field) ?? '')));

  function showDone(checkout: StorefrontRequestOrderMutation['requestOrder']): void {
    // Kept before anything is shown: a reload or a closed tab from here on loses no order.
    const sentAt = new Date().toISOString();
    keepOrders(checkout.orders.flatMap((order) => (order.statusToken ? [{ number: order.number, token: order.statusToken, seller: order.seller.name, totalRupiah: order.totalRupiah, sentAt }] : [])));
    done.replaceChildren(
      element('h2', { className: 'flush' }, config.texts.sent),
      element('p', {}, config.texts.followUp),
      ...checkout.orders.map((order) =>
        element(
          'section',
          {},
          element('h3', {}, `${config.texts.orderNumber}: ${order.number}`),
          element('p', {}, `${order.seller.name}: ${order.lines.map((line) => `${line.quantity} ${unitLabel(line, config.locale, line.quantity)}${weightAfter(line.weightGrams, config.locale)} ${config.locale === 'en' ? (line.productNameEnglish ?? line.productName) : line.productName}`).join(', ')} · ${config.texts.total} ${rupiah(order.totalRupiah)}`),
          order.statusToken ? element('p', {}, element('a', { href: statusLink(config.ordersBase, order.statusToken) }, config.texts.statusLink)) : '',
          order.whatsappUrl ? element('a', { className: 'button', href: order.whatsappUrl, target: '_blank', rel: 'noopener' }, `${config.texts.whatsapp} (${order.seller.name})`) : element('p', { className: 'muted' }, config.texts.noWhatsapp),
        ),
      ),
    );
    done.hidden = false;
    form.hidden = true;
    itemsBox.replaceChildren();
    done.focus();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errorBox.hidden = true;
    const items = readCart();
    if (items.length === 0) {
      if (shownLines) sayEmptiedElsewhere();
      return;
    }
    const data = new FormData(form);
    const refused = refusedBeforeSending(data);
    markFields(refused);
    if (refused.length > 0) return;
    const note = String(data.get('note') ?? '').trim();
    submit.disabled = true;
    submit.textContent = config.texts.sending;
    let lines = items;
    try {
      // Not sent at a price the shopper has not seen: a change stops here and is shown.
      const changes = await refreshItems();
      // Not checked (the API down or busy): not sent either, so no price goes unseen.
      if (!changes) {
        showError(config.texts.network);
        return;
      }
      if (changes.repriced.length > 0 || changes.gone.length > 0) {
        renderItems();
        showNotice(changesSaid(changes, true));
        notice.focus();
        return;
      }
      showNotice([]);
      lines = readCart();
      if (lines.length === 0) {
        sayEmptiedElsewhere();
        return;
      }
      // A line or quantity another tab changed after this one drew the cart: shown first, not sent
      // (the unit prices would pass the API's check, but not the total this tab showed).
      if (linesOf(lines) !== shownLines) {
        renderItems();
        showNotice([config.texts.changedElsewhere]);
        notice.focus();
        return;
      }
      const { requestOrder } = await execute('/graphql', StorefrontRequestOrderDocument, {
        input: {
          idempotencyKey: attemptKey(lines),
          // The price each line shows, its unit and weight: one changed in the moment since is refused (PRICE_CHANGED), not charged.
          items: lines.map((item) => {
            const shown = shownPriceOf(item);
            return { productId: item.id, quantity: item.quantity, expectedUnitPriceRupiah: shown.priceRupiah, expectedUnit: shown.unit, ...(shown.weightGrams !== undefined ? { expectedWeightGrams: shown.weightGrams } : {}) };
          }),
          buyerName: String(data.get('buyerName') ?? '').trim(),
          buyerPhone: String(data.get('buyerPhone') ?? '').trim(),
          deliveryAddress: String(data.get('deliveryAddress') ?? '').trim(),
          paymentMethod: String(data.get('paymentMethod') ?? 'COD') as PaymentMethod,
          ...(note ? { note } : {}),
        },
      });
      // Only now is it safe to forget: the order exists.
      writeCart([]);
      localStorage.removeItem(ATTEMPT_KEY);
      // The shopper's details stay for their next order; the note was for this one.
      localStorage.setItem(FORM_KEY, JSON.stringify({ ...(JSON.parse(localStorage.getItem(FORM_KEY) ?? '{}') as object), note: '' }));
      showDone(requestOrder);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'PRICE_CHANGED') {
        // Nothing was ordered. The prices now are in the refusal itself: a read of them could be
        // answered from a cache that has not seen the change, and the cart would never learn it.
        const changed = (error.errors[0]?.extensions?.['products'] ?? []) as { productId: string; priceRupiah: number; unit: string; weightGrams: number }[];
        const nowById = new Map(changed.map((entry) => [entry.productId, entry]));
        writeStated({ ...readStated(), ...Object.fromEntries(changed.map((entry) => [entry.productId, { priceRupiah: entry.priceRupiah, unit: entry.unit, weightGrams: entry.weightGrams, at: Date.now() }])) });
        // The refusal has no English for a new unit: the Indonesian is shown until the next read.
        const priceNow = (item: CartItem, entry: (typeof changed)[number]): Terms => ({ priceRupiah: entry.priceRupiah, unit: entry.unit, ...(entry.unit === item.unit && item.unitEnglish ? { unitEnglish: item.unitEnglish } : {}), weightGrams: entry.weightGrams });
        const cart = readCart();
        const said = cart.flatMap((item) => (nowById.has(item.id) ? [repricedSaid(item, priceNow(item, nowById.get(item.id)!))] : []));
        const unitChanged = cart.some((item) => nowById.has(item.id) && !sameSalesUnit(nowById.get(item.id)!.unit, shownPriceOf(item).unit));
        writeCart(cart.map((item) => (nowById.has(item.id) ? { ...withoutEnglishUnit(item), ...priceNow(item, nowById.get(item.id)!) } : item)));
        renderItems();
        showNotice(changesSaid({ repriced: said, gone: [], unitChanged }, true));
        notice.focus();
      } else if (error instanceof ApiError && error.code === 'OUT_OF_STOCK') {
        const short = (error.errors[0]?.extensions?.['products'] ?? []) as { productId: string; name: string; requested: number; available: number }[];
        // Each short line by the name the cart shows it under, and what became of it.
        const before = readCart();
        const said = short.map((entry) => {
          const line = before.find((item) => item.id === entry.productId);
          const name = line ? nameOf(line) : entry.name;
          return entry.available > 0 ? fill(config.texts.stockLineLowered, { name, available: entry.available, requested: entry.requested }) : fill(config.texts.stockLineGone, { name });
        });
        // Offer what is left instead of a dead end: lower the quantities to what remains.
        writeCart(
          before
            .map((item) => {
              const shortage = short.find((entry) => entry.productId === item.id);
              return shortage ? { ...item, quantity: shortage.available, stock: shortage.available } : item;
            })
            .filter((item) => item.quantity > 0),
        );
        renderItems();
        // At the top, where the changed lines are, as for a changed price.
        showNotice([fill(readCart().length > 0 ? config.texts.stockLowered : config.texts.stockLoweredEmpty, { changes: said.join(' ') || error.message })]);
        notice.focus();
      } else if (error instanceof ApiError && error.code === 'BAD_USER_INPUT') {
        // The API's messages are English: each refused field gets the page's own text instead.
        const issues = (error.errors[0]?.extensions?.['issues'] ?? []) as { field: string; message: string }[];
        // A product taken off sale between the check and the send: out of the cart, named.
        const gone = issues
          .filter((issue) => issue.message === 'is not a product on sale')
          .flatMap((issue) => /^input\.items\.(\d+)\.productId$/.exec(issue.field)?.[1] ?? [])
          .map((index) => lines[Number(index)])
          .filter((item): item is CartItem => item !== undefined);
        if (gone.length > 0) {
          writeCart(readCart().filter((item) => !gone.some((entry) => entry.id === item.id)));
          renderItems();
          showNotice(changesSaid({ repriced: [], gone: gone.map(nameOf) }, true));
          notice.focus();
          return;
        }
        const fields = issues.map((issue) => issue.field.replace(/^input\./, '')).filter((field): field is Field => (FIELDS as readonly string[]).includes(field));
        if (fields.length > 0) markFields([...new Set(fields)]);
        else showError(fill(config.texts.unknown, { detail: error.message }));
      } else if (error instanceof ApiError && error.code === 'RATE_LIMITED') {
        // The catalogue says which of its limits (extensions.limit); the router's own carries none.
        const extensions = error.errors[0]?.extensions ?? {};
        const seconds = Number(extensions['retryAfterSeconds'] ?? 0);
        if (extensions['limit'] === 'PHONE_OPEN') sayWithOrdersLink(errorBox, config.texts.tooManyOpen);
        else if (extensions['limit'] === 'PHONE_DAILY') showError(fill(config.texts.tooManyToday, { hours: Math.max(1, Math.ceil(seconds / 3600)) }));
        else if (extensions['limit'] === 'NETWORK_HOURLY') showError(fill(config.texts.tooManyNetwork, { minutes: Math.max(1, Math.ceil(seconds / 60)) }));
        else showError(config.texts.tooMany);
      } else if (error instanceof ApiError) {
        showError(fill(config.texts.unknown, { detail: error.message }));
      } else {
        showError(config.texts.network);
      }
    } finally {
      submit.disabled = false;
      submit.textContent = config.texts.send;
    }
  });

  renderItems();
  void refreshItems().then((changes) => {
    if (!changes) return;
    renderItems();
    showNotice(changesSaid(changes, false));
  });
}
