import { describe, expect, it } from 'vitest';
import { createMediaService } from '../src/app.ts';
import { loadMediaConfig } from '../src/config.ts';

describe('media configuration', () => {
  const production = {
    NODE_ENV: 'production',
    ROUTER_IDENTITY_SECRET: 'r'.repeat(32),
    DATABASE_URL: 'postgres://u:p@db:5432/opop',
    PESANTREN_URL: 'http://pesantren:4002/graphql',
    CATALOGUE_URL: 'http://catalogue:4001/graphql',
  };

  it('production needs the pesantren and catalogue subgraphs, which articles and widget events are checked against', () => {
    const { PESANTREN_URL: _pesantren, ...withoutPesantren } = production;
    const { CATALOGUE_URL: _catalogue, ...withoutCatalogue } = production;
    expect(() => loadMediaConfig(withoutPesantren)).toThrow(/PESANTREN_URL: is required in production/);
    expect(() => loadMediaConfig(withoutCatalogue)).toThrow(/CATALOGUE_URL: is required in production/);
    expect(loadMediaConfig(production)).toMatchObject({ pesantrenUrl: 'http://pesantren:4002/graphql', catalogueUrl: 'http://catalogue:4001/graphql' });
  });

  it('may leave them out in development (references are then taken as given), never in production', async () => {
    const development = loadMediaConfig({ NODE_ENV: 'development' });
    expect(development.pesantrenUrl).toBeUndefined();
    // A configuration built by hand is held to the same rule before anything opens.
    await expect(createMediaService({ ...development, environment: 'production' })).rejects.toThrow(/PESANTREN_URL and CATALOGUE_URL are required in production/);
  });
});
