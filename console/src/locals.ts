import type { AccountsService } from './accounts/accounts.service.ts';

/** What the server hands every page (Astro.locals.console). */
export interface ConsoleLocals {
  accounts: AccountsService;
  clientIp: string;
  routerUrl: string;
  publicUrl: string;
  mailerConfigured: boolean;
  environment: 'development' | 'test' | 'production';
}
