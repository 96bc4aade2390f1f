/**
 * Development tokens for the demo directory (`npm run token`, tests). Signed with the
 * DEVELOPMENT key, so refused in production; real tokens come from the identity provider.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { Config } from '../config';
import { DEMO_PRINCIPALS, findDemoPrincipal } from '../db/demo/directory';
import { DataCategory, Purpose, Role, purposesOf } from '../policy/vocabulary';
import { loadDevSigningKey } from './keys';
import { DUTY_DOCTOR_MAX_LIFETIME_SECONDS } from './tokens';

export interface MintOptions {
  /** A subject of the demo directory; role and organisation come from there. */
  subject: string;
  /** Defaults to the role's first allowed purpose. */
  purpose?: Purpose | string;
  /** Patient number to bind the token to: `P-0001`, or just `1`. */
  patient?: string;
  /** Categories to narrow the role to: an array or a space-separated string. */
  scope?: string | readonly string[];
  /** Lifetime like `15m`, `2h`, `30s`, `1d`; negative (`-5m`) mints an already-expired token. */
  ttl?: string;
  /** Raw claims applied last, for tests that need a bad token; `undefined` removes a claim. */
  claims?: Record<string, unknown>;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Seconds in a lifetime like `15m`, `-5m`, `2h`, `30s`, `1d` (a bare number means seconds). */
export function parseTtl(text: string): number {
  const match = /^\s*(-?)(\d+)\s*([smhd]?)\s*$/.exec(text);
  if (!match) throw new Error(`Invalid ttl "${text}": use a number and a unit s, m, h or d, e.g. 15m or -5m`);
  const seconds = Number(match[2]) * UNIT_SECONDS[match[3] || 's'];
  return match[1] ? -seconds : seconds;
}

/** Normalises `1` or `P-1` style input to the `P-` + digits form; throws on anything else. */
export function normalisePatientNumber(text: string): string {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return `P-${trimmed.padStart(4, '0')}`;
  if (/^P-\d+$/i.test(trimmed)) return trimmed.toUpperCase();
  throw new Error(`Invalid patient number "${text}": expected e.g. P-0001`);
}

/** A signed development JWT for a demo principal. */
export async function mintDevToken(config: Config, options: MintOptions): Promise<string> {
  const principal = findDemoPrincipal(options.subject);
  if (!principal) {
    const known = DEMO_PRINCIPALS.map((p) => p.subject).join(', ');
    throw new Error(`Unknown subject "${options.subject}". Known subjects: ${known}`);
  }
  const role = principal.role;
  const allowed = purposesOf(role);
  const purpose = options.purpose ?? allowed[0];
  if (!allowed.includes(purpose as Purpose)) {
    throw new Error(`Role ${role} may not act for purpose "${purpose}"; allowed: ${allowed.join(', ')}`);
  }

  let patient = options.patient === undefined ? undefined : normalisePatientNumber(options.patient);
  if (role === Role.PATIENT) {
    if (patient && patient !== principal.subject) throw new Error(`A patient token is bound to the patient itself (${principal.subject})`);
    patient = principal.subject;
  }

  const ttl = parseTtl(options.ttl ?? '15m');
  if (role === Role.DUTY_DOCTOR) {
    if (!patient) throw new Error('A duty doctor token must be bound to a patient: add --patient P-0001');
    if (ttl > DUTY_DOCTOR_MAX_LIFETIME_SECONDS) throw new Error('A duty doctor token lives at most 12 hours');
  }

  const now = Math.floor(Date.now() / 1000);
  const exp = now + ttl;
  // An expired token still needs iat < exp, or it fails for the wrong reason.
  const iat = ttl < 0 ? exp - 60 : now;

  const payload: Record<string, unknown> = {
    iss: config.jwtIssuer,
    aud: config.jwtAudience,
    sub: principal.subject,
    iat,
    exp,
    jti: randomUUID(),
    role,
    purpose,
    org: principal.organisation,
    patient,
    scope: options.scope === undefined ? undefined : scopeClaim(options.scope),
    ...options.claims,
  };
  for (const name of Object.keys(payload)) {
    if (payload[name] === undefined) delete payload[name];
  }

  const signing = await loadDevSigningKey(config);
  return new SignJWT(payload as JWTPayload)
    .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: 'JWT' })
    .sign(signing.key);
}

function scopeClaim(scope: string | readonly string[]): string {
  const names = typeof scope === 'string' ? scope.trim().split(/[\s,]+/).filter(Boolean) : [...scope];
  const known = new Set<string>(Object.values(DataCategory));
  const unknown = names.filter((n) => !known.has(n));
  if (names.length === 0) throw new Error('Empty scope: give one or more data categories');
  if (unknown.length > 0) throw new Error(`Unknown data categories in scope: ${unknown.join(', ')}; known: ${[...known].join(' ')}`);
  return names.join(' ');
}
