import { strokeFontText, strokeText, strokeTextWidth } from './stroke-font.ts';

/**
 * Illustrations for demo products: a flat drawing of the product's packaging with its name on
 * the label, so the demo shows what product photos look like without pretending to be real
 * photos. Never stock photos: every one is drawn here, from the product's own data, and says
 * "Ilustrasi / Illustration" in its corner. Pure and deterministic: the same product gives the
 * same SVG, byte for byte, on every machine.
 */

export const ILLUSTRATION_WIDTH = 1200;
export const ILLUSTRATION_HEIGHT = 900;
/** Shown in the corner of every illustration, so nobody takes it for a photo of the real product. */
export const ILLUSTRATION_CAPTION = 'Ilustrasi / Illustration';
/** One demo product in this many gets an illustration; the others keep the placeholder tile. */
export const ILLUSTRATED_ONE_IN = 4;

/**
 * Whether a demo product gets an illustration: about one in four, chosen by its id (FNV-1a hash
 * of the id, modulo 4, is 0). Stable whatever else the catalogue holds, and it needs only the
 * id, so a seeder can apply it to the products in its database as well as to generated ones.
 */
export function isIllustrated(productId: string): boolean {
  return fnv1a(productId) % ILLUSTRATED_ONE_IN === 0;
}

export type PackagingKind = 'pouch' | 'sack' | 'bottle' | 'jar' | 'box' | 'book' | 'cloth' | 'frame' | 'cap' | 'bar' | 'bag' | 'pack';

export interface IllustrationSubject {
  /** The product's Indonesian name, written on the label. */
  nameId: string;
  categorySlug: string;
  /** The unit it is sold by (bungkus, botol, toples, kotak, lembar …): decides the packaging. */
  unit: string;
  /** Written small under the name when given. */
  sellerName?: string | null;
}

const UNIT_PACKAGING: Record<string, PackagingKind> = {
  bungkus: 'pouch',
  karung: 'sack',
  botol: 'bottle',
  toples: 'jar',
  kotak: 'box',
  pak: 'box',
  kemasan: 'box',
  buku: 'book',
  lembar: 'cloth',
  potong: 'cloth',
  ekor: 'pack',
};

/** Things sold by the piece (`buah`): drawn after their category. */
const PIECE_PACKAGING: Record<string, PackagingKind> = {
  kaligrafi: 'frame',
  'peci-songkok': 'cap',
  'sabun-minyak-herbal': 'bar',
  'anyaman-kayu': 'bag',
};

/** The packaging a product is drawn in: from its unit, or for pieces from its category; a box otherwise. */
export function packagingOf(categorySlug: string, unit: string, nameId = ''): PackagingKind {
  const byUnit = UNIT_PACKAGING[unit.trim().toLowerCase()];
  if (byUnit) return byUnit;
  // Prayer beads come in a small box, not a woven bag.
  if (/tasbih/i.test(nameId)) return 'box';
  return PIECE_PACKAGING[categorySlug] ?? 'box';
}

/** The alt text of an illustration, Indonesian and English (at most 200 characters each, as photos allow). */
export function illustrationAlt(nameId: string, nameEn: string | null | undefined): { indonesian: string; english: string } {
  const cut = (text: string) => (text.length <= 200 ? text : `${text.slice(0, 199)}…`);
  return { indonesian: cut(`Ilustrasi kemasan ${nameId}`), english: cut(`Illustration of ${nameEn || nameId} packaging`) };
}

/** Text for XML: markup characters escaped, characters XML cannot hold dropped. */
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function fnv1a(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/** A colour as CSS hex from hue (degrees), saturation and lightness (0–100). */
function hsl(hue: number, saturation: number, lightness: number): string {
  const s = saturation / 100;
  const l = lightness / 100;
  const k = (n: number) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1))));
  return `#${[channel(0), channel(8), channel(4)].map((value) => value.toString(16).padStart(2, '0')).join('')}`;
}

interface Palette {
  background: string;
  halo: string;
  floor: string;
  main: string;
  dark: string;
  light: string;
  accent: string;
  paper: string;
  ink: string;
}

/**
 * Hue and saturation of each demo category, so neighbouring categories do not come out alike
 * (brown for coffee, amber for honey, indigo for sarongs …). Other categories take a hue from
 * their slug.
 */
