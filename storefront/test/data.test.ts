import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The build reads every product in pages of 100. A page of products with many photos each can
 * be larger than the router answers (RESPONSE_TOO_LARGE): the build then asks for smaller pages
 * instead of failing. The router's per-address rate limit (429, RATE_LIMITED) is waited out for
 * as long as it says.
 */
describe('reading the catalogue for the build', () => {
  const TOTAL = 130;
  /** Pages above this size are refused, as the router refuses answers over its limit. */
  const LARGEST = 30;
  const asked: number[] = [];
  /** The request refused once with the router's rate-limit answer, and when it was. */
  const LIMITED = 4;
  let refusedAt = 0;
  let retriedAt = 0;
  let server: Server;

  beforeAll(async () => {
    server = createServer(async (request, response) => {
      let text = '';
      for await (const chunk of request) text += chunk;
      const { variables } = JSON.parse(text) as { variables: { first: number; after: string | null } };
      asked.push(variables.first);
      response.setHeader('content-type', 'application/json');
      if (asked.length === LIMITED) {
        refusedAt = performance.now();
        response.writeHead(429, { 'retry-after': '1' }).end(JSON.stringify({ errors: [{ message: 'Too many requests; try again in 1 s', extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 1 } }] }));
        return;
      }
      if (asked.length === LIMITED + 1) retriedAt = performance.now();
      if (variables.first > LARGEST) {
        response.end(JSON.stringify({ errors: [{ message: 'The answer is too large; ask for fewer items', extensions: { code: 'RESPONSE_TOO_LARGE' } }] }));
        return;
      }
      const start = variables.after ? Number(variables.after) : 0;
      const end = Math.min(start + variables.first, TOTAL);
      const nodes = Array.from({ length: end - start }, (_, i) => ({ id: `p${start + i}` }));
      response.end(JSON.stringify({ data: { products: { pageInfo: { hasNextPage: end < TOTAL, endCursor: String(end) }, nodes } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    process.env['STOREFRONT_API_URL'] = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
  });
  afterAll(() => {
    server.close();
    delete process.env['STOREFRONT_API_URL'];
  });

  it('asks again in halves when a page is too large, waits out a rate limit, and reads every product once', async () => {
    const { products } = await import('../src/lib/data.ts');
    const all = await products();
    expect(all.map((product) => product.id)).toEqual(Array.from({ length: TOTAL }, (_, i) => `p${i}`));
    // 100 and 50 refused; 25 kept for the rest; the fourth request refused by the rate limit and asked again.
    expect(asked).toEqual([100, 50, 25, 25, 25, 25, 25, 25, 25]);
    expect(retriedAt - refusedAt).toBeGreaterThanOrEqual(990);
  });
});
