import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { subgraphConfigSchema } from '../src/subgraph.ts';

const schema = subgraphConfigSchema('catalogue', 4001, '/tmp/data');

describe('configuration from the environment', () => {
  it('fills defaults and types every value', () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({ service: 'catalogue', port: 4001, environment: 'development', seedDemoData: false });
    expect(config.database).toMatchObject({ url: undefined, schema: 'catalogue', dataDir: '/tmp/data', poolMax: 10 });
  });

  it('names every bad variable in one error, without leaking secrets', () => {
    const attempt = () =>
      loadConfig(schema, {
        PORT: 'abc',
        DATABASE_URL: 'mysql://user:hunter2@db/x',
        DATABASE_SCHEMA: 'Drop Table',
        ROUTER_IDENTITY_SECRET: 'short',
      });
    expect(attempt).toThrow(ConfigError);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/PORT: .*"abc"/);
    expect(message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(message).toMatch(/DATABASE_SCHEMA: must be a lower-case SQL identifier/);
    expect(message).toMatch(/ROUTER_IDENTITY_SECRET: must be at least 32 characters \(got "<redacted>"\)/);
    expect(message).not.toContain('hunter2');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig(schema, { DATABASE_URL: '', PORT: '' }).port).toBe(4001);
  });

  it('refuses to run in production without the identity secret', () => {
    expect(() => loadConfig(schema, { NODE_ENV: 'production' })).toThrow(/ROUTER_IDENTITY_SECRET: is required in production/);
  });
});
