/**
 * Bank account numbers without zod, so the catalogue (which stores them) and the console (which
 * says what is wrong in the person's language before sending) apply one rule.
 */

/** Longest text taken before normalising: an account number with generous spacing. */
export const BANK_ACCOUNT_TYPED_MAX = 40;

/** Digits only: people type account numbers with spaces, dots or dashes (123-456-7890). */
export const normalizeBankAccountNumber = (value: string): string => value.replace(/[\s.-]/g, '');

/** An account number once normalised: 6 to 20 digits. */
export const BANK_ACCOUNT_DIGITS = /^\d{6,20}$/;

/** Whether `value`, as typed, is an account number: 6 to 20 digits once spaces, dots and dashes go. */
export const isBankAccountNumber = (value: string): boolean => value.length <= BANK_ACCOUNT_TYPED_MAX && BANK_ACCOUNT_DIGITS.test(normalizeBankAccountNumber(value));
