import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/**
 * Structured JSON logs on stdout, one line per event, tagged with the service name so that the
 * lines of five subgraphs and the router can be told apart when they share a terminal or a
 * collector. Credentials in request headers are redacted at the source.
 */
export function createLogger(service: string, level: LogLevel): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["x-opop-identity"]'],
      censor: '<redacted>',
    },
  });
}
