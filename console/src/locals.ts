import type { AccountsService } from './accounts/accounts.service.ts';

/** What the server hands every page (Astro.locals.console). */
export interface ConsoleLocals {
  accounts: AccountsService;
  clientIp: string;
  routerUrl: string;
  publicUrl: string;
  /** The API's address as partners' systems call it (PUBLIC_API_URL + /graphql). */
  publicApiUrl: string;
  mailerConfigured: boolean;
  environment: 'development' | 'test' | 'production';
}
