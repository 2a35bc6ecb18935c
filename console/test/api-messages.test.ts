import { describe, expect, it } from 'vitest';
import { apiMessage, refusal } from '../src/lib/api-messages.ts';
import { refusedFields } from '../src/lib/router-request.ts';

describe("the API's refusals on console pages (a new user read English messages on Indonesian pages)", () => {
  it('says the refusals the forms meet in Indonesian and English', () => {
    expect(refusedFields([{ field: 'input.address', message: 'must be at least 5 characters' }])).toEqual({ address: { id: 'Minimal 5 karakter.', en: 'At least 5 characters.' } });
    expect(apiMessage('must be an Indonesian mobile number such as 0812 3456 7890').id).toBe('Tulis nomor HP Indonesia, mis. 0812 3456 7890.');
    expect(apiMessage('must be at most 30 characters (a QRIS text is usually 150 to 300)').id).toBe('Paling panjang 30 karakter.');
    expect(apiMessage('must be a real date')).toEqual({ id: 'Tanggal ini tidak ada di kalender.', en: 'This date does not exist.' });
  });

  it('names the field in a banner, and keeps the English of a message it does not know rather than nothing', () => {
    const created = refusal(
      { message: 'input.name: must be at least 2 characters; input.allowedOrigins.0: must be an origin like https://www.jtv.co.id', issues: [{ field: 'input.name', message: 'must be at least 2 characters' }, { field: 'input.allowedOrigins.0', message: 'must be an origin like https://www.jtv.co.id' }] },
      { name: { id: 'Untuk apa', en: 'What it is for' }, allowedOrigins: { id: 'Asal yang diizinkan', en: 'Allowed origins' } },
    );
    expect(created.id).toBe('Untuk apa: Minimal 2 karakter. Asal yang diizinkan: Tulis alamat asal situs seperti https://www.jtv.co.id: https://, nama situsnya, tanpa garis miring di belakang.');
    expect(refusal({ message: 'This is the last active widget key of duta-co: create another one first, or its embeds would stop counting', issues: [] }).id).toBe(
      'Ini kunci widget aktif terakhir duta-co: buat kunci baru dulu, atau widget yang sudah terpasang berhenti dihitung.',
    );
    expect(refusal({ message: 'something new went wrong', issues: [] })).toEqual({ id: 'something new went wrong', en: 'something new went wrong' });
    expect(apiMessage('something new went wrong').id).toBe('Ditolak: something new went wrong');
  });
});
