import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import type { BenchResult } from './measure.ts';

/** Widget script sizes (issue 7), built exactly as `npm run build` builds them, against their budgets. */
export async function widgetSizes(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'opop-bench-widgets-'));
  try {
    // Imported here, not at the top: storefront/build.ts reads the platform's ports and data folder
    // when first imported, and the storefront bench sets them before it runs.
    const { buildWidgets } = await import('../storefront/build.ts');
    await buildWidgets(dir);
    const size = async (file: string) => {
      const code = await readFile(join(dir, 'widgets', file));
      return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length };
    };
    const card = await size('opop-product-card.js');
    const all = await size('opop-widgets.js');
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
    const verdict = (bytes: number, budget: number) => `${bytes < budget * 1024 ? 'within' : '**over**'} the ${budget} KB budget`;
    return {
      title: 'Widget scripts (issue 7)',
      body: `Built with esbuild as \`npm run build\` builds them (minified ES modules, data layer generated from \`schema/operations/widgets/\`).

| script | minified | gzip | Brotli | budget (gzip) |
|---|---|---|---|---|
| \`opop-product-card.js\` (the card alone) | ${kb(card.raw)} | ${kb(card.gzip)} | ${kb(card.brotli)} | ${verdict(card.gzip, 3)} |
| \`opop-widgets.js\` (card, grid, search, badge) | ${kb(all.raw)} | ${kb(all.gzip)} | ${kb(all.brotli)} | ${verdict(all.gzip, 8)} |

For scale, the issue quotes Shopify's Buy Button at about 59 KB (not measured here): all four widgets are ${(59 / (all.gzip / 1024)).toFixed(0)}× smaller.`,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
