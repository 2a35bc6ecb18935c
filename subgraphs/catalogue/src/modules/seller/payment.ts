import { parseQris } from '@opop/identifiers/qris';
import QRCode from 'qrcode';
import type { Seller } from './seller.entity.ts';

export interface BankAccountView {
  bankName: string;
  accountNumber: string;
  accountHolder: string;
}

export interface QrisView {
  payload: string;
  merchantName: string;
  svg: () => Promise<string>;
}

export interface PaymentDetailsView {
  bankAccount: BankAccountView | null;
  qris: QrisView | null;
}

/**
 * The code drawn for screens: margin 4 is the quiet zone the QR standard asks for; error
 * correction M, as printed QRIS use. Drawn only when a client asks for `svg`.
 */
const drawQris = (payload: string) => QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });

/** A seller's payment details as the API shows them; parts not set are null. */
export function paymentDetailsOf(seller: Seller): PaymentDetailsView {
  const bankAccount =
    seller.bankName && seller.bankAccountNumber && seller.bankAccountHolder
      ? { bankName: seller.bankName, accountNumber: seller.bankAccountNumber, accountHolder: seller.bankAccountHolder }
      : null;
  // Stored only after the same check passed; parsed again for the merchant name it carries.
  const parsed = seller.qrisPayload ? parseQris(seller.qrisPayload) : null;
  const qris = parsed?.ok ? { payload: parsed.code.payload, merchantName: parsed.code.merchantName, svg: () => drawQris(parsed.code.payload) } : null;
  return { bankAccount, qris };
}
