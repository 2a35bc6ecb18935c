import type { AstroGlobal, APIContext } from 'astro';
import type { RequestContext } from '../accounts/accounts.service.ts';
import type { Bilingual } from './i18n.ts';

type Context = AstroGlobal | APIContext;

/** The form's fields as strings (files and repeated names are not used by these forms). */
export async function readForm(request: Request): Promise<Record<string, string>> {
  const form = await request.formData().catch((error: unknown) => {
    // Too large (64 KiB), not a form, or a broken multipart body: the client's mistake, a 400.
    throw Object.assign(new Error(`unreadable form: ${(error as Error).message}`), { name: 'UnreadableForm' });
  });
  const fields: Record<string, string> = {};
  for (const [name, value] of form) if (typeof value === 'string' && !(name in fields)) fields[name] = value;
  return fields;
}

/** Who is asking, for the accounts service: the browser's headers and its address as the server trusts it. */
export function requestContext(context: Context): RequestContext {
  return { headers: context.request.headers, ip: context.locals.console.clientIp, userAgent: context.request.headers.get('user-agent') };
}

/** A 303 to `location`, carrying cookies better-auth set (Post/Redirect/Get). */
export function redirectWith(location: string, cookies: readonly string[] = []): Response {
  const headers = new Headers({ location });
  for (const cookie of cookies) headers.append('set-cookie', cookie);
  return new Response(null, { status: 303, headers });
}

export interface Refusal {
  code: string;
  text: Bilingual;
  fields: Record<string, Bilingual>;
  retryAfterSeconds?: number | undefined;
}

/** The refusal a form shows, or undefined for any other error (which is rethrown by the caller). */
export function asRefusal(error: unknown): Refusal | undefined {
  // By name, not instanceof: pages are bundled apart from the service's classes.
  if (error instanceof Error && error.name === 'AccountsError') return error as unknown as Refusal;
  return undefined;
}

/** Only local paths: `next=https://evil.example` must not turn the sign-in page into a redirector. */
export function safeNext(value: string | null | undefined): string {
  // Browsers drop tabs and newlines and read backslashes as slashes: `/\t/evil.example` is
  // `//evil.example`. So nothing of the kind passes, and the rest must stay on this origin.
  if (!value || !value.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  const base = 'http://console.invalid';
  try {
    const resolved = new URL(value, base);
    if (resolved.origin !== base) return '/';
    // Resolving collapses dot segments, and what it gives back is what the browser reads next:
    // `/.//evil.example` (or `/x/..//evil.example`) resolves to the path `//evil.example`, which
    // a browser takes as another host. The path must name this site when read on its own.
    const local = `${resolved.pathname}${resolved.search}${resolved.hash}`;
    return local.startsWith('//') || new URL(local, base).origin !== base ? '/' : local;
  } catch {
    return '/';
  }
}
