/**
 * A small monoline font drawn as SVG paths, for the demo illustrations' labels. Text drawn with
 * it needs no installed font: the same SVG renders the same on a developer's machine and in a
 * slim container image that has no fonts at all (where `<text>` would come out as empty boxes).
 *
 * Capitals, digits and common punctuation on a grid 6 units high (0 at the cap line, 6 on the
 * baseline); lower case is drawn as capitals, accents are dropped, anything else is a small box.
 */

interface Glyph {
  /** Advance width in grid units, without the gap between letters. */
  w: number;
  d: string;
}

const GLYPHS: Record<string, Glyph> = {
  A: { w: 4, d: 'M0 6L2 0L4 6M0.7 4H3.3' },
  B: { w: 4, d: 'M0 6V0H2.4A1.5 1.5 0 0 1 2.4 3H0M2.4 3A1.6 1.5 0 0 1 2.4 6H0' },
  C: { w: 4, d: 'M3.6 0.9A2 3 0 1 0 3.6 5.1' },
  D: { w: 4, d: 'M0 0V6H1.5A2.5 3 0 0 0 1.5 0Z' },
  E: { w: 3.6, d: 'M3.6 0H0V6H3.6M0 3H3' },
  F: { w: 3.6, d: 'M3.6 0H0V6M0 3H3' },
  G: { w: 4, d: 'M3.6 0.9A2 3 0 1 0 4 3H2.3' },
  H: { w: 4, d: 'M0 0V6M4 0V6M0 3H4' },
  I: { w: 0, d: 'M0 0V6' },
  J: { w: 3, d: 'M3 0V4.5A1.5 1.5 0 0 1 0 4.5' },
  K: { w: 4, d: 'M0 0V6M4 0L0 4M1.4 2.6L4 6' },
  L: { w: 3.4, d: 'M0 0V6H3.4' },
  M: { w: 5, d: 'M0 6V0L2.5 4L5 0V6' },
  N: { w: 4, d: 'M0 6V0L4 6V0' },
  O: { w: 4.2, d: 'M2.1 0A2.1 3 0 1 0 2.1 6A2.1 3 0 1 0 2.1 0Z' },
  P: { w: 4, d: 'M0 6V0H2.4A1.6 1.6 0 0 1 2.4 3.2H0' },
  Q: { w: 4.2, d: 'M2.1 0A2.1 3 0 1 0 2.1 6A2.1 3 0 1 0 2.1 0ZM2.6 4.4L4.2 6.3' },
  R: { w: 4, d: 'M0 6V0H2.4A1.6 1.6 0 0 1 2.4 3.2H0M2.2 3.2L4 6' },
  S: { w: 4, d: 'M3.7 1.1A1.8 1.5 0 1 0 2 3A1.95 1.5 0 1 1 0.2 4.9' },
  T: { w: 4, d: 'M0 0H4M2 0V6' },
  U: { w: 4, d: 'M0 0V4A2 2 0 0 0 4 4V0' },
  V: { w: 4, d: 'M0 0L2 6L4 0' },
  W: { w: 5.4, d: 'M0 0L1.35 6L2.7 1.6L4.05 6L5.4 0' },
  X: { w: 4, d: 'M0 0L4 6M4 0L0 6' },
  Y: { w: 4, d: 'M0 0L2 3L4 0M2 3V6' },
  Z: { w: 4, d: 'M0 0H4L0 6H4' },
  '0': { w: 3.6, d: 'M1.8 0A1.8 3 0 1 0 1.8 6A1.8 3 0 1 0 1.8 0Z' },
  '1': { w: 2, d: 'M0 1.3L2 0V6' },
  '2': { w: 3.7, d: 'M0.1 1.5A1.8 1.6 0 0 1 3.6 1.7C3.6 3.1 0 4.4 0 6H3.7' },
  '3': { w: 3.6, d: 'M0.2 0H3.5L1.7 2.5A1.8 1.75 0 1 1 0.1 5.1' },
  '4': { w: 3.8, d: 'M2.8 6V0L0 4.2H3.8' },
  '5': { w: 3.6, d: 'M3.4 0H0.6L0.3 2.9A1.8 1.7 0 1 1 0.1 5.3' },
  '6': { w: 3.6, d: 'M3.1 0.2Q0.2 1 0.1 4.3A1.75 1.7 0 1 0 3.6 4.3A1.75 1.7 0 1 0 0.1 4.3' },
  '7': { w: 3.6, d: 'M0 0H3.6L1.2 6' },
  '8': { w: 3.6, d: 'M1.8 3A1.5 1.5 0 1 1 1.8 0A1.5 1.5 0 1 1 1.8 3A1.8 1.5 0 1 0 1.8 6A1.8 1.5 0 1 0 1.8 3Z' },
  '9': { w: 3.6, d: 'M3.5 1.7A1.75 1.7 0 1 0 0.1 1.7A1.75 1.7 0 1 0 3.5 1.7Q3.4 5 0.5 5.8' },
  ' ': { w: 1.6, d: '' },
  '-': { w: 2.4, d: 'M0 3.6H2.4' },
  '.': { w: 0, d: 'M0 5.9V6' },
  ',': { w: 0.6, d: 'M0.6 5.6L0 7' },
  ':': { w: 0, d: 'M0 2V2.1M0 5.9V6' },
  ';': { w: 0.6, d: 'M0.6 2V2.1M0.6 5.6L0 7' },
  '!': { w: 0, d: 'M0 0V4.2M0 5.9V6' },
  '?': { w: 3.4, d: 'M0 1.5A1.7 1.5 0 1 1 2.3 2.9Q1.7 3.3 1.7 4.3M1.7 5.9V6' },
  "'": { w: 0, d: 'M0 0V1.6' },
  '"': { w: 1.2, d: 'M0 0V1.6M1.2 0V1.6' },
  '/': { w: 3, d: 'M0 6.4L3 -0.4' },
  '(': { w: 1.4, d: 'M1.4 -0.4Q-0.4 3 1.4 6.4' },
  ')': { w: 1.4, d: 'M0 -0.4Q1.8 3 0 6.4' },
  '&': { w: 4.2, d: 'M4.2 6L1.1 2.2A1.2 1.1 0 1 1 2.7 2.6L1 3.7A1.6 1.4 0 1 0 3.7 4' },
  '+': { w: 3.4, d: 'M0 3.5H3.4M1.7 1.8V5.2' },
  '<': { w: 3, d: 'M3 1.4L0 3.6L3 5.8' },
  '>': { w: 3, d: 'M0 1.4L3 3.6L0 5.8' },
  '=': { w: 3.2, d: 'M0 2.7H3.2M0 4.5H3.2' },
  '%': { w: 4, d: 'M0 6L4 0M0.9 0.3V1.6M3.1 4.4V5.7' },
  '#': { w: 4, d: 'M1.3 0.6L0.8 5.6M3.2 0.6L2.7 5.6M0.2 2.2H4M0 4H3.8' },
  '*': { w: 3, d: 'M1.5 0.6V3.6M0.2 1.3L2.8 2.9M2.8 1.3L0.2 2.9' },
  _: { w: 4, d: 'M0 6.4H4' },
};

