import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';

/** Debian's Chromium, as for the storefront's browser suites; skipped without it. */
const CHROMIUM = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}, so the SDK's browser test is skipped`;

export interface SdkPage {
  /** A page on its own origin with the SDK bundled for browsers as `globalThis.sdk`. */
  page: Page;
  /** What the page sent to the API: the full document, its persisted-query hash, or both. */
  requests: { method: string; sent: 'query' | 'hash' | 'hash and query' }[];
  close(): Promise<void>;
}

export async function openSdkPage(api: string): Promise<SdkPage> {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  const script = bundle.outputFiles[0]!.text;
  const html = '<!doctype html><title>SDK</title><script type="module">import * as sdk from "/sdk.js"; globalThis.sdk = sdk;</script>';
  const server = createServer((request, response) => {
    const isScript = request.url === '/sdk.js';
    response.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
    response.end(isScript ? script : html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const page = await browser.newPage();
  const requests: SdkPage['requests'] = [];
  page.on('request', (request) => {
    if (request.url() !== api) return;
    const body = request.postDataJSON() as Record<string, unknown> | null;
    const sent = body && 'query' in body ? (body['extensions'] ? 'hash and query' : 'query') : 'hash';
    requests.push({ method: request.method(), sent });
  });
  // A module script runs before the load event, so the SDK is there when goto resolves.
  await page.goto(`http://localhost:${port}/`);
  return {
    page,
    requests,
    async close() {
      await browser.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
