import type { Browser, Locator, Page } from 'playwright-core';
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

  /**
   * A person using the keyboard alone: each control is reached with Tab (proof it is in the tab
   * order), then used with keys: typing, Enter on links and buttons, arrows on selects, Space on a
   * file field (which opens the phone's or computer's file chooser).
   */
  const keyboardOf = (p: Page) => {
    const reach = async (target: Locator) => {
      for (let presses = 0; presses < 250; presses++) {
        await p.keyboard.press('Tab');
        if (await target.evaluate((element) => element === document.activeElement)) return;
      }
      throw new Error(`cannot reach ${String(target)} with Tab`);
    };
    return {
      type: async (target: Locator, text: string) => {
        await reach(target);
        await p.keyboard.press('Control+A');
        await p.keyboard.type(text);
      },
      press: async (target: Locator, key = 'Enter') => {
        await reach(target);
        await p.keyboard.press(key);
      },
      choose: async (target: Locator, wanted: (value: string) => boolean) => {
        await reach(target);
        for (let presses = 0; presses < 300; presses++) {
          if (wanted(await target.inputValue())) return;
          await p.keyboard.press('ArrowDown');
        }
        throw new Error(`no wanted option in ${String(target)}`);
      },
      file: async (target: Locator, file: { name: string; mimeType: string; buffer: Buffer }) => {
        // Listen before the Tabs: Playwright asks Chromium to hand it file choosers without waiting
        // for the answer, so a listener added together with the key press could miss the chooser.
        const chooser = p.waitForEvent('filechooser');
        chooser.catch(() => undefined); // when the field cannot be reached, that is the error to report
        await reach(target);
        await p.keyboard.press('Space');
        await (await chooser).setFiles(file);
      },
    };
  };

  it('lists a product with a photo, is sent back, revises, is featured, and shoppers find it with its photo: both people with the keyboard alone', async () => {
    // The README's demo operator, as printed by npm start.
    expect(platform.output()).toContain('operator@demo.opop.id / demo-operator-opop');
    const operator = await phone();
    const debug: string[] = [];
    operator.on('console', (m) => debug.push(`console ${m.type()}: ${m.text()}`));
    operator.on('requestfailed', (r) => debug.push(`failed ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
    operator.on('response', (r) => r.status() >= 400 && debug.push(`${r.status()} ${r.request().method()} ${r.url()}`));
    const keys = keyboardOf(operator);
    await operator.goto(`${consoleUrl}/masuk`);
    await keys.type(operator.getByLabel('Email'), 'operator@demo.opop.id');
    await keys.type(operator.getByLabel('Kata sandi'), 'demo-operator-opop');
    await keys.press(operator.getByRole('button', { name: 'Masuk' }));
    await operator.waitForURL(`${consoleUrl}/`);
    await keys.press(operator.getByRole('link', { name: 'Produk', exact: true }));
    await operator.waitForURL(/\/produk$/);
    await keys.press(operator.getByRole('link', { name: 'Tambah produk' }));
    await operator.waitForURL(/\/produk\/baru$/);
    await keys.choose(operator.getByLabel('Penjual'), (value) => value !== '');
    await keys.choose(operator.getByLabel('Kategori'), (value) => value === craft.slug);
    await keys.type(operator.getByLabel('Nama (Bahasa Indonesia)'), NAME);
    await keys.type(operator.getByLabel('Deskripsi (Bahasa Indonesia)'), 'Tas anyaman daun pandan buatan santri putri, kuat untuk belanja ke pasar, dijahit tangan.');
    await keys.type(operator.getByLabel('Harga (Rp)'), '85000');
    await keys.type(operator.getByLabel('Stok'), '12');
    await keys.type(operator.getByLabel('Satuan'), 'buah');
    await keys.type(operator.getByLabel('Berat (gram)'), '300');
    await keys.press(operator.getByRole('button', { name: 'Simpan draf' }));
    await operator.waitForURL(/\/produk\/[0-9a-f-]+\?tersimpan=1/);
    const productUrl = operator.url().split('?')[0]!;
    const id = productUrl.split('/').pop()!;

    // A photo from the phone: sent straight to its upload URL, then followed until it is ready.
    await keys.file(operator.locator('#field-photo'), { name: 'IMG_20261205.jpg', mimeType: 'image/jpeg', buffer: await phonePhoto({ width: 1600, height: 1200, seed: 31 }) });
    await keys.type(operator.locator('#field-altIndonesian'), 'Tas anyaman pandan di atas meja');
    await keys.press(operator.getByRole('button', { name: 'Unggah foto' }));
    try {
      await operator.locator('[data-photo-list] > [data-status="READY"]').first().waitFor({ timeout: 60_000 });
    } catch (error) {
      console.log('the photo never became ready:', await operator.locator('#foto').textContent(), debug.join('\n'), platform.output().slice(-3000));
      throw error;
    }
    await keys.type(operator.getByLabel('Catatan untuk kurator (opsional)'), 'Produk baru dari santri putri');
    await keys.press(operator.getByRole('button', { name: 'Ajukan ke kurasi' }));
    await operator.waitForURL(/diajukan=1/);

    // The README's demo office: asked to turn on two-factor first, then to the queue.
    const office = await phone();
    const officeKeys = keyboardOf(office);
    await office.goto(`${consoleUrl}/masuk`);
    await officeKeys.type(office.getByLabel('Email'), 'kantor@demo.opop.id');
    await officeKeys.type(office.getByLabel('Kata sandi'), 'demo-kantor-opop');
    await officeKeys.press(office.getByRole('button', { name: 'Masuk' }));
    await office.waitForURL(/\/akun\/dua-langkah/);
    await officeKeys.type(office.getByLabel('Kata sandi'), 'demo-kantor-opop');
    await officeKeys.press(office.getByRole('button', { name: 'Mulai' }));
    const secret = (await office.locator('[data-totp-secret]').textContent())!;
    await officeKeys.type(office.getByLabel('Kode 6 angka dari aplikasi'), authenticatorCode(`otpauth://totp/x?secret=${secret}`));
    await officeKeys.press(office.getByRole('button', { name: 'Aktifkan' }));
    await office.waitForURL(/\/akun\?dua-langkah=aktif/);
    await officeKeys.press(office.getByRole('link', { name: 'Kurasi' }));
    await office.waitForURL(/\/kurasi/);
    await officeKeys.type(office.getByLabel('Cari nama produk'), NAME.toLowerCase());
    await officeKeys.press(office.getByRole('button', { name: 'Terapkan' }));
    await office.waitForURL(/cari=/);
    await officeKeys.press(office.getByRole('link', { name: NAME }));
    await office.waitForURL(productUrl);
    await officeKeys.press(office.getByRole('button', { name: 'Mulai tinjau' }));
    await office.getByLabel('Alasan revisi (dibaca operator)').waitFor();
    await officeKeys.type(office.getByLabel('Alasan revisi (dibaca operator)'), 'Tambahkan nama dan deskripsi bahasa Inggris untuk pembeli luar negeri.');
    await officeKeys.press(office.getByRole('button', { name: 'Minta revisi' }));
    await office.waitForURL(/revisi=1/);

    // The operator reads why and revises.
    await operator.goto(productUrl);
    expect(await operator.locator('.status').first().getAttribute('data-status')).toBe('NEEDS_REVISION');
    expect(await operator.locator('[data-history]').textContent()).toContain('bahasa Inggris untuk pembeli luar negeri');
    await keys.type(operator.getByLabel('Nama (Inggris, opsional)'), 'Woven Pandan Bag (journey test)');
    await keys.type(operator.getByLabel('Deskripsi (Inggris, opsional)'), 'A bag woven from pandan leaves by the santri, strong enough for the market.');
    await keys.press(operator.getByRole('button', { name: 'Simpan', exact: true }));
    await operator.waitForURL(/tersimpan=1/);
    await keys.press(operator.getByRole('button', { name: 'Ajukan ke kurasi' }));
    await operator.waitForURL(/diajukan=1/);

    await office.goto(productUrl);
    await officeKeys.press(office.getByRole('button', { name: 'Mulai tinjau' }));
    await office.getByRole('button', { name: 'Jadikan unggulan' }).waitFor();
    await officeKeys.press(office.getByRole('button', { name: 'Jadikan unggulan' }));
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
