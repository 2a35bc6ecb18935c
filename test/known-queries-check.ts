import { afterAll, expect } from 'vitest';
import { laneMismatches } from '../packages/server-kit/src/known-queries.ts';

/**
 * Every subgraph a test file starts in-process checks, on the first answer to each query
 * document, that its known-query lane would have answered exactly as Apollo Server did
 * (packages/server-kit/src/known-queries.ts). Over the whole suite that is thousands of
 * documents, callers and data the lane's own tests did not plan: any difference fails the file.
 */
afterAll(() => {
  expect(laneMismatches, 'a known-query lane answer differed from Apollo Server’s').toEqual([]);
});
