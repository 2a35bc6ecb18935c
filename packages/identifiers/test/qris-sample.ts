import { crc16Ccitt } from '../src/qris.ts';

const tlv = (tag: string, value: string) => `${tag}${String(value.length).padStart(2, '0')}${value}`;

/** A static QRIS as a merchant's printed code carries it; `change` alters fields before the CRC is added. */
export function sampleQris(change: (fields: [string, string][]) => [string, string][] = (fields) => fields): string {
  const fields: [string, string][] = [
    ['00', '01'],
    ['01', '11'],
    ['26', tlv('00', 'ID.CO.BANKSYARIAHINDONESIA.WWW') + tlv('01', '936004510000012345') + tlv('02', '000000012345') + tlv('03', 'UMI')],
    ['51', tlv('00', 'ID.CO.QRIS.WWW') + tlv('02', 'ID1024123456789') + tlv('03', 'UMI')],
    ['52', '5499'],
    ['53', '360'],
    ['58', 'ID'],
    ['59', 'KOPONTREN SIDOGIRI'],
    ['60', 'PASURUAN'],
    ['61', '67153'],
  ];
  const body = change(fields).map(([tag, value]) => tlv(tag, value)).join('') + '6304';
  return body + crc16Ccitt(body).toString(16).toUpperCase().padStart(4, '0');
}
