import { randomUUID } from 'node:crypto';
import { ConfigError } from '@opop/server-kit';
import { describe, expect, it } from 'vitest';
import { createAcademicsService } from '../src/app.ts';
import { loadAcademicsConfig } from '../src/config.ts';
import { SantriPseudonyms } from '../src/modules/records/pseudonyms.ts';

const SECRET = 'unit-test-pseudonym-secret-0123456789';
const partner = (partnerId: string) => ({ kind: 'partner' as const, partnerId });
const A = partner('1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d');
const B = partner('2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e');

describe('santri pseudonyms', () => {
  const santri = Array.from({ length: 200 }, () => randomUUID());

  it('are stable for one audience and unrelated across audiences and secrets', () => {
    const ofA = santri.map((id) => new SantriPseudonyms(SECRET).for(A).pseudonym(id));
    expect(santri.map((id) => new SantriPseudonyms(SECRET).for(A).pseudonym(id))).toEqual(ofA);
    const others = [new SantriPseudonyms(SECRET).for(B), new SantriPseudonyms(SECRET).for({ kind: 'programme_office' }), new SantriPseudonyms(`${SECRET}-rotated`).for(A)];
    for (const keys of others) {
      const theirs = new Set(santri.map((id) => keys.pseudonym(id)));
      expect(ofA.filter((p) => theirs.has(p))).toEqual([]);
    }
    expect(new Set(ofA).size).toBe(santri.length);
    expect(ofA.every((p) => /^[A-Za-z0-9_-]{22}$/.test(p))).toBe(true);
  });
});

describe('record cursors', () => {
  const keys = new SantriPseudonyms(SECRET);
  const id = randomUUID();

  it('open for the audience and listing they were sealed for, and hide the id', () => {
    const cursor = keys.for(A).sealCursor(id, 'RESEARCH|{}');
    expect(keys.for(A).openCursor(cursor, 'RESEARCH|{}')).toBe(id);
    expect(Buffer.from(cursor, 'base64url').toString('latin1')).not.toContain(id);
    expect(keys.for(A).sealCursor(id, 'RESEARCH|{}')).not.toBe(cursor);
  });

  it('refuse another audience, another listing, another secret, and any alteration', () => {
    const cursor = keys.for(A).sealCursor(id, 'RESEARCH|{}');
    expect(keys.for(B).openCursor(cursor, 'RESEARCH|{}')).toBeUndefined();
    expect(keys.for(A).openCursor(cursor, 'RESEARCH|{"genders":["MALE"]}')).toBeUndefined();
    expect(new SantriPseudonyms(`${SECRET}-rotated`).for(A).openCursor(cursor, 'RESEARCH|{}')).toBeUndefined();
    const bytes = Buffer.from(cursor, 'base64url');
    for (const position of [0, 13, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[position] = altered[position]! ^ 1;
      expect(keys.for(A).openCursor(altered.toString('base64url'), 'RESEARCH|{}')).toBeUndefined();
    }
    for (const junk of ['', 'x', 'AAAA', 'not a cursor at all, not even base64']) expect(keys.for(A).openCursor(junk, 'RESEARCH|{}')).toBeUndefined();
  });
});

describe('PSEUDONYM_SECRET', () => {
  const production = {
    NODE_ENV: 'production',
    ROUTER_IDENTITY_SECRET: 'r'.repeat(32),
    DATABASE_URL: 'postgres://u:p@db:5432/opop',
    PESANTREN_URL: 'http://pesantren:4002/graphql',
  };

  it('is required in production and must be at least 32 characters', () => {
    expect(() => loadAcademicsConfig(production)).toThrow(/PSEUDONYM_SECRET: is required in production/);
    const tooShort = (() => {
      try {
        loadAcademicsConfig({ ...production, PSEUDONYM_SECRET: 'too-short' });
      } catch (error) {
        return error;
      }
    })();
    expect(tooShort).toBeInstanceOf(ConfigError);
    expect(String(tooShort)).toMatch(/PSEUDONYM_SECRET: must be at least 32 characters/);
    expect(String(tooShort)).not.toContain('too-short');
    expect(loadAcademicsConfig({ ...production, PSEUDONYM_SECRET: SECRET }).pseudonymSecret).toBe(SECRET);
  });

  it('production also needs the pesantren subgraph, which new programmes are checked against', () => {
    const { PESANTREN_URL: _omitted, ...withoutPesantren } = production;
    expect(() => loadAcademicsConfig({ ...withoutPesantren, PSEUDONYM_SECRET: SECRET })).toThrow(/PESANTREN_URL: is required in production/);
    expect(loadAcademicsConfig({ ...production, PSEUDONYM_SECRET: SECRET }).pesantrenUrl).toBe('http://pesantren:4002/graphql');
  });

  it('may be left out in development (the service then keys pseudonyms at random), never in production', async () => {
    const development = loadAcademicsConfig({ NODE_ENV: 'development' });
    expect(development.pseudonymSecret).toBeUndefined();
    // A configuration built by hand is held to the same rule before anything opens.
    await expect(createAcademicsService({ ...development, environment: 'production' })).rejects.toThrow(/PSEUDONYM_SECRET is required in production/);
  });
});
