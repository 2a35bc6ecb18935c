import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { academicsAggregate } from './academics-aggregate.ts';
import { consolePages } from './console.ts';
import { machine, versions, type BenchResult } from './measure.ts';
import { photoPages } from './photo-pages.ts';
import { photoProcessing } from './photos.ts';
import { clusterOrReplicas } from './replicas.ts';
import { publishLatency } from './publish.ts';
import { productSearch } from './search.ts';
import { routerThroughput } from './router.ts';
import { costAtScale } from './scale.ts';
import { storefrontBuild } from './storefront.ts';
import { widgetSizes } from './widgets.ts';

/**
 * `npm run bench`: runs every benchmark on this machine (127.0.0.1 only, bounded in requests)
 * and writes BENCHMARKS.md. Figures are measured side by side in one run and reported against a
 * baseline measured in that same run. `--only <name>` runs one suite.
 */
const SUITES: Record<string, (databaseUrl: string | undefined) => Promise<BenchResult>> = {
  'academics-aggregate': academicsAggregate,
  search: productSearch,
  router: routerThroughput,
  replicas: clusterOrReplicas,
  storefront: storefrontBuild,
  widgets: widgetSizes,
  photos: photoProcessing,
  'photo-pages': photoPages,
  publish: publishLatency,
  console: consolePages,
  scale: costAtScale,
};

const { values } = parseArgs({ options: { only: { type: 'string' } } });
const databaseUrl = process.env['BENCH_DATABASE_URL'] || process.env['TEST_DATABASE_URL'] || process.env['DATABASE_URL'] || undefined;
const selected = values.only ? { [values.only]: SUITES[values.only] } : SUITES;
const results: BenchResult[] = [];
for (const [name, suite] of Object.entries(selected)) {
  if (!suite) throw new Error(`no benchmark named ${name}; there are: ${Object.keys(SUITES).join(', ')}`);
  console.log(`running ${name} …`);
  const result = await suite(databaseUrl);
  console.log(`\n## ${result.title}\n\n${result.body}\n`);
  results.push(result);
}

// With --only, the other sections of BENCHMARKS.md are kept as they were measured.
const path = new URL('../BENCHMARKS.md', import.meta.url);
const previous = values.only ? await readFile(path, 'utf8').catch(() => '') : '';
const sections = new Map(previous.split(/^## /m).slice(1).map((section) => [section.slice(0, section.indexOf('\n')), section.slice(section.indexOf('\n') + 1).trim()]));
for (const result of results) sections.set(result.title, result.body);
const report = `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}. Every figure comes from one run on one machine, next to
a baseline measured in the same run; rerun to refresh them. Machine: ${machine()}.
Versions: ${await versions(databaseUrl)}.
${values.only ? `This run measured only \`${values.only}\`; the other sections are from earlier runs.\n` : ''}
${[...sections].map(([title, body]) => `## ${title}\n\n${body}`).join('\n\n')}
`;
await writeFile(path, report);
console.log('wrote BENCHMARKS.md');