const CATEGORY_COLOURS: Record<string, readonly [hue: number, saturation: number]> = {
  'bumbu-olahan': [356, 62],
  'hasil-ternak': [12, 55],
  'kopi-teh': [24, 38],
  'makanan-ringan': [30, 72],
  'anyaman-kayu': [38, 42],
  'madu-herbal': [44, 70],
  'beras-palawija': [58, 45],
  'pupuk-organik': [85, 40],
  'sabun-minyak-herbal': [130, 45],
  pakaian: [165, 50],
  'peci-songkok': [195, 30],
  'air-minum': [205, 65],
  sarung: [228, 50],
  'kitab-buku': [248, 45],
  batik: [275, 45],
  'kue-jajanan': [315, 50],
  kaligrafi: [338, 50],
};

/** The colours of a category: its hue and saturation, the lightness of each part fixed. */
export function paletteOf(categorySlug: string): Palette {
  const [hue, saturation] = CATEGORY_COLOURS[categorySlug] ?? [fnv1a(categorySlug) % 360, 52];
  return {
    background: hsl(hue, Math.min(saturation, 35), 94),
    halo: hsl(hue, Math.min(saturation, 45), 87),
    floor: hsl(hue, Math.min(saturation, 22), 84),
    main: hsl(hue, saturation, 42),
    dark: hsl(hue, saturation, 27),
    light: hsl(hue, saturation - 4, 62),
    accent: hsl((hue + 150) % 360, 58, 52),
    paper: '#fffbf2',
    ink: hsl(hue, 40, 16),
  };
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Drawing {
  /** The packaging, drawn over the background. */
  body: string;
  /** Where the label goes (the paper panel is drawn there). */
  label: Box;
  /** Extra definitions (patterns) the body uses. */
  defs?: string;
}

const rect = (b: Box, fill: string, extra = '') => `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="${fill}"${extra ? ` ${extra}` : ''}/>`;

const DRAWINGS: Record<PackagingKind, (c: Palette) => Drawing> = {
  pouch: (c) => {
    const zigzag = Array.from({ length: 18 }, (_, i) => `L${430 + (i + 1) * 20} ${i % 2 === 0 ? 190 : 202}`).join('');
    return {
      body:
        `<path d="M430 250H770V752Q770 784 738 784H462Q430 784 430 752Z" fill="${c.main}"/>` +
        `<path d="M430 202${zigzag}L770 202V262H430Z" fill="${c.dark}"/>` +
        `<circle cx="600" cy="228" r="13" fill="${c.background}"/>` +
        `<path d="M770 276L752 286L770 296Z" fill="${c.background}"/>` +
        `<path d="M450 280V760M750 280V760" stroke="${c.light}" stroke-width="6" opacity="0.45"/>` +
        `<path d="M442 726Q600 760 758 726" fill="none" stroke="${c.dark}" stroke-width="5" opacity="0.35"/>`,
      label: { x: 462, y: 330, w: 276, h: 320 },
    };
  },
  sack: (c) => ({
    body:
      `<path d="M352 262Q600 290 848 262L858 760Q858 786 832 786H368Q342 786 342 760Z" fill="${c.light}"/>` +
      Array.from({ length: 20 }, (_, i) => `<path d="M350 ${300 + i * 24}H850" stroke="${c.dark}" stroke-width="3" opacity="0.08"/>`).join('') +
      `<path d="M352 262L326 236L372 252ZM848 262L874 236L828 252Z" fill="${c.main}"/>` +
      `<path d="M368 300Q600 326 832 300" fill="none" stroke="${c.dark}" stroke-width="6" stroke-dasharray="16 12" stroke-linecap="round"/>`,
    label: { x: 410, y: 380, w: 380, h: 300 },
  }),
  bottle: (c) => ({
    body:
      `<path d="M566 286C566 336 446 338 446 410V756Q446 786 476 786H724Q754 786 754 756V410C754 338 634 336 634 286Z" fill="${c.main}"/>` +
      `<rect x="566" y="212" width="68" height="80" fill="${c.main}"/>` +
      `<rect x="548" y="146" width="104" height="72" rx="10" fill="${c.dark}"/>` +
      [566, 586, 606, 626].map((x) => `<path d="M${x} 156V208" stroke="${c.light}" stroke-width="4" opacity="0.4"/>`).join('') +
      `<rect x="466" y="424" width="18" height="320" rx="9" fill="#ffffff" opacity="0.22"/>`,
    label: { x: 486, y: 450, w: 246, h: 250 },
  }),
  jar: (c) => ({
    body:
      `<rect x="414" y="382" width="372" height="404" rx="44" fill="${c.main}"/>` +
      `<rect x="426" y="382" width="348" height="24" fill="${c.light}" opacity="0.7"/>` +
      `<rect x="428" y="306" width="344" height="84" rx="16" fill="${c.dark}"/>` +
      Array.from({ length: 15 }, (_, i) => `<path d="M${450 + i * 21} 318V378" stroke="${c.light}" stroke-width="4" opacity="0.3"/>`).join('') +
      `<rect x="432" y="430" width="18" height="320" rx="9" fill="#ffffff" opacity="0.22"/>`,
    label: { x: 458, y: 460, w: 300, h: 250 },
  }),
  box: (c) => ({
    body:
      `<path d="M390 330L474 264H850L766 330Z" fill="${c.light}"/>` +
      `<path d="M766 330L850 264V720L766 786Z" fill="${c.dark}"/>` +
      `<rect x="390" y="330" width="376" height="456" fill="${c.main}"/>` +
      `<rect x="390" y="330" width="376" height="30" fill="${c.accent}"/>` +
      `<rect x="390" y="752" width="376" height="34" fill="${c.accent}"/>`,
    label: { x: 418, y: 400, w: 320, h: 320 },
  }),
  book: (c) => ({
    body:
      `<rect x="440" y="206" width="360" height="580" rx="6" fill="#f1ebdd"/>` +
      Array.from({ length: 8 }, (_, i) => `<path d="M782 ${230 + i * 70}V${270 + i * 70}" stroke="#c9c0ad" stroke-width="3"/>`).join('') +
      `<rect x="410" y="190" width="372" height="580" rx="8" fill="${c.main}"/>` +
      `<rect x="410" y="190" width="46" height="580" rx="8" fill="${c.dark}"/>` +
      `<path d="M490 650H750M490 676H750" stroke="${c.accent}" stroke-width="8"/>`,
    label: { x: 482, y: 270, w: 272, h: 330 },
  }),
  cloth: (c) => ({
    defs:
      `<pattern id="motif" width="64" height="64" patternUnits="userSpaceOnUse">` +
      `<circle cx="16" cy="16" r="7" fill="${c.paper}" opacity="0.55"/><circle cx="48" cy="48" r="7" fill="${c.paper}" opacity="0.55"/>` +
      `<path d="M0 48Q16 36 32 48T64 48M0 16Q16 4 32 16T64 16" fill="none" stroke="${c.accent}" stroke-width="4" opacity="0.7"/></pattern>`,
    body:
      [
        [670, c.dark],
        [566, c.main],
        [462, c.main],
      ]
        .map(
          ([y, fill]) =>
            `<rect x="320" y="${y}" width="560" height="116" rx="26" fill="${fill}"/>` +
            `<rect x="320" y="${y}" width="560" height="116" rx="26" fill="url(#motif)"/>` +
            `<rect x="320" y="${y}" width="44" height="116" rx="22" fill="${c.dark}" opacity="0.45"/>`,
        )
        .join('') +
      `<path d="M600 430V462" stroke="${c.dark}" stroke-width="5"/>`,
    label: { x: 420, y: 216, w: 360, h: 214 },
  }),
  frame: (c) => ({
    body:
      `<rect x="360" y="110" width="480" height="420" rx="6" fill="${c.dark}"/>` +
      `<rect x="392" y="142" width="416" height="356" fill="#f6f0e1"/>` +
      // Flowing strokes and dots in the manner of calligraphy; not writing.
      `<path d="M440 420Q600 470 760 400M470 400C470 300 520 250 540 200M560 390C600 330 640 330 660 250M690 380C700 320 730 300 750 280" fill="none" stroke="${c.main}" stroke-width="14" stroke-linecap="round"/>` +
      [[500, 450], [610, 200], [640, 430], [720, 240]].map(([x, y]) => `<path d="M${x} ${y! - 12}L${x! + 12} ${y}L${x} ${y! + 12}L${x! - 12} ${y}Z" fill="${c.accent}"/>`).join('') +
      `<path d="M600 560V600" stroke="${c.dark}" stroke-width="5"/>`,
    label: { x: 410, y: 600, w: 380, h: 180 },
  }),
  cap: (c) => ({
    body:
      `<path d="M436 480L456 302Q600 270 744 302L764 480Q600 512 436 480Z" fill="${c.dark}"/>` +
      `<ellipse cx="600" cy="302" rx="144" ry="30" fill="${c.ink}"/>` +
      `<path d="M440 444Q600 474 760 444" fill="none" stroke="${c.accent}" stroke-width="10"/>`,
    label: { x: 410, y: 540, w: 380, h: 240 },
  }),
  bar: (c) => ({
    body:
      `<path d="M370 520L456 460H876L790 520Z" fill="${c.light}"/>` +
      `<path d="M790 520L876 460V724L790 786Z" fill="${c.dark}"/>` +
      `<rect x="370" y="520" width="420" height="266" fill="${c.main}"/>` +
      `<path d="M560 486Q620 440 680 486Q620 500 560 486Z" fill="${c.accent}"/>`,
    label: { x: 394, y: 538, w: 372, h: 230 },
  }),
  bag: (c) => ({
    defs:
      `<pattern id="weave" width="36" height="36" patternUnits="userSpaceOnUse">` +
      `<path d="M0 0L36 36M36 0L0 36" stroke="${c.dark}" stroke-width="5" opacity="0.35"/></pattern>`,
    body:
      `<path d="M484 420C484 212 716 212 716 420" fill="none" stroke="${c.dark}" stroke-width="24" stroke-linecap="round"/>` +
      `<path d="M390 400H810L768 786H432Z" fill="${c.main}"/>` +
      `<path d="M390 400H810L768 786H432Z" fill="url(#weave)"/>` +
      `<rect x="390" y="400" width="420" height="26" fill="${c.dark}"/>`,
    label: { x: 454, y: 470, w: 292, h: 230 },
  }),
  pack: (c) => ({
    body:
      `<rect x="262" y="380" width="676" height="406" rx="40" fill="${c.light}" opacity="0.55"/>` +
      `<path d="M380 520Q560 410 800 510L900 452L884 540L900 628L800 570Q560 650 380 560Q340 540 380 520Z" fill="${c.main}"/>` +
      `<circle cx="424" cy="528" r="10" fill="${c.paper}"/>` +
      `<path d="M300 380V786M900 380V786" stroke="${c.dark}" stroke-width="4" stroke-dasharray="10 10" opacity="0.4"/>`,
    label: { x: 392, y: 630, w: 416, h: 140 },
  }),
};

interface LaidOut {
  lines: string[];
  capHeight: number;
}

/** Breaks `text` into at most `maxLines` lines that fit `width`, with the largest capitals that allow it. */
function layOut(text: string, width: number, maxLines: number, largest: number, smallest: number): LaidOut {
  const words = strokeFontText(text).split(' ').filter(Boolean);
  for (let capHeight = largest; capHeight >= smallest; capHeight -= 2) {
    const lines = wrap(words, width, capHeight);
    if (lines.length <= maxLines && lines.every((line) => strokeTextWidth(line, capHeight) <= width)) return { lines, capHeight };
  }
  // Too long even at the smallest size: break inside words, and end with an ellipsis.
  const lines = wrap(words.flatMap((word) => splitToFit(word, width, smallest)), width, smallest);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    let last = `${kept[maxLines - 1]!}...`;
    while (last.length > 3 && strokeTextWidth(last, smallest) > width) last = `${last.slice(0, -4).trimEnd()}...`;
    kept[maxLines - 1] = last;
    return { lines: kept, capHeight: smallest };
  }
  return { lines, capHeight: smallest };
}

