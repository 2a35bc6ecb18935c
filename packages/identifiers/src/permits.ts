/**
 * The formats of a product's permit numbers, without zod, so a browser can check a number as it
 * is typed with exactly the rule the API applies (index.ts builds its schemas from these).
 */
export interface PermitFormat {
  /** Longer input is refused before it is normalised. */
  maxLength: number | undefined;
  /** What people may type around the number (spaces, dashes, lower case), taken away. */
  normalise: (value: string) => string;
  pattern: RegExp;
}

export const PERMIT_FORMATS = {
  /** Halal certificate numbers from BPJPH (SIHALAL): ID followed by 17 digits. */
  halalCertificateNumber: { maxLength: undefined, normalise: (value: string) => value.trim().toUpperCase(), pattern: /^ID\d{17}$/ },
  /** BPOM registration for processed food: MD followed by 12 digits (spaces tolerated). */
  bpomNumber: { maxLength: 30, normalise: (value: string) => value.replace(/\s+/g, '').toUpperCase(), pattern: /^MD\d{12}$/ },
  /** Home-industry food permit (P-IRT): 15 digits (dashes and spaces tolerated). */
  pirtNumber: { maxLength: 30, normalise: (value: string) => value.replace(/[\s-]/g, ''), pattern: /^\d{15}$/ },
} as const satisfies Record<string, PermitFormat>;

export type PermitKind = keyof typeof PERMIT_FORMATS;

/** The number as stored, or null when it does not have the permit's format. */
export function normalisedPermit(kind: PermitKind, value: string): string | null {
  const format: PermitFormat = PERMIT_FORMATS[kind];
  if (format.maxLength !== undefined && value.length > format.maxLength) return null;
  const normalised = format.normalise(value);
  return format.pattern.test(normalised) ? normalised : null;
}
