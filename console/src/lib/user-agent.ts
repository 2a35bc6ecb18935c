/**
 * A session's device as people recognise it ("Chrome di Android"), from its browser's user-agent
 * string: the sessions list showed the raw string, which says little to an operator deciding
 * which session to end (a new user). The raw string stays in the cell's title for the curious.
 * Not detection: the string is whatever the browser sent, so anything unrecognised is "lainnya".
 */
const BROWSERS: readonly [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bUCBrowser\//, 'UC Browser'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  [/\bChromium\//, 'Chromium'],
  [/\bChrome\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+ .*Safari\//, 'Safari'],
];
const SYSTEMS: readonly [RegExp, string][] = [
  [/\bAndroid\b/, 'Android'],
  [/\biPhone\b|\biPad\b|\biPod\b/, 'iOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];

export function deviceOf(userAgent: string | null, lang: 'id' | 'en'): string {
  if (!userAgent) return '—';
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const other = lang === 'id' ? 'peramban lain' : 'another browser';
  if (browser && system) return `${browser} ${lang === 'id' ? 'di' : 'on'} ${system}`;
  return browser ?? (system ? `${other} ${lang === 'id' ? 'di' : 'on'} ${system}` : other);
}
