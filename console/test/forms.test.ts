import { describe, expect, it } from 'vitest';
import { safeNext } from '../src/lib/forms.ts';

describe('safeNext: where a sign-in or language switch may send a person afterwards', () => {
  it('keeps local paths with their query', () => {
    expect(safeNext('/produk?status=DRAFT')).toBe('/produk?status=DRAFT');
    expect(safeNext('/akun')).toBe('/akun');
  });

  it('sends every way off this site to the start page instead', () => {
    for (const attack of ['https://evil.example', '//evil.example', '/\\\\evil.example', '/\\t/evil.example/x', '/\\n/evil.example', '/%09/evil.example', '\\t//evil.example', 'javascript:alert(1)', '/\\u0000', '', null, undefined,
      // Dot segments that collapse into a host (found by an adversarial review).
      '/.//evil.example', '/x/..//evil.example/phish', '/%2e//evil.example', '/././/evil.example', '/a/b/../..//evil.example', '/..//evil.example']) {
      const target = safeNext(attack);
      expect(new URL(target, 'http://console.test').origin, String(attack)).toBe('http://console.test');
    }
    expect(safeNext('/\\t/evil.example/x')).toBe('/');
    expect(safeNext('/.//evil.example')).toBe('/');
  });

  it('still keeps a local path written with dot segments, resolved', () => {
    expect(safeNext('/produk/./baru')).toBe('/produk/baru');
    expect(safeNext('/akun/../produk?status=DRAFT')).toBe('/produk?status=DRAFT');
  });
});
