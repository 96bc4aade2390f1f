/**
 * The one place errors are made. Codes are those of CONTRACT.md; messages never say why a
 * datum is withheld or what it would have been.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL_SERVER_ERROR';

const KNOWN_CODES = new Set<string>([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'QUERY_TOO_COMPLEX',
  'INTERNAL_SERVER_ERROR',
]);

function make(code: ErrorCode, message: string, httpStatus?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: httpStatus ? { code, http: { status: httpStatus } } : { code },
  });
}

/** The token is missing, malformed, expired, wrongly signed or wrongly addressed (HTTP 401). */
export const unauthenticated = (message = 'A valid bearer token is required') => make('UNAUTHENTICATED', message, 401);
/** A field or operation the policy withholds. */
export const forbidden = (message = 'Not authorised') => make('FORBIDDEN', message);
/** A patient that does not exist or lies outside the caller's gate: the two look the same. */
export const notFound = (what = 'Patient') => make('NOT_FOUND', `${what} not found`);
/** Input that fails validation; nothing has been written. */
export const badUserInput = (message: string) => make('BAD_USER_INPUT', message);
/** An unexpected failure; the message reveals nothing internal. */
export const internalError = (message = 'The request could not be completed') => make('INTERNAL_SERVER_ERROR', message);

/** True when the error is one of ours, safe to show a client as it is. */
export function isClientSafe(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && KNOWN_CODES.has(String(error.extensions?.code));
}

/**
 * Why a token was refused, as a class short enough for RFC 6750's `error_description`: it tells an
 * integrator what to fix without describing the token. `missing` is no token at all (no error).
 */
export type TokenRefusal = 'missing' | 'malformed' | 'expired' | 'not yet valid' | 'signature' | 'issuer' | 'audience' | 'claims' | 'revoked';

/** Thrown by token verification; the HTTP layer answers 401 with no data. */
export class AuthenticationError extends Error {
  constructor(
    readonly reason: string,
    readonly refusal: TokenRefusal = 'claims',
  ) {
    super(reason);
  }
}
