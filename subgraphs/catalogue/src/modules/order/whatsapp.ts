import { formatWeight } from '@opop/identifiers/units';
import type { PaymentMethod } from './order.entity.ts';

/** "Rp 25.000": Indonesian grouping by hand, so the text does not depend on the runtime's ICU data. */
export function formatRupiah(amount: number): string {
  return `Rp ${String(Math.trunc(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

export const PAYMENT_LABELS: Record<PaymentMethod, string> = {
  COD: 'COD (bayar di tempat)',
  BANK_TRANSFER: 'Transfer bank',
  QRIS: 'QRIS',
};

export interface OrderMessage {
  number: string;
  sellerName: string;
  /** A line's weight is that of one unit when ordered; lines ordered before it was kept have none. */
  lines: readonly { productName: string; unit: string; weightGrams?: number | null; unitPriceRupiah: number; quantity: number }[];
  totalRupiah: number;
  paymentMethod: PaymentMethod;
  buyerName: string;
  deliveryAddress: string;
  note: string | null;
}

/** The order as a shopper would type it to the seller, in Bahasa Indonesia. */
export function orderMessage(order: OrderMessage): string {
  const lines = order.lines.map(
    (line, index) =>
      `${index + 1}. ${line.productName}: ${line.quantity} ${line.unit}${line.weightGrams ? ` (${formatWeight(line.weightGrams)})` : ''} x ${formatRupiah(line.unitPriceRupiah)} = ${formatRupiah(line.quantity * line.unitPriceRupiah)}`,
  );
  return [
    `Assalamu'alaikum ${order.sellerName}, saya ingin memesan:`,
    '',
    `No. pesanan: ${order.number}`,
    ...lines,
    '',
    // Shipping is agreed in the chat, so the total says it is not included.
    `Total: ${formatRupiah(order.totalRupiah)} (belum termasuk ongkir)`,
    `Pembayaran: ${PAYMENT_LABELS[order.paymentMethod]}`,
    `Nama: ${order.buyerName}`,
    `Alamat: ${order.deliveryAddress}`,
    ...(order.note ? [`Catatan: ${order.note}`] : []),
    '',
    'Terima kasih.',
  ].join('\n');
}

/** A wa.me link to the seller with the order pre-filled; null when the seller has no WhatsApp number. */
export function whatsappUrl(sellerWhatsapp: string | null, message: string): string | null {
  if (!sellerWhatsapp) return null;
  return `https://wa.me/${sellerWhatsapp}?text=${encodeURIComponent(message)}`;
}
