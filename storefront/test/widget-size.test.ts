import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidgets } from '../build.ts';

/**
 * The widgets' budgets (issue 7), on the scripts exactly as `npm run build` writes them: the
 * product card alone, core included, under 3 KB gzipped; all four widgets under 8 KB. The card
 * draws the product's photo (issue 19) within that.
 */
describe('widget script sizes', () => {
  let dir: string;
  const gzipped = async (file: string) => gzipSync(await readFile(join(dir, 'widgets', file)), { level: 9 }).length;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'opop-widget-size-'));
    await buildWidgets(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps the product card under 3 KB gzipped', async () => {
    expect(await gzipped('opop-product-card.js')).toBeLessThan(3 * 1024);
  });

  it('keeps all four widgets under 8 KB gzipped', async () => {
    expect(await gzipped('opop-widgets.js')).toBeLessThan(8 * 1024);
  });

  it('draws photos as <picture> with an AVIF source and a JPEG srcset', async () => {
    const card = await readFile(join(dir, 'widgets', 'opop-product-card.js'), 'utf8');
    expect(card).toContain('<picture><source type="image/avif"');
    expect(card).toContain('loading="lazy"');
  });
});
