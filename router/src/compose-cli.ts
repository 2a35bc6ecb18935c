import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { composeSupergraph } from './compose.ts';
import { SUPERGRAPH_PATH } from './subgraphs.ts';

/** `npm run compose`: writes schema/supergraph.graphql, or with --check fails when it is stale. */
const check = process.argv.includes('--check');
const composed = await composeSupergraph();
const path = fileURLToPath(SUPERGRAPH_PATH);
const committed = await readFile(path, 'utf8').catch(() => '');
if (check) {
  if (committed !== composed) {
    console.error(`${path} is stale: run \`npm run compose\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${path} is up to date.`);
} else {
  await writeFile(path, composed);
  console.log(committed === composed ? `${path} was already up to date.` : `wrote ${path}`);
}
