import { forbidden, type Identity } from '@opop/server-kit';

/** The scopes academics grants on; the SDL's @requiresScopes names the same strings. */
export const AGGREGATE_SCOPE = 'academics:aggregate';
export const RECORDS_SCOPE = 'academics:records';

/**
 * The resolver's own check of a field's @requiresScopes, after its role check: the generic
 * enforcement reads the directives, and this keeps the field closed should that ever be bypassed
 * or misconfigured.
 */
export function requireScope(identity: Identity, scope: string, action: string): void {
  if (!identity.scopes.includes(scope)) throw forbidden(`To ${action}, a credential needs the ${scope} scope`);
}
