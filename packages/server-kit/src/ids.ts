import { badUserInput } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our ids are UUIDs; checking the shape first keeps a malformed id from reaching SQL. */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** An id argument, checked: a malformed one is the caller's mistake, reported on its field. */
export function parseId(value: string, field: string): string {
  if (!isUuid(value)) throw badUserInput('is not a valid id', field);
  return value.toLowerCase();
}
