import { createHash } from 'node:crypto';
import sharp, { type Metadata, type OutputInfo } from 'sharp';

/** Bigger uploads are refused before they are read to the end. */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
/** 50 megapixels: every phone camera fits; a decompression bomb (e.g. 20,000 × 20,000) does not. */
export const MAX_PIXELS = 50_000_000;
/** Smaller photos show nothing a shopper can judge the product by. */
export const MIN_SIDE = 200;
/** The widths photos are served at: cards (about 300 CSS px, 2× screens) up to the product page. */
export const VARIANT_WIDTHS = [400, 800, 1200] as const;
export const VARIANT_FORMATS = ['avif', 'webp', 'jpeg'] as const;
export type VariantFormat = (typeof VARIANT_FORMATS)[number];
/** Part of every content key, so a changed pipeline writes new files instead of reusing old ones. */
const PIPELINE_VERSION = 'photo-pipeline-1';

/**
 * The photo formats phones and cameras produce that this build of sharp decodes; read from the
 * content, never from the file name. HEIF only as AVIF: sharp's prebuilt libvips has no HEVC
 * decoder (patents), so an iPhone's HEIC is refused with a message saying how to send JPEG.
 */
const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'heif']);

export type PhotoRejection = 'EMPTY' | 'TOO_LARGE' | 'UNSUPPORTED_TYPE' | 'TOO_MANY_PIXELS' | 'TOO_SMALL' | 'DAMAGED';

/** A photo that can never be processed, with a message for the person who sent it (Indonesian / English). */
export class PhotoRejectedError extends Error {
  readonly reason: PhotoRejection;
  constructor(reason: PhotoRejection, message: string) {
    super(message);
    this.name = 'PhotoRejectedError';
    this.reason = reason;
  }
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;

export const rejections = {
  empty: () => new PhotoRejectedError('EMPTY', 'Berkasnya kosong. / The file is empty.'),
  tooLarge: (bytes?: number) =>
    new PhotoRejectedError(
      'TOO_LARGE',
      `Foto lebih besar dari ${megabytes(MAX_UPLOAD_BYTES)}${bytes ? ` (${megabytes(bytes)})` : ''}; kirim ukuran yang lebih kecil. / The photo is larger than ${megabytes(MAX_UPLOAD_BYTES)}; send a smaller size.`,
    ),
  unsupported: (detected: string | undefined) =>
    new PhotoRejectedError(
      'UNSUPPORTED_TYPE',
      `Berkas ini bukan foto JPEG, PNG, WebP atau AVIF${detected ? ` (isinya ${detected})` : ''}. / This file is not a JPEG, PNG, WebP or AVIF photo${detected ? ` (it holds ${detected})` : ''}.`,
    ),
  heic: () =>
    new PhotoRejectedError(
      'UNSUPPORTED_TYPE',
      'Foto HEIC belum didukung; di iPhone pilih Pengaturan › Kamera › Format › Paling Kompatibel, atau kirim sebagai JPEG. / HEIC photos are not supported yet; on an iPhone choose Settings › Camera › Formats › Most Compatible, or send a JPEG.',
    ),
  tooManyPixels: (width: number, height: number) =>
    new PhotoRejectedError(
      'TOO_MANY_PIXELS',
      `Foto ${width} × ${height} piksel terlalu besar (paling banyak ${MAX_PIXELS / 1_000_000} megapiksel). / The photo has too many pixels (at most ${MAX_PIXELS / 1_000_000} megapixels).`,
    ),
  tooSmall: (width: number, height: number) =>
    new PhotoRejectedError(
      'TOO_SMALL',
      `Foto ${width} × ${height} piksel terlalu kecil; sisi terpendek paling sedikit ${MIN_SIDE} piksel. / The photo is too small; its shorter side needs at least ${MIN_SIDE} pixels.`,
    ),
  damaged: () =>
    new PhotoRejectedError('DAMAGED', 'Foto rusak atau terpotong; coba kirim ulang. / The photo is damaged or cut off; try sending it again.'),
};

export interface PhotoInspection {
  format: string;
  /** Upright size (after the camera's orientation is applied). */
  width: number;
  height: number;
}

function sharpOf(bytes: Uint8Array) {
  // failOn 'truncated' refuses cut-off files; limitInputPixels stops a bomb before it is decoded.
  return sharp(bytes, { failOn: 'truncated', limitInputPixels: MAX_PIXELS, sequentialRead: true });
}

/**
 * Checks an upload before anything is stored: its real type from its content, its size in bytes
 * and pixels (from the header, before decoding), and that it decodes to the end. Throws
 * PhotoRejectedError with a message for the sender.
 */
export async function inspectPhoto(bytes: Uint8Array): Promise<PhotoInspection> {
  if (bytes.byteLength === 0) throw rejections.empty();
  if (bytes.byteLength > MAX_UPLOAD_BYTES) throw rejections.tooLarge(bytes.byteLength);
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    const detected = sniff(bytes);
    throw detected === 'HEIC' ? rejections.heic() : rejections.unsupported(detected);
  }
  if (!ACCEPTED_FORMATS.has(metadata.format ?? '')) throw rejections.unsupported(metadata.format);
  if (metadata.format === 'heif' && metadata.compression !== 'av1') throw rejections.heic();
  const { width = 0, height = 0 } = metadata;
  if (width * height > MAX_PIXELS) throw rejections.tooManyPixels(width, height);
  if (Math.min(width, height) < MIN_SIDE) throw rejections.tooSmall(width, height);
  try {
    // A tiny decode reads the whole stream (JPEG shrink-on-load keeps it cheap): cut-off files fail here.
    await sharpOf(bytes).resize(32, 32, { fit: 'inside' }).raw().toBuffer();
  } catch {
    throw rejections.damaged();
  }
  const upright = (metadata.orientation ?? 1) >= 5;
  return { format: metadata.format!, width: upright ? height : width, height: upright ? width : height };
}

