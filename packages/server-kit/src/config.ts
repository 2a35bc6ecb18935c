import { z } from 'zod';

/** Thrown when the environment does not describe a valid configuration; names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses the environment once into a typed configuration.
 *
 * Empty variables count as unset, so `DATABASE_URL=` in a `.env` file means "use the default"
 * rather than "connect to an empty URL". Every problem is reported at once, each line naming the
 * variable, so a broken deployment is fixed in one round trip.
 */
export function loadConfig<T>(schema: z.ZodType<T>, env: NodeJS.ProcessEnv = process.env): T {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const variable = issue.path.map(String).join('.') || '(environment)';
    const received = typeof issue.path[0] === 'string' ? present[issue.path[0]] : undefined;
    const shown = received === undefined ? '' : ` (got ${JSON.stringify(redact(variable, received))})`;
    return `  ${variable}: ${issue.message}${shown}`;
  });
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

/** Secrets and credentials must never reach a log line, even inside an error message. */
function redact(variable: string, value: string): string {
  if (/SECRET|PASSWORD|TOKEN|KEY/i.test(variable)) return '<redacted>';
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const envVar = {
  port: (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback),
  boolean: (fallback: boolean) => z.stringbool({ truthy: ['true', '1', 'yes'], falsy: ['false', '0', 'no'] }).default(fallback),
  url: () => z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
  postgresUrl: () => z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// or postgresql:// URL' }),
  /** A PostgreSQL identifier we interpolate into DDL, so only plain lower-case names are allowed. */
  sqlIdentifier: () => z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)'),
  /** HMAC secrets shorter than the hash output weaken HS256; 32 characters is the floor. */
  secret: () => z.string().min(32, 'must be at least 32 characters'),
  logLevel: () => z.enum(LOG_LEVELS).default('info'),
  nodeEnv: () => z.enum(['development', 'test', 'production']).default('development'),
  list: () => z.string().transform((value) => value.split(',').map((item) => item.trim()).filter(Boolean)),
};

/** Settings every service shares: how it listens, logs and which environment it believes it is in. */
export const serviceEnv = {
  NODE_ENV: envVar.nodeEnv(),
  LOG_LEVEL: envVar.logLevel(),
  HOST: z.string().min(1).default('localhost'),
};

export interface ServiceConfig {
  environment: 'development' | 'test' | 'production';
  logLevel: LogLevel;
  host: string;
  port: number;
}
