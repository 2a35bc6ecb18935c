import { createServer } from 'node:http';
import { buildSchema, execute } from 'graphql';
import pg from 'pg';
import { IDENTITY_HEADER, verifyForwardedIdentity } from '@opop/server-kit';
import { documentCache } from './documents.ts';

/**
 * The floor the catalogue subgraph is measured against (issue 21): the same read, on the same
 * table, with what a subgraph cannot skip and nothing else. It checks the router's signed identity
 * as ours does, runs graphql-js on a document parsed and validated once, reads the row with one
 * prepared statement over `pg`, and answers JSON. No ORM, no Apollo Server, no plugins, no
 * logging. It serves the one query it is measured with, `product(slug)` of listed products.
 *
 * Env: DATABASE_URL, DATABASE_SCHEMA (the catalogue's), ROUTER_IDENTITY_SECRET, PORT.
 */
const { DATABASE_URL, DATABASE_SCHEMA = 'public', ROUTER_IDENTITY_SECRET = '', PORT = '0' } = process.env;
if (!DATABASE_URL) throw new Error('the floor reads PostgreSQL: set DATABASE_URL');
if (!/^\w+$/.test(DATABASE_SCHEMA)) throw new Error('DATABASE_SCHEMA must be a plain identifier');

const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 10 });
const LISTED = ['SUBMITTED', 'IN_REVIEW', 'FEATURED'];
const BY_SLUG = { name: 'floor-product-by-slug', text: `select stock, price_rupiah from "${DATABASE_SCHEMA}".product where slug = $1 and curation_status = any($2)` };

const schema = buildSchema(`
  type Product { stock: Int! inStock: Boolean! priceRupiah: Int! }
  type Query { product(slug: String): Product }
`);
const root = {
  product: async ({ slug }: { slug: string }) => {
    const { rows } = await pool.query<{ stock: number; price_rupiah: number }>({ ...BY_SLUG, values: [slug, LISTED] });
    const row = rows[0];
    return row ? { stock: row.stock, inStock: row.stock > 0, priceRupiah: row.price_rupiah } : null;
  },
};

const documentOf = documentCache(schema);

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', async () => {
    const answer = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    try {
      await verifyForwardedIdentity(String(request.headers[IDENTITY_HEADER] ?? ''), ROUTER_IDENTITY_SECRET);
    } catch {
      return answer(401, { errors: [{ message: 'no identity signed by the router' }] });
    }
    try {
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown> };
      const document = documentOf(query);
      if (!('kind' in document)) return answer(400, document);
      answer(200, await execute({ schema, document, rootValue: root, variableValues: variables ?? {} }));
    } catch (error) {
      answer(400, { errors: [{ message: (error as Error).message }] });
    }
  });
});
server.listen(Number(PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