/** What a refused file most likely is, for the message (PDF, SVG, GIF, ZIP…). */
function sniff(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  if (head.startsWith('%PDF')) return 'PDF';
  if (/^ftyp(heic|heix|hevc|heim|heis|mif1|msf1)/.test(head.slice(4, 12))) return 'HEIC';
  if (/<svg[\s>]/i.test(head) || (head.trimStart().startsWith('<?xml') && /svg/i.test(head))) return 'SVG';
  if (head.startsWith('GIF8')) return 'GIF';
  if (head.startsWith('PK\u0003\u0004')) return 'ZIP';
  if (/^\s*</.test(head)) return 'HTML/XML';
  return undefined;
}

/** The content key of an upload: the same photo, uploaded twice or by two products, is stored once. */
export const contentHashOf = (bytes: Uint8Array) => createHash('sha256').update(PIPELINE_VERSION).update(bytes).digest('hex').slice(0, 32);

export const variantKey = (contentHash: string, width: number, format: VariantFormat) =>
  `p/${contentHash}/${width}.${format === 'jpeg' ? 'jpg' : format}`;

export interface ProcessedVariant {
  format: VariantFormat;
  width: number;
  height: number;
  key: string;
  bytes: Uint8Array;
}

export interface ProcessedPhoto {
  contentHash: string;
  /** Size of the largest variant. */
  width: number;
  height: number;
  /** The photo's dominant colour, painted before it arrives (CSS hex). */
  color: string;
  /** A blurred 16-pixel preview as a data URL, a few hundred bytes. */
  placeholder: string;
  variants: ProcessedVariant[];
}

export type ProcessingProgress = (percent: number) => void | Promise<void>;

/**
 * Turns an inspected upload into what is served: upright, stripped of EXIF (location above all)
 * and colour-managed to sRGB, at each width in AVIF, WebP and JPEG. Never enlarges: a photo
 * narrower than a width is served at its own width instead.
 */
export async function processPhoto(bytes: Uint8Array, onProgress: ProcessingProgress = () => {}): Promise<ProcessedPhoto> {
  const contentHash = contentHashOf(bytes);
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    // Decoded once at the largest width; every variant is encoded from these pixels.
    decoded = await sharpOf(bytes)
      .rotate()
      .resize({ width: VARIANT_WIDTHS.at(-1)!, withoutEnlargement: true })
      .toColourspace('srgb')
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch {
    throw rejections.damaged();
  }
  const { width: fullWidth, height: fullHeight, channels } = decoded.info;
  const raw = () => sharp(decoded.data, { raw: { width: fullWidth, height: fullHeight, channels } });
  await onProgress(20);

  const widths = [...new Set(VARIANT_WIDTHS.map((width) => Math.min(width, fullWidth)))];
  const steps = widths.length * VARIANT_FORMATS.length;
  const variants: ProcessedVariant[] = [];
  for (const width of widths) {
    const height = Math.round((fullHeight * width) / fullWidth);
    for (const format of VARIANT_FORMATS) {
      const resized = width === fullWidth ? raw() : raw().resize({ width, height });
      const encoded =
        format === 'avif'
          ? resized.avif({ quality: 50, effort: 2 })
          : format === 'webp'
            ? resized.webp({ quality: 75, effort: 4 })
            : resized.jpeg({ quality: 78, mozjpeg: true, progressive: true });
      variants.push({ format, width, height, key: variantKey(contentHash, width, format), bytes: await encoded.toBuffer() });
      await onProgress(20 + Math.round((75 * variants.length) / steps));
    }
  }

  const { dominant } = await raw().stats();
  const color = `#${[dominant.r, dominant.g, dominant.b].map((channel) => channel.toString(16).padStart(2, '0')).join('')}`;
  const tiny = await raw().resize(16, 16, { fit: 'inside' }).blur(1).webp({ quality: 40 }).toBuffer();
  return {
    contentHash,
    width: fullWidth,
    height: fullHeight,
    color,
    placeholder: `data:image/webp;base64,${tiny.toString('base64')}`,
    variants,
  };
}
