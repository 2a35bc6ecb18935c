import { describe, expect, it } from 'vitest';
import { crc16Ccitt, parseQris } from '../src/qris.ts';
import { sampleQris } from './qris-sample.ts';


describe('QRIS codes', () => {
  it('computes the CRC EMVCo names (CRC-16/CCITT-FALSE: check value 29B1 for "123456789")', () => {
    expect(crc16Ccitt('123456789')).toBe(0x29b1);
  });

  it('reads a static QRIS: its merchant name and city', () => {
    const payload = sampleQris();
    expect(parseQris(`  ${payload}\n`)).toEqual({ ok: true, code: { payload, merchantName: 'KOPONTREN SIDOGIRI', merchantCity: 'PASURUAN' } });
  });

  it.each([
    ['one character changed while copying', () => sampleQris().replace('SIDOGIRI', 'SIDOGIRl'), 'wrong check code'],
    ['the end cut off', () => sampleQris().slice(0, -10), 'cut short'],
    ['text that is not a QRIS', () => 'https://example.com/pay', 'start with 000201'],
    ['a dynamic (one-payment) code', () => sampleQris((f) => f.map(([t, v]) => [t, t === '01' ? '12' : v])), 'dynamic'],
    ['a fixed amount', () => sampleQris((f) => [...f, ['54', '25000']]), 'fixed amount'],
    ['another country', () => sampleQris((f) => f.map(([t, v]) => [t, t === '58' ? 'SG' : v])), 'Indonesian'],
    ['another currency', () => sampleQris((f) => f.map(([t, v]) => [t, t === '53' ? '702' : v])), 'rupiah'],
    ['no merchant account', () => sampleQris((f) => f.filter(([t]) => t !== '26' && t !== '51')), 'merchant account'],
    ['no merchant name', () => sampleQris((f) => f.filter(([t]) => t !== '59')), 'merchant name'],
    ['an empty text', () => '   ', 'empty'],
    ['a text far too long', () => '000201' + '9'.repeat(600), 'at most 512'],
  ])('refuses %s, saying why', (_name, make, reason) => {
    const result = parseQris(make());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });
});
