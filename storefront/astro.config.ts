import { defineConfig } from 'astro/config';

/**
 * A fully static site: every page is HTML at build time, read from the supergraph once
 * (src/lib/data.ts). Only the cart, order and search islands run in the browser, and they call
 * the API on the same origin (`/graphql`, proxied by server/serve.ts).
 */
export default defineConfig({
  site: process.env['STOREFRONT_SITE_URL'] || 'http://localhost:4321',
  output: 'static',
  outDir: process.env['STOREFRONT_DIST'] || './dist',
  trailingSlash: 'always',
  // Pages wait on file writes; rendering a few at once keeps the CPU busy meanwhile.
  build: { format: 'directory', inlineStylesheets: 'always', concurrency: 4 },
  compressHTML: true,
  i18n: { locales: ['id', 'en'], defaultLocale: 'id', routing: { prefixDefaultLocale: false } },
  devToolbar: { enabled: false },
  vite: {
    build: { assetsInlineLimit: 0 },
    plugins: [
      {
        // Generated documents are plain values: marked pure, an island that does not use one drops it.
        name: 'pure-documents',
        transform: (code: string, id: string) =>
          id.endsWith('generated/operations.ts') ? code.replaceAll('= new TypedDocumentString(', '= /* @__PURE__ */ new TypedDocumentString(') : undefined,
      },
    ],
  },
});
