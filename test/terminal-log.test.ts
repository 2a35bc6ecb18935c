import { describe, expect, it } from 'vitest';
import { showsRequest } from '../scripts/platform.ts';

const request = (status: number, ms: number) => ({ level: 30, msg: 'request completed', method: 'POST', url: '/graphql', status, ms });

describe("npm start's terminal", () => {
  it('leaves out requests that succeeded quickly, which buried everything else (found by a new-user walkthrough)', () => {
    expect(showsRequest(request(200, 4), undefined)).toBe(false);
    expect(showsRequest(request(304, 999), undefined)).toBe(false);
  });

  it('shows refused, failed and slow requests, and every other log line', () => {
    expect(showsRequest(request(400, 3), undefined)).toBe(true);
    expect(showsRequest(request(503, 3), undefined)).toBe(true);
    expect(showsRequest(request(200, 1_000), undefined)).toBe(true);
    expect(showsRequest({ level: 30, msg: 'router listening', url: 'http://127.0.0.1:4000' }, undefined)).toBe(true);
    expect(showsRequest({ level: 50, msg: 'photo processing failed' }, undefined)).toBe(true);
  });

  it('shows every request with LOG_REQUESTS=all', () => {
    expect(showsRequest(request(200, 4), 'all')).toBe(true);
  });
});
