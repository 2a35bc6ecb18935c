import { boundedText as text } from '@opop/identifiers';
import { BANK_ACCOUNT_DIGITS, BANK_ACCOUNT_TYPED_MAX, normalizeBankAccountNumber } from '@opop/identifiers/bank';
import { parseQris } from '@opop/identifiers/qris';
import { z } from 'zod';

/** Digits only: people type account numbers with spaces, dots or dashes (123-456-7890). */
const bankAccountNumber = z
  .string()
  .max(BANK_ACCOUNT_TYPED_MAX, `must be at most ${BANK_ACCOUNT_TYPED_MAX} characters`)
  .transform(normalizeBankAccountNumber)
  .refine((value) => BANK_ACCOUNT_DIGITS.test(value), 'must be the account number: 6 to 20 digits (spaces and dashes are ignored)');

const qrisPayload = z.string().transform((value, ctx) => {
  const result = parseQris(value);
  if (result.ok) return result.code.payload;
  ctx.addIssue({ code: 'custom', message: result.reason });
  return z.NEVER;
});

/**
 * What a seller's buyers are shown when they pay by transfer or QRIS. The three bank fields go
 * together (a bank without an account number helps nobody); an empty field clears it.
 */
export const sellerPaymentInput = z
  .object({
    bankName: text(0, 60).nullish(),
    bankAccountNumber: z.string().nullish(),
    bankAccountHolder: text(0, 100).nullish(),
    qrisPayload: z.string().nullish(),
  })
  .transform((input) => ({
    bankName: input.bankName || null,
    bankAccountNumber: input.bankAccountNumber?.trim() || null,
    bankAccountHolder: input.bankAccountHolder || null,
    qrisPayload: input.qrisPayload?.trim() || null,
  }))
  .pipe(
    z
      .object({
        bankName: text(2, 60).nullable(),
        bankAccountNumber: bankAccountNumber.nullable(),
        bankAccountHolder: text(3, 100).nullable(),
        qrisPayload: qrisPayload.nullable(),
      })
      .superRefine((bank, ctx) => {
        const given = (['bankName', 'bankAccountNumber', 'bankAccountHolder'] as const).filter((field) => bank[field] !== null);
        if (given.length === 0 || given.length === 3) return;
        for (const field of ['bankName', 'bankAccountNumber', 'bankAccountHolder'] as const) {
          if (bank[field] === null) ctx.addIssue({ code: 'custom', message: 'is needed with the other bank details (bank, account number, account holder), or leave all three empty', path: [field] });
        }
      }),
  );
export type SellerPaymentInput = z.infer<typeof sellerPaymentInput>;
