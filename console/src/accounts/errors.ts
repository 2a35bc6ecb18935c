/** What a person sees when the console refuses something: one message in each language. */
export interface Bilingual {
  id: string;
  en: string;
}

export type AccountsErrorCode =
  | 'BAD_USER_INPUT'
  | 'WRONG_CREDENTIALS'
  | 'LOCKED_OUT'
  | 'ACCOUNT_DEACTIVATED'
  | 'TWO_FACTOR_REQUIRED'
  | 'WRONG_CODE'
  | 'LINK_INVALID'
  | 'LINK_EXPIRED'
  | 'LINK_USED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT';

/**
 * A refusal with a stable code (tests and pages branch on it) and a message for the person. It
 * is thrown before anything is written, or from inside the transaction that it rolls back.
 */
export class AccountsError extends Error {
  override name = 'AccountsError';
  readonly code: AccountsErrorCode;
  readonly text: Bilingual;
  /** Per form field, for messages shown next to the field. */
  readonly fields: Record<string, Bilingual>;
  readonly retryAfterSeconds: number | undefined;

  constructor(code: AccountsErrorCode, text: Bilingual, fields: Record<string, Bilingual> = {}, retryAfterSeconds?: number) {
    super(text.en);
    this.code = code;
    this.text = text;
    this.fields = fields;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export const refuse = (code: AccountsErrorCode, id: string, en: string, fields?: Record<string, Bilingual>) => new AccountsError(code, { id, en }, fields);
