import { readFile } from 'node:fs/promises';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import config from '../codegen.ts';

describe('generated code', () => {
  it('matches the schemas it is generated from (run `npm run codegen` when this fails)', async () => {
    const outputs = (await generate({ ...config, cwd: new URL('..', import.meta.url).pathname, silent: true }, false)) as { filename: string; content: string }[];
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      expect(await readFile(new URL(`../${output.filename}`, import.meta.url), 'utf8'), output.filename).toBe(output.content);
    }
  });
});
