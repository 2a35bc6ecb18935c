import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld } from '@opop/demo-data';
import { authenticatorCode } from '../console/test/support.ts';
import { chromiumMissing, launchChromium } from '../storefront/test/browser.ts';
import { startWithStorefront, type StartedPlatform } from '../storefront/test/platform.ts';
import { phonePhoto } from '../subgraphs/catalogue/test/photo-files.ts';

/**
 * The console's "done when", as the README tells a newcomer to try it: the real `npm start`
 * (embedded databases, demo data and demo accounts, storefront and console on), two people in
 * Chromium with JavaScript on, no GraphQL typed by anyone. The demo operator lists a product with
 * a photo from their phone; the demo office turns on two-factor as it is asked to, sends the
 * product back with a reason; the operator revises; the office features it; shoppers find it on
 * the storefront, with its photo, and in search, with no rebuild.
 */
const world = generateWorld('demo');
/** A category with no permit rule: a pesantren's craft, featured on its description and photo. */
const craft = world.categories.find((category) => category.parentSlug && !category.requiresHalal && category.foodPermit === 'NONE' && !category.requiresSni)!;
const NAME = 'Tas Anyaman Pandan Uji Perjalanan';

describe.skipIf(Boolean(chromiumMissing))('a pesantren operator and the programme office after npm start', () => {
  let platform: StartedPlatform;
  let consoleUrl: string;
  let storefront: string;
  let api: string;
  let browser: Browser;

  beforeAll(async () => {
    platform = await startWithStorefront({ console: true });
    consoleUrl = platform.console!;
    storefront = platform.storefront;
    api = platform.api;
    browser = await launchChromium();
  }, 330_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  /** A phone with JavaScript on, as people have; the console's CSP in force. */
  const phone = async (): Promise<Page> => (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  const signIn = async (p: Page, email: string, password: string) => {
    await p.goto(`${consoleUrl}/masuk`);
    await p.getByLabel('Email').fill(email);
    await p.getByLabel('Kata sandi').fill(password);
    await p.getByRole('button', { name: 'Masuk' }).click();
  };

  it('lists a product with a photo, is sent back, revises, is featured, and shoppers find it with its photo', async () => {
    // The README's demo operator, as printed by npm start.
    expect(platform.output()).toContain('operator@demo.opop.id / demo-operator-opop');
    const operator = await phone();
    const debug: string[] = [];
    operator.on('console', (m) => debug.push(`console ${m.type()}: ${m.text()}`));
    operator.on('requestfailed', (r) => debug.push(`failed ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    operator.on('response', (r) => r.status() >= 400 && debug.push(`${r.status()} ${r.request().method()} ${r.url()}`));
    await signIn(operator, 'operator@demo.opop.id', 'demo-operator-opop');
    await operator.getByRole('link', { name: 'Produk', exact: true }).click();
    await operator.getByRole('link', { name: 'Tambah produk' }).click();
    await operator.getByLabel('Penjual').selectOption({ index: 1 });
    await operator.getByLabel('Kategori').selectOption(craft.slug);
    await operator.getByLabel('Nama (Bahasa Indonesia)').fill(NAME);
    await operator.getByLabel('Deskripsi (Bahasa Indonesia)').fill('Tas anyaman daun pandan buatan santri putri, kuat untuk belanja ke pasar, dijahit tangan dengan tali kain.');
    await operator.getByLabel('Harga (Rp)').fill('85000');
    await operator.getByLabel('Stok').fill('12');
    await operator.getByLabel('Satuan').fill('buah');
    await operator.getByLabel('Berat (gram)').fill('300');
    await operator.getByRole('button', { name: 'Simpan draf' }).click();
    await operator.waitForURL(/\/produk\/[0-9a-f-]+\?tersimpan=1/);
    const productUrl = operator.url().split('?')[0]!;
    const id = productUrl.split('/').pop()!;

    // A photo from the phone: sent straight to its upload URL, then followed until it is ready.
    await operator.locator('#field-photo').setInputFiles({ name: 'IMG_20261205.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto({ width: 1600, height: 1200, seed: 31 }) });
    await operator.locator('#field-altIndonesian').fill('Tas anyaman pandan di atas meja');
    await operator.getByRole('button', { name: 'Unggah foto' }).click();
    try {
      await operator.locator('[data-photo-list] > [data-status="READY"]').first().waitFor({ timeout: 60_000 });
    } catch (error) {
      console.log('the photo never became ready:', await operator.locator('#foto').textContent(), debug.join('\n'), platform.output().slice(-3000));
      throw error;
    }
    await operator.getByLabel('Catatan untuk kurator (opsional)').fill('Produk baru dari santri putri');
    await operator.getByRole('button', { name: 'Ajukan ke kurasi' }).click();
    await operator.waitForURL(/diajukan=1/);

    // The README's demo office: asked to turn on two-factor first, then to the queue.
    const office = await phone();
    await signIn(office, 'kantor@demo.opop.id', 'demo-kantor-opop');
    await office.waitForURL(/\/akun\/dua-langkah/);
    await office.getByLabel('Kata sandi').fill('demo-kantor-opop');
    await office.getByRole('button', { name: 'Mulai' }).click();
    const secret = (await office.locator('[data-totp-secret]').textContent())!;
    await office.getByLabel('Kode 6 angka dari aplikasi').fill(authenticatorCode(`otpauth://totp/x?secret=${secret}`));
    await office.getByRole('button', { name: 'Aktifkan' }).click();
    await office.waitForURL(/\/akun\?dua-langkah=aktif/);
    await office.getByRole('link', { name: 'Kurasi' }).click();
    await office.getByLabel('Cari nama produk').fill(NAME.toLowerCase());
    await office.getByRole('button', { name: 'Terapkan' }).click();
    await office.getByRole('link', { name: NAME }).click();
    await office.getByRole('button', { name: 'Mulai tinjau' }).click();
    await office.getByLabel('Alasan revisi (dibaca operator)').fill('Tambahkan nama dan deskripsi bahasa Inggris untuk pembeli luar negeri.');
    await office.getByRole('button', { name: 'Minta revisi' }).click();
    await office.waitForURL(/revisi=1/);

    // The operator reads why and revises.
    await operator.goto(productUrl);
    expect(await operator.locator('.status').first().getAttribute('data-status')).toBe('NEEDS_REVISION');
    expect(await operator.locator('[data-history]').textContent()).toContain('bahasa Inggris untuk pembeli luar negeri');
    await operator.getByLabel('Nama (Inggris, opsional)').fill('Woven Pandan Bag (journey test)');
    await operator.getByLabel('Deskripsi (Inggris, opsional)').fill('A bag woven from pandan leaves by the santri, strong enough for the market, hand sewn with cloth straps.');
    await operator.getByRole('button', { name: 'Simpan', exact: true }).click();
    await operator.waitForURL(/tersimpan=1/);
    await operator.getByRole('button', { name: 'Ajukan ke kurasi' }).click();
    await operator.waitForURL(/diajukan=1/);

    await office.goto(productUrl);
    await office.getByRole('button', { name: 'Mulai tinjau' }).click();
    await office.getByRole('button', { name: 'Jadikan unggulan' }).click();
    await office.waitForURL(/unggulan=1/);

    // Shoppers: its page is published without a rebuild, with the photo; search finds it.
    const { data } = (await (await fetch(api, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ product(id: "${id}") { slug featured images { url } } }` }) })).json()) as {
      data: { product: { slug: string; featured: boolean; images: { url: string }[] } };
    };
    expect(data.product.featured).toBe(true);
    expect(data.product.images).toHaveLength(1);
    const shopper = await phone();
    await expect
      .poll(async () => (await fetch(`${storefront}/produk/${data.product.slug}/`)).status, { timeout: 60_000, interval: 500 })
      .toBe(200);
    await shopper.goto(`${storefront}/produk/${data.product.slug}/`);
    expect(await shopper.locator('h1').textContent()).toBe(NAME);
    await expect.poll(() => shopper.locator('.visual.photo.main img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await shopper.locator('.visual.photo.main img').getAttribute('alt')).toBe('Tas anyaman pandan di atas meja');
    await shopper.goto(`${storefront}/cari/?q=${encodeURIComponent('tas anyaman pandan uji perjalanan')}`);
    await expect.poll(() => shopper.getByRole('link', { name: NAME }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
  }, 300_000);
});
