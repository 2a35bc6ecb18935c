import { createRequire } from 'node:module';

/**
 * `require` as @apollo/gateway resolves it: the modules the router replaces parts of
 * (operation-memo.ts, result-shaping.ts) must be the very instances the gateway loaded.
 */
export const gatewayRequire = createRequire(createRequire(import.meta.url).resolve('@apollo/gateway'));
