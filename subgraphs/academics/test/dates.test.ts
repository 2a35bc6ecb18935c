import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardianConsentInput } from '../src/modules/programme/programme.input.ts';

/**
 * A guardian signs the consent form at 06:00 in Jombang (WIB, UTC+7): it is already that day there
 * and still the day before in UTC. The date they write is today, not the future.
 */
describe('consent dates are the dates of East Java', () => {
  afterEach(() => vi.useRealTimers());
  const consent = (grantedOn: string) => guardianConsentInput.safeParse({ purpose: 'RESEARCH', relationship: 'MOTHER', evidence: 'Formulir 12/2026', grantedOn });

  it('takes today in WIB before 07:00 WIB, and refuses tomorrow', () => {
    vi.useFakeTimers({ now: new Date('2026-12-04T23:00:00Z') }); // 06:00 WIB on 5 December
    expect(consent('2026-12-05').success).toBe(true);
    expect(consent('2026-12-06').success).toBe(false);
  });

  it('refuses a date that is still tomorrow in East Java late in the evening', () => {
    vi.useFakeTimers({ now: new Date('2026-12-05T16:59:00Z') }); // 23:59 WIB on 5 December
    expect(consent('2026-12-05').success).toBe(true);
    expect(consent('2026-12-06').success).toBe(false);
  });
});
