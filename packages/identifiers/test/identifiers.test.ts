import { describe, expect, it } from 'vitest';
import { bpomNumber, halalCertificateNumber, indonesianMobile, nspp, pirtNumber, regencyCode } from '../src/index.ts';
import { sameSalesUnit } from '../src/units.ts';

describe('programme identifiers', () => {
  it('accepts a 12-digit NSPP and refuses anything else', () => {
    expect(nspp.parse(' 510035780004 ')).toBe('510035780004');
    for (const bad of ['51003578000', '5100357800041', '51003578000A', '5100-3578-0004', '']) {
      expect(nspp.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('normalises Indonesian mobile numbers to the 62… form wa.me needs', () => {
    expect(indonesianMobile.parse('0812-3456-7890')).toBe('6281234567890');
    expect(indonesianMobile.parse('+62 812 3456 7890')).toBe('6281234567890');
    expect(indonesianMobile.parse('6281234567890')).toBe('6281234567890');
    for (const bad of ['021 555 1234', '0812', '+1 202 555 0123', '08123456789012345', 'not a number']) {
      expect(indonesianMobile.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('checks the shapes of halal, BPOM and P-IRT numbers', () => {
    expect(halalCertificateNumber.parse('id35110000148150620')).toBe('ID35110000148150620');
    expect(halalCertificateNumber.safeParse('ID3511000014815062').success).toBe(false);
    expect(bpomNumber.parse('MD 224913001234')).toBe('MD224913001234');
    expect(bpomNumber.safeParse('ML224913001234').success).toBe(false);
    expect(pirtNumber.parse('2063515-0102-0326')).toBe('206351501020326');
    expect(pirtNumber.safeParse('20635150102032').success).toBe(false);
  });

  it('takes a regency as its 4-digit BPS code', () => {
    expect(regencyCode.parse('3517')).toBe('3517');
    expect(regencyCode.safeParse('35A7').success).toBe(false);
  });
});

describe('an Indonesian mobile number shown to people', () => {
  it('is written as Indonesians write it (the console showed 6281234567891 to operators)', async () => {
    const { displayIndonesianMobile, normalizeIndonesianMobile } = await import('../src/mobile.ts');
    expect(displayIndonesianMobile('6281234567891')).toBe('0812-3456-7891');
    expect(displayIndonesianMobile('62812345678')).toBe('0812-3456-78');
    // Round trip: what is shown is typed back as the same number.
    for (const stored of ['6281234567891', '628123456789', '6285712345678']) expect(normalizeIndonesianMobile(displayIndonesianMobile(stored))).toBe(stored);
    expect(displayIndonesianMobile('not a number')).toBe('not a number');
  });
});

describe('sales units as a shopper reads them', () => {
  it('takes letter case, spacing and Unicode composition for the same unit', () => {
    expect(sameSalesUnit('toples', 'Toples')).toBe(true);
    expect(sameSalesUnit(' toples  kaca ', 'toples kaca')).toBe(true);
    expect(sameSalesUnit('bungkus\u00a0kecil', 'bungkus kecil')).toBe(true);
    // "é" composed and as e + combining accent.
    expect(sameSalesUnit('sach\u00e9t', 'sache\u0301t')).toBe(true);
  });

  it('tells different units apart, however alike they look', () => {
    expect(sameSalesUnit('lusin', 'buah')).toBe(false);
    expect(sameSalesUnit('toples', 'stoples')).toBe(false);
    expect(sameSalesUnit('pak isi 10', 'pak isi 12')).toBe(false);
    expect(sameSalesUnit('toples', 'toples kaca')).toBe(false);
  });
});
