import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWidgets } from '../build.ts';
import * as operations from '../widgets/generated/operations.ts';

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

  it('carries each query\'s hash, which is all a widget sends for it, and not its text; the counting mutation keeps its text', async () => {
    const all = await readFile(join(dir, 'widgets', 'opop-widgets.js'), 'utf8');
    const documents = Object.entries(operations).filter(([name]) => name.endsWith('Document')) as [string, operations.TypedDocumentString<unknown, unknown>][];
    const queries = documents.filter(([, document]) => /^\s*query\b/.test(String(document)));
    expect(queries.length).toBe(documents.length - 1);
    for (const [name, document] of queries) {
      expect(all, name).toContain(document.__meta__!['hash']);
      expect(all, name).not.toContain(`query ${name.replace(/Document$/, '')}`);
    }
    expect(all).toContain('mutation WidgetEvent');
  });
});
