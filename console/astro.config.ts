import node from '@astrojs/node';
import { defineConfig } from 'astro/config';

/**
 * Server-rendered pages for signed-in people. The Node adapter builds a request handler
 * (middleware mode) that src/app.ts mounts in its own server, next to the accounts service it
 * hands to every page. Forms post to their own page and work without JavaScript.
 */
export default defineConfig({
  output: 'server',
  // The largest body: a photo form (15 MB and its fields). Every other request is held to 64 KiB
  // by src/app.ts, which knows the path.
  adapter: node({ mode: 'middleware', bodySizeLimit: 15 * 1024 * 1024 + 64 * 1024 }),
  outDir: process.env['CONSOLE_DIST'] || './dist',
  // CSRF: a form post whose Origin is not this site is refused before any page runs.
  security: { checkOrigin: true },
  devToolbar: { enabled: false },
  compressHTML: true,
  build: { inlineStylesheets: 'always' },
  // Everything the pages import is bundled, so a build works wherever it is put (tests build
  // into temporary folders, outside any node_modules).
  // Page scripts always as files (never inlined), since the CSP allows scripts from 'self' only.
  vite: { ssr: { noExternal: true }, build: { assetsInlineLimit: 0 } },
});
