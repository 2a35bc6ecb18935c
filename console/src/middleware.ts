import { STATUS_CODES } from 'node:http';
import type { APIContext, MiddlewareNext } from 'astro';
import { defineMiddleware } from 'astro:middleware';
import type { Lang } from './lib/i18n.ts';

/** Pages anyone may open: signing in and the one-time links. */
const PUBLIC = [/^\/masuk(\/kode)?\/?$/, /^\/undangan\/[^/]+\/?$/, /^\/sandi-baru\/[^/]+\/?$/, /^\/lupa-sandi\/?$/, /^\/bahasa\/?$/];
/** Where an office member without two-factor may still go: setting it up, or leaving. */
const TWO_FACTOR_SETUP = [/^\/akun\/dua-langkah\/?$/, /^\/keluar\/?$/, /^\/bahasa\/?$/];

export const ACTING_COOKIE = 'opop_acting';

export const onRequest = defineMiddleware(async (context, next) => {
  try {
    return withReasonPhrase(await guarded(context, next));
  } catch (error) {
    if (error instanceof Error && error.name === 'UnreadableForm') {
      return new Response('Isian formulir tidak bisa dibaca (terlalu besar atau rusak). / The form could not be read (too large or malformed).', { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    throw error;
  }
});

/**
 * A page that refuses a form sets `Astro.response.status` (400, 404, …), and Astro then sent the
 * status line "400 OK": its response keeps the statusText "OK" it started with. The status's own
 * reason phrase instead. (Astro attaches the request's cookies to whatever response the
 * middleware returns, so a new Response loses none.)
 */
function withReasonPhrase(response: Response): Response {
  if (response.status === 200 || response.statusText !== 'OK') return response;
  const bodiless = response.status === 204 || response.status === 205 || response.status === 304;
  return new Response(bodiless ? null : response.body, { status: response.status, statusText: STATUS_CODES[response.status] ?? '', headers: response.headers });
}

async function guarded(context: APIContext, next: MiddlewareNext): Promise<Response> {
  const { locals, url, cookies } = context;
  locals.lang = cookies.get('opop_lang')?.value === 'en' ? 'en' : ('id' satisfies Lang);
  locals.person = await locals.console.accounts.signedIn(context.request.headers);
  const wanted = cookies.get(ACTING_COOKIE)?.value;
  // The switcher cookie only picks among the person's own memberships; anything else falls back to the first.
  locals.acting = locals.person?.memberships.find((m) => m.id === wanted) ?? locals.person?.memberships[0] ?? null;

  const path = url.pathname;
  if (PUBLIC.some((pattern) => pattern.test(path))) return next();
  if (!locals.person) return context.redirect(`/masuk?next=${encodeURIComponent(path + url.search)}`, 303);
  const office = locals.person.memberships.some((m) => m.kind === 'PROGRAMME_OFFICE');
  if (office && !locals.person.user.twoFactorEnabled && !TWO_FACTOR_SETUP.some((pattern) => pattern.test(path))) {
    return context.redirect('/akun/dua-langkah?wajib=1', 303);
  }
  return next();
}
