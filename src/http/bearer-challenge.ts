/**
 * The answer to a refused token (RFC 6750 §3). The `WWW-Authenticate` challenge names the class of
 * the refusal (`error="invalid_token", error_description="expired"`), so an integrator knows what to
 * fix; a request without a bearer token gets the bare challenge with no error (§3.1). The body
 * stays the same for every refusal. Each refusal is logged with its class and, when the token
 * decodes, its `jti` and issuer — read without trusting them, and never the token itself.
 */
import { decodeJwt } from 'jose';
import type { AuthenticationError } from '../errors';
import { log } from '../log';

export const REALM = 'patient-record-api';

/** Logs the refusal and returns the `WWW-Authenticate` value for it. */
export function refuseToken(error: AuthenticationError, authorization: string | undefined, requestId: string): string {
  if (error.refusal === 'missing') {
    log.debug('no bearer token', { requestId });
    return `Bearer realm="${REALM}"`;
  }
  log.info('token refused', { requestId, refusal: error.refusal, reason: error.reason, ...untrustedIds(authorization) });
  return `Bearer realm="${REALM}", error="invalid_token", error_description="${error.refusal}"`;
}

/** The token's `jti` and `iss`, if it decodes at all: for finding it in the issuer's records. */
function untrustedIds(authorization: string | undefined): { jti?: string; iss?: string } {
  const jwt = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!jwt) return {};
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(jwt);
  } catch {
    return {};
  }
  const printable = (value: unknown) => (typeof value === 'string' && /^[\x21-\x7e]{1,200}$/.test(value) ? value : undefined);
  return { jti: printable(claims.jti), iss: printable(claims.iss) };
}