/** Drawn for characters the font does not have. */
const MISSING: Glyph = { w: 3, d: 'M0 1.5H3V6H0Z' };

/** The gap between letters, in grid units. */
const TRACKING = 1.15;
/** Height of the grid; a font size in pixels is the height of a capital. */
const CAP = 6;

const glyphOf = (char: string): Glyph => GLYPHS[char] ?? MISSING;

/** What the font draws for `text`: capitals, accents dropped, runs of white space as one. */
export function strokeFontText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The width of `text` drawn with capitals `capHeight` pixels high. */
export function strokeTextWidth(text: string, capHeight: number): number {
  const chars = [...strokeFontText(text)];
  if (chars.length === 0) return 0;
  const units = chars.reduce((sum, char) => sum + glyphOf(char).w, 0) + TRACKING * (chars.length - 1);
  return (units * capHeight) / CAP;
}

export interface StrokeTextOptions {
  /** Left edge, or the centre with `anchor: 'middle'`. */
  x: number;
  /** The baseline. */
  y: number;
  capHeight: number;
  color: string;
  anchor?: 'start' | 'middle';
  /** Line weight relative to the capital's height (default 0.12, a medium weight). */
  weight?: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

/** One line of text as SVG paths (nothing of the text itself appears in the markup). */
export function strokeText(text: string, options: StrokeTextOptions): string {
  const shown = strokeFontText(text);
  if (!shown) return '';
  const scale = options.capHeight / CAP;
  const left = options.anchor === 'middle' ? options.x - strokeTextWidth(shown, options.capHeight) / 2 : options.x;
  const weight = (options.weight ?? 0.12) * CAP;
  let advance = 0;
  const paths: string[] = [];
  for (const char of shown) {
    const glyph = glyphOf(char);
    if (glyph.d) paths.push(`<path transform="translate(${round(advance)} 0)" d="${glyph.d}"/>`);
    advance += glyph.w + TRACKING;
  }
  return (
    `<g transform="translate(${round(left)} ${round(options.y - options.capHeight)}) scale(${round(scale * 1000) / 1000})" ` +
    `fill="none" stroke="${options.color}" stroke-width="${round(weight)}" stroke-linecap="round" stroke-linejoin="round">${paths.join('')}</g>`
  );
}
