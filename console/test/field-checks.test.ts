import { describe, expect, it } from 'vitest';
import { sampleQris } from '../../packages/identifiers/test/qris-sample.ts';
import { accountNumberProblem, fieldProblems, qrisProblem, whatsappProblem } from '../src/lib/field-checks.ts';

describe("the profile and payment fields, checked in the person's language before the API", () => {
  it('passes what the API takes, and leaves an empty field to it (it clears the value)', () => {
    for (const value of ['0812 3456 7890', '+62 812-3456-7890', '', '   ', undefined]) expect(whatsappProblem(value), String(value)).toBeNull();
    for (const value of ['712-345-6789', '1234 5678 9012', '', undefined]) expect(accountNumberProblem(value), String(value)).toBeNull();
    expect(qrisProblem(sampleQris())).toBeNull();
    expect(qrisProblem('')).toBeNull();
  });

  it('says what is wrong in Indonesian and English', () => {
    expect(whatsappProblem('12ab')).toEqual({ id: expect.stringContaining('nomor HP Indonesia'), en: expect.stringContaining('Indonesian mobile number') });
    expect(accountNumberProblem('12AB')?.id).toContain('6 sampai 20 angka');
    expect(accountNumberProblem('12345')?.id).toContain('6 sampai 20 angka');
    expect(qrisProblem('000201010211hello')).toEqual({ id: expect.stringContaining('terpotong atau berubah'), en: expect.stringContaining('cut short or changed') });
    expect(qrisProblem(sampleQris().replace('PASURUAN', 'PASURUAM'))?.id).toContain('kode periksanya salah');
    expect(qrisProblem('hello')?.id).toContain('harus diawali 000201');
  });

  it('names only the fields with a problem', () => {
    expect(fieldProblems({ whatsapp: '12ab', bankAccountNumber: '712-345-6789' }, { whatsapp: whatsappProblem, bankAccountNumber: accountNumberProblem })).toEqual({ whatsapp: whatsappProblem('12ab') });
    expect(fieldProblems({}, { whatsapp: whatsappProblem })).toEqual({});
  });
});

describe('text lengths checked before the API (a new user was refused the address only after fixing the WhatsApp number)', () => {
  it('says every short or long field at once, in both languages, trimmed as the API trims', async () => {
    const { lengthProblem } = await import('../src/lib/field-checks.ts');
    const problems = fieldProblems({ address: ' Jl ', whatsapp: '12' }, { address: lengthProblem(5, 300), whatsapp: whatsappProblem });
    expect(problems['address']).toEqual({ id: 'Minimal 5 karakter.', en: 'At least 5 characters.' });
    expect(Object.keys(problems).sort()).toEqual(['address', 'whatsapp']);
    expect(lengthProblem(3, 5)('abcdef')).toEqual({ id: 'Paling panjang 5 karakter.', en: 'At most 5 characters.' });
    expect(lengthProblem(3, 5)(' abc ')).toBeNull();
  });
});
