/// <reference types="astro/client" />

declare namespace App {
  interface Locals {
    console: import('./locals.ts').ConsoleLocals;
    /** Set by the middleware for signed-in requests. */
    person: import('./accounts/accounts.service.ts').SignedIn | null;
    /** The membership the person acts for now (the switcher cookie, checked against their memberships). */
    acting: import('./accounts/membership.entity.ts').Membership | null;
    lang: 'id' | 'en';
  }
}
