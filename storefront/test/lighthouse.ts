import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { CHROMIUM, CHROMIUM_FLAGS } from './browser.ts';

export type LighthouseScores = Record<'performance' | 'accessibility' | 'best-practices' | 'seo', number>;

export interface LighthouseReport {
  scores: LighthouseScores;
  /** Audits that cost points, for a readable failure. */
  failing: string[];
  /** First and Largest Contentful Paint and Total Blocking Time (simulated, ms), Cumulative Layout Shift, and the largest paint's element (a CSS selector). */
  metrics: { fcpMs: number; lcpMs: number; tbtMs: number; cls: number; lcpElement: string | undefined };
}

/**
 * Lighthouse's mobile profile (a mid-range phone on a slow 4G link, simulated) against one page,
 * in a fresh Chromium profile. Scores are 0–100.
 */
export async function runLighthouse(url: string, options: { extraHeaders?: Record<string, string> } = {}): Promise<LighthouseReport> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'opop-lighthouse-'));
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS, userDataDir });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      // A signed-in page (the console): the session cookie on every request of the page.
      ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const { categories, audits } = result.lhr;
    const score = (id: string) => Math.round((categories[id]?.score ?? 0) * 100);
    const failing = Object.values(categories).flatMap((category) =>
      category.auditRefs
        .filter((ref) => ref.weight > 0 && audits[ref.id]?.score !== null && (audits[ref.id]?.score ?? 1) < 1)
        .map((ref) => `${category.id}/${ref.id}: ${audits[ref.id]?.displayValue ?? audits[ref.id]?.score}`),
    );
    const breakdown = audits['lcp-breakdown-insight']?.details as { items?: { type: string; selector?: string }[] } | undefined;
    const lcpElement = breakdown?.items?.find((item) => item.type === 'node')?.selector;
    return {
      scores: { performance: score('performance'), accessibility: score('accessibility'), 'best-practices': score('best-practices'), seo: score('seo') },
      failing,
      metrics: {
        fcpMs: audits['first-contentful-paint']?.numericValue ?? Number.NaN,
        lcpMs: audits['largest-contentful-paint']?.numericValue ?? Number.NaN,
        tbtMs: audits['total-blocking-time']?.numericValue ?? Number.NaN,
        cls: audits['cumulative-layout-shift']?.numericValue ?? Number.NaN,
        lcpElement,
      },
    };
  } finally {
    chrome.kill();
    await rm(userDataDir, { recursive: true, force: true });
  }
}
