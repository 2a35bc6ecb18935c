import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { composeSupergraph } from './compose.ts';
import { API_SCHEMA_PATH, SUPERGRAPH_PATH } from './subgraphs.ts';

/**
 * `npm run compose`: writes schema/supergraph.graphql (for the router) and schema/api.graphql
 * (for clients), or with --check fails when either is stale.
 */
const check = process.argv.includes('--check');
const { supergraphSdl, apiSchemaSdl } = await composeSupergraph();
let stale = false;
for (const [url, composed] of [
  [SUPERGRAPH_PATH, supergraphSdl],
  [API_SCHEMA_PATH, apiSchemaSdl],
] as const) {
  const path = fileURLToPath(url);
  const committed = await readFile(path, 'utf8').catch(() => '');
  if (check) {
    if (committed !== composed) {
      console.error(`${path} is stale: run \`npm run compose\` and commit the result.`);
      stale = true;
    } else console.log(`${path} is up to date.`);
  } else {
    await writeFile(path, composed);
    console.log(committed === composed ? `${path} was already up to date.` : `wrote ${path}`);
  }
}
if (stale) process.exit(1);
