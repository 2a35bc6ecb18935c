/**
 * QRIS, Indonesia's standard payment QR code, read from its text: the EMVCo merchant-presented
 * payload (ASPI/Bank Indonesia's QRIS specification follows EMVCo MPM). A seller copies it from
 * their printed QRIS with any QR scanner; the storefront draws the code again for buyers.
 *
 * Only the structure is checked, as a bank app scanning it would: tag-length-value fields, the
 * payload format, a static code (a dynamic one is for one payment), Indonesia and rupiah, a
 * merchant name and account, and the CRC that ends every payload. No network, no issuer lookup.
 * Zod-free, so the console's pages can check a code as it is typed.
 */

export interface QrisCode {
  /** The payload as it is to be drawn (trimmed, otherwise unchanged). */
  payload: string;
  /** Tag 59, e.g. "KOPONTREN AL HIKMAH". */
  merchantName: string;
  /** Tag 60, when present. */
  merchantCity: string | null;
}

/** Why a text is refused, in English (the API's message) and in Indonesian (the console's). */
export type QrisResult = { ok: true; code: QrisCode } | { ok: false; reason: string; reasonIndonesian: string };

/** CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF), as EMVCo specifies for tag 63. */
export function crc16Ccitt(text: string): number {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The top-level fields in order, or null when the text is not a sequence of TLV fields. */
function fields(payload: string): [string, string][] | null {
  const out: [string, string][] = [];
  let at = 0;
  while (at < payload.length) {
    const tag = payload.slice(at, at + 2);
    const length = Number(payload.slice(at + 2, at + 4));
    if (!/^\d{2}$/.test(tag) || !/^\d{2}$/.test(payload.slice(at + 2, at + 4)) || at + 4 + length > payload.length) return null;
    out.push([tag, payload.slice(at + 4, at + 4 + length)]);
    at += 4 + length;
  }
  return out;
}

export const QRIS_MAX_LENGTH = 512;

export function parseQris(text: string): QrisResult {
  const payload = text.trim();
  const fail = (reason: string, reasonIndonesian: string): QrisResult => ({ ok: false, reason, reasonIndonesian });
  if (payload.length === 0) return fail('is empty', 'kosong');
  if (payload.length > QRIS_MAX_LENGTH) return fail(`must be at most ${QRIS_MAX_LENGTH} characters (a QRIS text is usually 150 to 300)`, `paling panjang ${QRIS_MAX_LENGTH} karakter (teks QRIS biasanya 150 sampai 300)`);
  if (!payload.startsWith('000201')) return fail('is not a QRIS text: it must start with 000201 (scan the printed QRIS with a QR scanner and paste the text it shows)', 'bukan teks QRIS: harus diawali 000201 (pindai QRIS cetak dengan pemindai QR, lalu tempel teks yang ditampilkannya)');
  const parsed = fields(payload);
  if (!parsed) return fail('is cut short or changed: its fields do not add up (paste the whole text the scanner shows)', 'terpotong atau berubah: isinya tidak cocok (tempel seluruh teks yang ditampilkan pemindai)');
  const last = parsed.at(-1)!;
  if (last[0] !== '63' || last[1].length !== 4) return fail('must end with its check code (field 63); paste the whole text', 'harus diakhiri kode periksanya (kolom 63); tempel seluruh teksnya');
  const expected = crc16Ccitt(payload.slice(0, -4)).toString(16).toUpperCase().padStart(4, '0');
  if (last[1].toUpperCase() !== expected) return fail('has a wrong check code: a character was changed or lost while copying', 'kode periksanya salah: ada karakter yang berubah atau hilang saat disalin');
  const byTag = new Map(parsed);
  if (byTag.get('01') === '12') return fail('is a one-payment (dynamic) QRIS; use the shop\'s printed (static) QRIS', 'QRIS sekali bayar (dinamis); pakai QRIS cetak (statis) toko');
  if (byTag.get('01') !== undefined && byTag.get('01') !== '11') return fail('has an unknown point of initiation (field 01)', 'jenis QRIS-nya tidak dikenal (kolom 01)');
  if (byTag.get('58') !== 'ID') return fail('is not an Indonesian QRIS (country, field 58, must be ID)', 'bukan QRIS Indonesia (negara, kolom 58, harus ID)');
  if (byTag.get('53') !== '360') return fail('is not in rupiah (currency, field 53, must be 360)', 'bukan dalam rupiah (mata uang, kolom 53, harus 360)');
  if (byTag.has('54')) return fail('carries a fixed amount; use the shop\'s QRIS without an amount', 'memuat nominal tetap; pakai QRIS toko tanpa nominal');
  if (!parsed.some(([tag]) => Number(tag) >= 26 && Number(tag) <= 51)) return fail('names no merchant account (fields 26 to 51)', 'tidak menyebut akun merchant (kolom 26 sampai 51)');
  const merchantName = byTag.get('59')?.trim();
  if (!merchantName) return fail('has no merchant name (field 59)', 'tidak memuat nama merchant (kolom 59)');
  return { ok: true, code: { payload, merchantName, merchantCity: byTag.get('60')?.trim() || null } };
}
