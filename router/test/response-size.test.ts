import type { GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { buildSchema, operationFromDocument } from '@apollo/federation-internals';
import { parse } from 'graphql';
import { ResponseSizeLimit } from '../src/response-size.ts';
import { shapeResult } from '../src/result-shaping.ts';

/**
 * The answer-size cap serialises each answer once, to measure it, and hands that same text to
 * Apollo to send. These check the text sent is always the answer as it is when sent: the cap
 * itself is tested end to end in router.e2e.test.ts and bad-input.e2e.test.ts.
 */
type Context = GraphQLRequestContextWillSendResponse<object>;

async function measured(limit: ResponseSizeLimit, result: FormattedExecutionResult, operation: 'query' | 'mutation' = 'query') {
  const response = { body: { kind: 'single', singleResult: result }, http: { headers: new Map() } };
  const hooks = await limit.plugin<object>().requestDidStart!({} as never);
  await hooks!.willSendResponse!({ response, operation: { operation } } as unknown as Context);
  return response.body.singleResult as FormattedExecutionResult;
}

/** What Apollo hands stringifyResult: a new object holding the answer's parts, errors first. */
const asApolloSends = (result: FormattedExecutionResult): FormattedExecutionResult => ({ errors: result.errors, data: result.data, extensions: result.extensions });

describe('the answer-size cap', () => {
  it('sends the text it measured, serialising the answer once: the same JSON Apollo would write', async () => {
    const limit = new ResponseSizeLimit(1024);
    const answer = { data: { product: { name: 'Kopi Ijen', price: 25_000, tags: ['kopi', 'ijen'] } } };
    const serialise = vi.spyOn(JSON, 'stringify');
    try {
      const sent = await measured(limit, answer);
      expect(sent).toBe(answer);
      const text = limit.stringify(asApolloSends(sent));
      expect(serialise).toHaveBeenCalledTimes(1);
      expect(text).toBe(`${serialise.mock.results[0]!.value as string}\n`);
    } finally {
      serialise.mockRestore();
    }
    expect(JSON.parse(limit.stringify(asApolloSends(answer)))).toEqual(answer);
  });

  it('hands each measured text back once: an answer kept by the response cache and sent again is written anew', async () => {
    const limit = new ResponseSizeLimit(1024);
    const answer = { data: { regencies: [{ code: '3525' }] } };
    await measured(limit, answer);
    limit.stringify(asApolloSends(answer));
    const serialise = vi.spyOn(JSON, 'stringify');
    try {
      expect(limit.stringify(asApolloSends(answer))).toBe('{"data":{"regencies":[{"code":"3525"}]}}\n');
      expect(serialise).toHaveBeenCalledTimes(1);
    } finally {
      serialise.mockRestore();
    }
  });

  it('writes a new text when the answer changed after it was measured, or is another answer with the same data', async () => {
    const limit = new ResponseSizeLimit(1024);
    const data = { product: { name: 'Kopi Ijen' } };
    const sent = await measured(limit, { data });
    // A later plugin adds an error or an extension: the stale text must not be sent.
    const withError = { ...asApolloSends(sent), errors: [{ message: 'The pesantren service is unavailable' }] };
    expect(JSON.parse(limit.stringify(withError))).toEqual({ errors: withError.errors, data });
    const withExtensions = { ...asApolloSends(sent), extensions: { cost: 3 } };
    expect(JSON.parse(limit.stringify(withExtensions))).toEqual({ data, extensions: { cost: 3 } });
    // An answer never measured (a mutation's) is written as it is.
    expect(limit.stringify({ data: { other: true } })).toBe('{"data":{"other":true}}\n');
  });

  it('refuses a query answer over the cap with RESPONSE_TOO_LARGE, and sends mutations whole', async () => {
    const limit = new ResponseSizeLimit(64);
    const big = { data: { products: Array.from({ length: 20 }, (_, i) => ({ id: `p${i}` })) } };
    const refused = await measured(limit, big);
    expect(refused.data).toBeUndefined();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', bytes: JSON.stringify(big).length, maxBytes: 64 });
    expect(JSON.parse(limit.stringify(asApolloSends(refused)))).toEqual(JSON.parse(JSON.stringify({ errors: refused.errors })));
    expect(await measured(limit, big, 'mutation')).toBe(big);
  });

  // The router writes a string with a few characters past U+00FF escaped (result-shaping.ts):
  // six bytes for each, where UTF-8 takes two to four. The cap still counts the answer as UTF-8,
  // so escaping changes no answer's fate (found by a review: answers near the cap were refused).
  it('counts an answer the router escaped as its UTF-8 bytes, not its escaped text', async () => {
    const schema = buildSchema('type Product { id: ID! name: String! } type Query { products: [Product!]! }').toAPISchema();
    const operation = operationFromDocument(schema, parse('{ products { id name } }'), { validate: true });
    const names = ['Mamba’ul ‘Ulum', 'مدرسة', 'bulan 🌙', 'Ḥasan'];
    const input = { products: Array.from({ length: 40 }, (_, index) => ({ id: String(index), name: `${names[index % names.length]} ${index}` })) };
    const shaped = () => ({ data: shapeResult({ operation, variables: {}, input, introspectionHandling: () => null }).data });
    const utf8 = Buffer.byteLength(JSON.stringify({ data: input }));
    const escaped = JSON.stringify(shaped()).length;
    expect(escaped).toBeGreaterThan(utf8 + 200);
    // Between the two sizes: sent, as it was before the escapes.
    const between = new ResponseSizeLimit(utf8 + 100);
    const sent = shaped();
    expect(await measured(between, sent)).toBe(sent);
    // At the UTF-8 size exactly, sent; one byte under it, refused, saying the UTF-8 size.
    const exact = shaped();
    expect(await measured(new ResponseSizeLimit(utf8), exact)).toBe(exact);
    const refused = await measured(new ResponseSizeLimit(utf8 - 1), shaped());
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', bytes: utf8 });
  });

  it('measures the cap in UTF-8 bytes, not characters: a short answer of three-byte characters over the cap is refused', async () => {
    const limit = new ResponseSizeLimit(64);
    // 37 characters of JSON, 77 bytes: the Javanese script's letters take three bytes each.
    const javanese = { data: { t: 'ꦥꦺꦴꦤ꧀ꦝꦺꦴꦏ꧀ꦥꦼꦱꦤ꧀ꦠꦿꦺꦤ꧀' } };
    expect(JSON.stringify(javanese).length).toBeLessThan(64);
    expect(Buffer.byteLength(JSON.stringify(javanese))).toBeGreaterThan(64);
    const refused = await measured(limit, javanese);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', bytes: Buffer.byteLength(JSON.stringify(javanese)), maxBytes: 64 });
    // At most a third of the cap in characters is within it, whatever the characters.
    const aThird = { data: { t: '’'.repeat(4) } };
    expect(JSON.stringify(aThird).length * 3).toBe(63);
    expect(await measured(limit, aThird)).toBe(aThird);
    // Past that, the bytes decide: one over the cap is refused, the cap itself is sent.
    const overByOneByte = { data: { t: '’'.repeat(16) } };
    expect(Buffer.byteLength(JSON.stringify(overByOneByte))).toBe(65);
    expect((await measured(limit, overByOneByte)).errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', bytes: 65 });
    const exactlyTheCap = { data: { t: `${'’'.repeat(15)}ab` } };
    expect(Buffer.byteLength(JSON.stringify(exactlyTheCap))).toBe(64);
    expect(await measured(limit, exactlyTheCap)).toBe(exactlyTheCap);
  });
});
