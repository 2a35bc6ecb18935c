import { describe, expect, it } from 'vitest';
import { deviceOf } from '../src/lib/user-agent.ts';

describe("a session's device, as people recognise it (a new user saw raw user-agent strings)", () => {
  it('names the browser and system of the common phones and computers', () => {
    expect(deviceOf('Mozilla/5.0 (Linux; Android 14; SM-A146P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'id')).toBe('Chrome di Android');
    expect(deviceOf('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'en')).toBe('Safari on iOS');
    expect(deviceOf('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'id')).toBe('Edge di Windows');
    expect(deviceOf('Mozilla/5.0 (Linux; Android 13; M2101K6G) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36', 'id')).toBe('Samsung Internet di Android');
    expect(deviceOf('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'id')).toBe('Firefox di Linux');
  });

  it('says "another browser" rather than guess, and a dash for none', () => {
    expect(deviceOf('curl/8.5.0', 'id')).toBe('peramban lain');
    expect(deviceOf('Something (Windows NT 10.0)', 'en')).toBe('another browser on Windows');
    expect(deviceOf(null, 'id')).toBe('—');
    expect(deviceOf('<script>alert(1)</script>', 'id')).toBe('peramban lain');
  });
});