function wrap(words: string[], width: number, capHeight: number): string[] {
  const lines: string[] = [];
  for (const word of words) {
    const current = lines.at(-1);
    if (current !== undefined && strokeTextWidth(`${current} ${word}`, capHeight) <= width) lines[lines.length - 1] = `${current} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function splitToFit(word: string, width: number, capHeight: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const char of word) {
    if (piece && strokeTextWidth(piece + char, capHeight) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

function drawLabel(subject: IllustrationSubject, box: Box, c: Palette): string {
  const padding = Math.round(Math.min(box.w, box.h) * 0.09);
  const inner = box.w - 2 * padding;
  const seller = subject.sellerName?.trim() ? layOut(subject.sellerName, inner, 1, 20, 13) : null;
  const sellerSpace = seller ? seller.capHeight + 24 : 0;
  const maxLines = box.h >= 200 ? 3 : 2;
  const name = layOut(subject.nameId, inner, maxLines, Math.min(60, Math.round((box.h - 2 * padding - sellerSpace) / (maxLines * 1.45))) + 8, 20);
  const lineHeight = Math.round(name.capHeight * 1.45);
  const block = name.capHeight + lineHeight * (name.lines.length - 1) + sellerSpace;
  let baseline = Math.round(box.y + (box.h - block) / 2 + name.capHeight);
  const centre = box.x + box.w / 2;
  const parts = [
    `<rect x="${box.x}" y="${box.y}" width="${box.w}" height="${box.h}" rx="18" fill="${c.paper}"/>`,
    `<rect x="${box.x + 8}" y="${box.y + 8}" width="${box.w - 16}" height="${box.h - 16}" rx="12" fill="none" stroke="${c.accent}" stroke-width="3"/>`,
  ];
  for (const line of name.lines) {
    parts.push(strokeText(line, { x: centre, y: baseline, capHeight: name.capHeight, color: c.ink, anchor: 'middle', weight: 0.13 }));
    baseline += lineHeight;
  }
  if (seller) {
    const ruleY = baseline - lineHeight + Math.round(name.capHeight * 0.2) + 12;
    parts.push(`<path d="M${centre - 40} ${ruleY}H${centre + 40}" stroke="${c.accent}" stroke-width="3"/>`);
    parts.push(strokeText(seller.lines[0]!, { x: centre, y: ruleY + 12 + seller.capHeight, capHeight: seller.capHeight, color: c.main, anchor: 'middle', weight: 0.11 }));
  }
  return parts.join('');
}

function drawCaption(c: Palette): string {
  const capHeight = 28;
  const width = strokeTextWidth(ILLUSTRATION_CAPTION, capHeight);
  return (
    `<g id="caption">` +
    `<rect x="36" y="36" width="${Math.ceil(width + 48)}" height="${capHeight + 32}" rx="${(capHeight + 32) / 2}" fill="#ffffff" opacity="0.9" stroke="${c.ink}" stroke-width="2" stroke-dasharray="8 6"/>` +
    strokeText(ILLUSTRATION_CAPTION, { x: 60, y: 36 + 16 + capHeight, capHeight, color: c.ink, weight: 0.12 }) +
    `</g>`
  );
}

/**
 * The product's illustration, 1200 × 900: its packaging (after its unit and category) in its
 * category's colours, its Indonesian name on the label (wrapped, shrunk to fit), the seller's
 * name under it when given, and the caption "Ilustrasi / Illustration". The text is drawn as
 * paths (no fonts needed); the name also appears, escaped, in the SVG's title.
 */
export function productIllustrationSvg(subject: IllustrationSubject): string {
  const c = paletteOf(subject.categorySlug);
  const kind = packagingOf(subject.categorySlug, subject.unit, subject.nameId);
  const drawing = DRAWINGS[kind](c);
  const title = escapeXml(`${ILLUSTRATION_CAPTION}: ${subject.nameId}`);
  const description = escapeXml(
    `Gambar buatan, bukan foto produk${subject.sellerName ? ` (${subject.sellerName})` : ''}. / A drawing, not a photo of the product.`,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${ILLUSTRATION_WIDTH}" height="${ILLUSTRATION_HEIGHT}" viewBox="0 0 ${ILLUSTRATION_WIDTH} ${ILLUSTRATION_HEIGHT}" data-packaging="${kind}">` +
    `<title>${title}</title><desc>${description}</desc>` +
    (drawing.defs ? `<defs>${drawing.defs}</defs>` : '') +
    rect({ x: 0, y: 0, w: ILLUSTRATION_WIDTH, h: ILLUSTRATION_HEIGHT }, c.background) +
    `<circle cx="600" cy="440" r="340" fill="${c.halo}"/>` +
    rect({ x: 0, y: 720, w: ILLUSTRATION_WIDTH, h: 180 }, c.floor) +
    `<ellipse cx="600" cy="790" rx="300" ry="24" fill="#000000" opacity="0.12"/>` +
    drawing.body +
    drawLabel(subject, drawing.label, c) +
    drawCaption(c) +
    `</svg>`
  );
}
