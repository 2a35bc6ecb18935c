import { chromium } from 'playwright-core';
import { authenticatorCode } from '../console/test/support.ts';
import { CHROMIUM, CHROMIUM_FLAGS } from '../storefront/test/browser.ts';
import { runLighthouse, type LighthouseReport } from '../storefront/test/lighthouse.ts';
import { startWithStorefront } from '../storefront/test/platform.ts';
import type { BenchResult } from './measure.ts';

/**
 * The console's main pages under Lighthouse's mobile profile (a mid-range phone on slow 4G,
 * simulated), signed in as the README's demo operator and demo office, against the real
 * `npm start` on its own ports and embedded databases. Each page three times in a fresh profile;
 * the median by performance is reported. The console asks search engines not to index it
 * (`noindex`), which Lighthouse's SEO category counts against it: that score is left out.
 */
const RUNS = 3;

export async function consolePages(): Promise<BenchResult> {
  const platform = await startWithStorefront({ console: true });
  const base = platform.console!;
  try {
    // The operator signs in with a password; the office also turns on two-factor, as it is made to.
    const signIn = async (email: string, password: string) => {
      const response = await fetch(`${base}/masuk`, { method: 'POST', redirect: 'manual', headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password }).toString() });
      return response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    };
    const operator = await signIn('operator@demo.opop.id', 'demo-operator-opop');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    let office: string;
    try {
      const page = await (await browser.newContext()).newPage();
      await page.goto(`${base}/masuk`);
      await page.getByLabel('Email').fill('kantor@demo.opop.id');
      await page.getByLabel('Kata sandi').fill('demo-kantor-opop');
      await page.getByRole('button', { name: 'Masuk' }).click();
      await page.waitForURL(/\/akun\/dua-langkah/);
      await page.getByLabel('Kata sandi').fill('demo-kantor-opop');
      await page.getByRole('button', { name: 'Mulai' }).click();
      const secret = (await page.locator('[data-totp-secret]').textContent())!;
      await page.getByLabel('Kode 6 angka dari aplikasi').fill(authenticatorCode(`otpauth://totp/x?secret=${secret}`));
      await page.getByRole('button', { name: 'Aktifkan' }).click();
      await page.waitForURL(/dua-langkah=aktif/);
      office = (await page.context().cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
    } finally {
      await browser.close();
    }
    // One of the operator's products, for its page (the form, the photos, the history).
    const list = await (await fetch(`${base}/produk`, { headers: { cookie: operator } })).text();
    const productPath = list.match(/href="(\/produk\/[0-9a-f-]{36})"/)?.[1];
    const pages: { who: string; path: string; cookie: string | undefined }[] = [
      { who: 'anyone', path: '/masuk', cookie: undefined },
      { who: 'operator', path: '/', cookie: operator },
      { who: 'operator', path: '/produk', cookie: operator },
      { who: 'operator', path: '/produk/baru', cookie: operator },
      ...(productPath ? [{ who: 'operator', path: productPath, cookie: operator }] : []),
      { who: 'operator', path: '/pesanan', cookie: operator },
      { who: 'operator', path: '/akademik', cookie: operator },
      { who: 'office', path: '/kurasi', cookie: office },
      { who: 'office', path: '/dasbor', cookie: office },
      { who: 'office', path: '/kerja-sama', cookie: office },
      { who: 'office', path: '/kerja-sama/keterlibatan', cookie: office },
    ];
    const rows: string[] = [];
    const lost = new Set<string>();
    let worst = 100;
    for (const { who, path, cookie } of pages) {
      // A signed-in page that sent Lighthouse to the sign-in page would measure the wrong page.
      const direct = await fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
      if (direct.status !== 200) throw new Error(`${path} as ${who} answered ${direct.status} ${direct.headers.get('location') ?? ''}`);
      const runs: LighthouseReport[] = [];
      for (let run = 0; run < RUNS; run++) runs.push(await runLighthouse(`${base}${path}`, cookie ? { extraHeaders: { cookie } } : {}));
      runs.sort((a, b) => a.scores.performance - b.scores.performance);
      const median = runs[Math.floor(RUNS / 2)]!;
      const { scores, metrics } = median;
      for (const audit of median.failing) if (!audit.startsWith('seo/')) lost.add(audit.replace(/:.*/, ''));
      worst = Math.min(worst, scores.performance);
      rows.push(
        `| ${who} | \`${path.replace(/[0-9a-f-]{36}/, '<id>')}\` | ${scores.performance} (${runs.map((r) => r.scores.performance).join(', ')}) | ${scores.accessibility} | ${scores['best-practices']} | ${(metrics.fcpMs / 1000).toFixed(1)} s | ${(metrics.lcpMs / 1000).toFixed(1)} s | ${Math.round(metrics.tbtMs)} ms | ${metrics.cls.toFixed(3)} |`,
      );
    }
    const body = `Lighthouse 13 on the console's main pages, mobile profile (a mid-range phone on slow 4G, simulated), signed in as the README's demo accounts on \`npm start\`'s demo data; each page ${RUNS} times in a fresh profile, the median by performance shown:

| signed in as | page | performance (median; the runs) | accessibility | best practices | FCP | LCP | TBT | CLS |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Worst performance: ${worst}. Points lost outside SEO: ${lost.size ? [...lost].sort().map((audit) => `\`${audit}\``).join(', ') : 'none'}. The pages are rendered on the server and work without JavaScript; the product form and the photo list load small scripts. SEO is not reported: the console asks search engines not to index it.`;
    return { title: 'Console pages, Lighthouse (issue 18)', body };
  } finally {
    await platform.stop();
  }
}
