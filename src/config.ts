/**
 * Every environment variable the API reads, parsed and validated in one place (zod): every problem
 * is reported at once, naming the variable and its value.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ClaimMapping, parseClaimMapping } from './auth/claim-mapping';
import { KeyFileResult, readPrivateKeyFile, readPublicKeyFile } from './auth/key-files';

/** The checkout's root (the folder holding package.json), from source or compiled code alike. */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  return dir;
}

export type GpAccessModel = 'opt-in' | 'opt-out';

export interface Config {
  production: boolean;
  port: number;
  /** Interface to listen on: 127.0.0.1 in development, 0.0.0.0 in production, or HOST. */
  host: string;
  /** PostgreSQL URL; undefined means the embedded PostgreSQL under `.data/`. */
  databaseUrl?: string;
  /** Schema to use inside the database (tests give each worker its own). */
  databaseSchema?: string;
  /** The role every request runs as (DATABASE_API_ROLE, default record_api): row-level security applies to it; never the owner or a superuser. */
  databaseApiRole: string;
  gpAccessModel: GpAccessModel;
  jwtIssuer: string;
  jwtAudience: string;
  jwksUrl?: string;
  jwtPublicKeyFile?: string;
  /** Allowed clock difference when checking exp/nbf, in seconds. */
  clockToleranceSeconds: number;
  /** Where development keys and the embedded database live. */
  dataDir: string;
  introspection: boolean;
  /** Port of the embedded PostgreSQL (only when DATABASE_URL is not set). */
  embeddedPort: number;
  /**
   * Secret for the research pseudonyms (RESEARCH_PSEUDONYM_KEY). Required in production; in
   * development a DEVELOPMENT key is generated under dataDir/keys when unset.
   */
  researchPseudonymKey?: string;
  /**
   * k of the research cohort's k-anonymity (RESEARCH_MIN_GROUP_SIZE, default 5, at least 2): birth
   * year and gender are released only for members of a birth-year/gender group of at least k.
   */
  researchMinGroupSize: number;
  /** How the IdP's claims become role/purpose/org/patient/scope (CLAIM_MAPPING or CLAIM_MAPPING_FILE); undefined = our claim names. */
  claimMapping?: ClaimMapping;
  /** JWKS caching: how long a fetched key set is used, and the least time between two fetches. */
  jwksCacheMaxAgeSeconds: number;
  jwksCooldownSeconds: number;
  jwksTimeoutMs: number;
  /** PEM private key (EC P-256 or RSA) that signs GP-portal tokens; required in production to issue them. */
  tokenIssuerPrivateKeyFile?: string;
  /** `iss` of the tokens this API issues for the GP portal; must differ from JWT_ISSUER. */
  portalTokenIssuer: string;
  /** GraphiQL at /graphiql: development only (GRAPHIQL=false turns it off there too). */
  graphiql: boolean;
  /** Prometheus metrics at /metrics (METRICS=false turns them off). */
  metrics: boolean;
  /** Requests one subject may send per window (RATE_LIMIT_REQUESTS, default 600; 0 = no limit). */
  rateLimitRequests: number;
  /** The rate limit's window (RATE_LIMIT_WINDOW_SECONDS, default 60). */
  rateLimitWindowSeconds: number;
  /** Where the rate limiter counts (RATE_LIMIT_STORE): `memory` per process (default) or `postgres`, shared by replicas. */
  rateLimitStore: 'memory' | 'postgres';
  /** Origins a browser may call /graphql from (CORS_ORIGINS, comma-separated exact origins); empty = no CORS headers. */
  corsOrigins: string[];
  /** Longest a statement may run, lock waits included (DB_STATEMENT_TIMEOUT_MS, default 10000; 0 = the database's own setting). */
  dbStatementTimeoutMs: number;
  /** Longest a request waits for a pooled connection (DB_POOL_WAIT_TIMEOUT_MS, default 3000). */
  dbPoolWaitTimeoutMs: number;
  /** GraphQL requests one process handles at once; beyond it 503 with Retry-After (MAX_IN_FLIGHT, default 256). */
  maxInFlight: number;
  /** Slow clients: all headers within HTTP_HEADERS_TIMEOUT_MS (default 10000), the body within HTTP_BODY_TIMEOUT_MS (default 10000), the whole request within HTTP_REQUEST_TIMEOUT_MS (default 30000). */
  httpHeadersTimeoutMs: number;
  httpBodyTimeoutMs: number;
  httpRequestTimeoutMs: number;
  /** Ed25519 private key (PKCS#8 PEM) that signs access-log checkpoints (ACCESS_LOG_SIGNING_KEY_FILE); required in production. */
  accessLogSigningKeyFile?: string;
  /** The log's name in its checkpoints (ACCESS_LOG_ORIGIN), also the signing key's name. */
  accessLogOrigin: string;
  /** Where checkpoints are published, append-only (ACCESS_LOG_CHECKPOINT_DIR; default dataDir/access-log/<schema>). */
  accessLogCheckpointDir: string;
  /** At most this long between an event and the checkpoint that covers it (ACCESS_LOG_CHECKPOINT_SECONDS, default 60). */
  accessLogCheckpointSeconds: number;
  /** Who may run only trusted documents (TRUSTED_DOCUMENTS): `external` (default) the external viewers, `all` every client too, `off` nobody (refused in production). */
  trustedDocuments: 'external' | 'all' | 'off';
  /** The folder of client manifests `<client>.json` (TRUSTED_DOCUMENTS_DIR; default the shipped src/policy/trusted-documents). */
  trustedDocumentsDir: string;
}

/** Every problem of the configuration at once, each naming its variable and the offending value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `${problems.length} configuration problems:\n- ${problems.join('\n- ')}`);
  }
}

/** Shortest accepted RESEARCH_PSEUDONYM_KEY: a guessable key would make pseudonyms reversible by trying every patient. */
export const MIN_RESEARCH_KEY_LENGTH = 32;

/** A plain PostgreSQL schema name (it is put into SQL unquoted). */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Variables whose values are secrets: a problem with them never quotes the value. */
const SECRETS = new Set(['RESEARCH_PSEUDONYM_KEY']);

// Unset and empty are the same: `FOO=` in an env file means "not set".
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const text = () => optional(z.string());
const textOr = (fallback: string) => optional(z.string()).transform((v) => v ?? fallback);

function integer(min: number, max: number, fallback: number) {
  return optional(
    z.string().refine((v) => /^-?\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max, { error: `must be an integer from ${min} to ${max}` }),
  ).transform((v) => (v === undefined ? fallback : Number(v)));
}

function oneOf<const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) {
  return optional(z.enum(values, { error: `must be ${values.map((v) => `"${v}"`).join(' or ')}` })).transform((v) => v ?? fallback);
}

/** `true` or `false`; undefined when unset, so each setting keeps its own default. */
const flag = optional(z.enum(['true', 'false'], { error: 'must be "true" or "false"' })).transform((v) => (v === undefined ? undefined : v === 'true'));

const url = (protocols: string[], example: string) =>
  optional(
    z.string().refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      { error: `is not a valid URL (expected e.g. ${example})` },
    ),
  );

/** A PEM key file, checked by reading it as the key loaders will. */
const keyFile = (read: (file: string) => KeyFileResult) =>
  optional(z.string()).superRefine((file, ctx) => {
    if (file === undefined) return;
    const result = read(file);
    if ('problem' in result) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(file)} ${result.problem}`, params: { quotesValue: true } });
  });

/** CORS_ORIGINS: comma-separated exact origins (scheme, host, port), never a wildcard. */
const origins = optional(z.string())
  .transform((v) => (v ?? '').split(',').map((o) => o.trim()).filter(Boolean))
  .superRefine((list, ctx) => {
    for (const origin of list) {
      let exact = false;
      try {
        const parsed = new URL(origin);
        exact = (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.origin === origin && !origin.includes('*');
      } catch {
        // not a URL
      }
      if (!exact) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(origin)} is not an exact origin (scheme://host[:port], no path, no wildcard)`, params: { quotesValue: true } });
    }
  });

/** The environment, variable by variable; relations between variables are checked after it. */
const ENVIRONMENT = z.object({
  NODE_ENV: text(),
  PORT: integer(0, 65535, 4000),
  HOST: text(),
  DATABASE_URL: url(['postgres:', 'postgresql:'], 'postgres://user@host:5432/database'),
  DATABASE_SCHEMA: optional(z.string().regex(SCHEMA_NAME, { error: 'is not a plain schema name (lower-case letters, digits, _)' })),
  DATABASE_API_ROLE: optional(z.string().regex(SCHEMA_NAME, { error: 'is not a plain role name (lower-case letters, digits, _)' })).transform((v) => v ?? 'record_api'),
  GP_ACCESS_MODEL: oneOf(['opt-in', 'opt-out'], 'opt-in'),
  JWT_ISSUER: textOr('https://idp.lumc.example/patient-record'),
  JWT_AUDIENCE: textOr('patient-record-api'),
  JWKS_URL: url(['https:', 'http:'], 'https://idp.example/protocol/openid-connect/certs'),
  JWT_PUBLIC_KEY_FILE: keyFile(readPublicKeyFile),
  JWT_CLOCK_TOLERANCE_SECONDS: optional(
    z.string().refine((v) => v.trim() !== '' && Number(v) >= 0 && Number(v) <= 300, { error: 'must be between 0 and 300 (seconds)' }),
  ).transform((v) => (v === undefined ? 30 : Number(v))),
  DATA_DIR: text(),
  INTROSPECTION: flag,
  EMBEDDED_PG_PORT: integer(1, 65535, 54329),
  RESEARCH_MIN_GROUP_SIZE: integer(2, 1000, 5),
  RESEARCH_PSEUDONYM_KEY: optional(
    z.string().min(MIN_RESEARCH_KEY_LENGTH, { error: `must be at least ${MIN_RESEARCH_KEY_LENGTH} characters (e.g. 32 random bytes as hex)` }),
  ),
  CLAIM_MAPPING: text(),
  CLAIM_MAPPING_FILE: text(),
  JWKS_CACHE_MAX_AGE_SECONDS: integer(0, 86400, 600),
  JWKS_COOLDOWN_SECONDS: integer(0, 3600, 30),
  JWKS_TIMEOUT_MS: integer(100, 60000, 5000),
  TOKEN_ISSUER_PRIVATE_KEY_FILE: keyFile(readPrivateKeyFile),
  PORTAL_TOKEN_ISSUER: textOr('urn:patient-record-api:gp-portal-tokens'),
  GRAPHIQL: flag,
  METRICS: flag,
  RATE_LIMIT_REQUESTS: integer(0, 1_000_000, 600),
  RATE_LIMIT_WINDOW_SECONDS: integer(1, 3600, 60),
  RATE_LIMIT_STORE: oneOf(['memory', 'postgres'], 'memory'),
  CORS_ORIGINS: origins,
  DB_STATEMENT_TIMEOUT_MS: integer(0, 3_600_000, 10_000),
  DB_POOL_WAIT_TIMEOUT_MS: integer(100, 60_000, 3000),
  MAX_IN_FLIGHT: integer(1, 100_000, 256),
  HTTP_HEADERS_TIMEOUT_MS: integer(500, 120_000, 10_000),
  HTTP_BODY_TIMEOUT_MS: integer(500, 300_000, 10_000),
  HTTP_REQUEST_TIMEOUT_MS: integer(1000, 600_000, 30_000),
  ACCESS_LOG_SIGNING_KEY_FILE: optional(z.string().refine((f) => fs.existsSync(f), { error: 'does not exist' })),
  ACCESS_LOG_ORIGIN: optional(z.string().regex(/^[\x21-\x2a\x2c-\x7e]{1,200}$/, { error: 'must be one word of printable ASCII without "+"' })),
  ACCESS_LOG_CHECKPOINT_DIR: text(),
  ACCESS_LOG_CHECKPOINT_SECONDS: integer(1, 86400, 60),
  TRUSTED_DOCUMENTS: oneOf(['external', 'all', 'off'], 'external'),
  TRUSTED_DOCUMENTS_DIR: text(),
  // Read by log.ts itself (logging works before the configuration loads); checked here so a typo is reported.
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' })),
});

type Environment = z.infer<typeof ENVIRONMENT>;

/** Reads and validates the configuration from an environment (process.env by default); throws ConfigError with every problem. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ENVIRONMENT.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(env, issue));
  // Relations are checked on what parsed; a variable that did not parse has its own problem above.
  const e: Partial<Environment> = parsed.success ? parsed.data : partialParse(env);
  problems.push(...relationProblems(env, e));
  const claimMapping = claimMappingFrom(env, problems);
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const v = parsed.data;
  const production = v.NODE_ENV === 'production';
  return {
    production,
    port: v.PORT,
    host: v.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: v.DATABASE_URL,
    databaseSchema: v.DATABASE_SCHEMA,
    databaseApiRole: v.DATABASE_API_ROLE,
    gpAccessModel: v.GP_ACCESS_MODEL,
    jwtIssuer: v.JWT_ISSUER,
    jwtAudience: v.JWT_AUDIENCE,
    jwksUrl: v.JWKS_URL,
    jwtPublicKeyFile: v.JWT_PUBLIC_KEY_FILE,
    clockToleranceSeconds: v.JWT_CLOCK_TOLERANCE_SECONDS,
    dataDir: path.resolve(v.DATA_DIR ?? path.join(projectRoot(), '.data')),
    introspection: production ? v.INTROSPECTION === true : true,
    embeddedPort: v.EMBEDDED_PG_PORT,
    researchPseudonymKey: v.RESEARCH_PSEUDONYM_KEY,
    researchMinGroupSize: v.RESEARCH_MIN_GROUP_SIZE,
    claimMapping,
    jwksCacheMaxAgeSeconds: v.JWKS_CACHE_MAX_AGE_SECONDS,
    jwksCooldownSeconds: v.JWKS_COOLDOWN_SECONDS,
    jwksTimeoutMs: v.JWKS_TIMEOUT_MS,
    tokenIssuerPrivateKeyFile: v.TOKEN_ISSUER_PRIVATE_KEY_FILE,
    portalTokenIssuer: v.PORTAL_TOKEN_ISSUER,
    graphiql: !production && v.GRAPHIQL !== false,
    metrics: v.METRICS !== false,
    rateLimitRequests: v.RATE_LIMIT_REQUESTS,
    dbStatementTimeoutMs: v.DB_STATEMENT_TIMEOUT_MS,
    dbPoolWaitTimeoutMs: v.DB_POOL_WAIT_TIMEOUT_MS,
    maxInFlight: v.MAX_IN_FLIGHT,
    httpHeadersTimeoutMs: v.HTTP_HEADERS_TIMEOUT_MS,
    httpBodyTimeoutMs: v.HTTP_BODY_TIMEOUT_MS,
    httpRequestTimeoutMs: v.HTTP_REQUEST_TIMEOUT_MS,
    rateLimitWindowSeconds: v.RATE_LIMIT_WINDOW_SECONDS,
    rateLimitStore: v.RATE_LIMIT_STORE,
    corsOrigins: v.CORS_ORIGINS,
    accessLogSigningKeyFile: v.ACCESS_LOG_SIGNING_KEY_FILE,
    accessLogOrigin: v.ACCESS_LOG_ORIGIN ?? 'patient-record-api.example/access-log',
    accessLogCheckpointDir: path.resolve(v.ACCESS_LOG_CHECKPOINT_DIR ?? path.join(v.DATA_DIR ?? path.join(projectRoot(), '.data'), 'access-log', v.DATABASE_SCHEMA ?? 'public')),
    accessLogCheckpointSeconds: v.ACCESS_LOG_CHECKPOINT_SECONDS,
    trustedDocuments: v.TRUSTED_DOCUMENTS,
    trustedDocumentsDir: path.resolve(v.TRUSTED_DOCUMENTS_DIR ?? path.join(projectRoot(), 'src', 'policy', 'trusted-documents')),
  };
}

/** The variables that parsed on their own, when others did not (so relations can still be checked). */
function partialParse(env: NodeJS.ProcessEnv): Partial<Environment> {
  const out: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(ENVIRONMENT.shape)) {
    const result = (schema as z.ZodType).safeParse(env[name]);
    if (result.success) out[name] = result.data;
  }
  return out as Partial<Environment>;
}

/** Settings that are wrong only together, or only in production. */
function relationProblems(env: NodeJS.ProcessEnv, e: Partial<Environment>): string[] {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  if (e.PORTAL_TOKEN_ISSUER !== undefined && e.PORTAL_TOKEN_ISSUER === e.JWT_ISSUER) {
    problems.push(`PORTAL_TOKEN_ISSUER must differ from JWT_ISSUER (both "${e.JWT_ISSUER}"): tokens this API issues are told apart from the IdP's by their issuer`);
  }
  const request = e.HTTP_REQUEST_TIMEOUT_MS;
  if (request !== undefined && ((e.HTTP_HEADERS_TIMEOUT_MS ?? 0) > request || (e.HTTP_BODY_TIMEOUT_MS ?? 0) > request)) {
    problems.push(`HTTP_HEADERS_TIMEOUT_MS and HTTP_BODY_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS (${request})`);
  }
  if (!production) return problems;
  // Keys fetched in the clear could be swapped by anyone on the path.
  if (e.JWKS_URL && !e.JWKS_URL.startsWith('https://')) problems.push(`In production JWKS_URL must be an https:// URL, got "${e.JWKS_URL}"`);
  if (!env.JWKS_URL && !env.JWT_PUBLIC_KEY_FILE) problems.push('In production set JWKS_URL or JWT_PUBLIC_KEY_FILE; development keys are refused');
  if (!env.DATABASE_URL) problems.push('In production set DATABASE_URL; the embedded PostgreSQL is for development only');
  if (!env.RESEARCH_PSEUDONYM_KEY) problems.push('In production set RESEARCH_PSEUDONYM_KEY; the development research key is refused');
  if (e.TRUSTED_DOCUMENTS === 'off') problems.push('TRUSTED_DOCUMENTS=off is refused in production: external viewers run only their trusted documents');
  return problems;
}

/** "NAME problem, got "value"" — values are configuration, not patient data; secrets and passwords are never quoted. */
function describeIssue(env: NodeJS.ProcessEnv, issue: z.core.$ZodIssue): string {
  const name = String(issue.path[0] ?? 'configuration');
  const raw = env[name];
  const quotesValue = issue.code === 'custom' && (issue.params as { quotesValue?: boolean } | undefined)?.quotesValue;
  if (raw === undefined || quotesValue) return `${name} ${issue.message}`;
  return `${name} ${issue.message}, got ${shown(name, raw)}`;
}

function shown(name: string, raw: string): string {
  if (SECRETS.has(name)) return `a value of ${raw.length} characters`;
  // A URL's password stays out of the message (also in a value that does not parse as a URL).
  return JSON.stringify(raw.replace(/(\/\/[^:/@\s]*:)[^@/\s]*@/, '$1…@'));
}

/** CLAIM_MAPPING (JSON text) or CLAIM_MAPPING_FILE (a JSON file), validated; not both. */
function claimMappingFrom(env: NodeJS.ProcessEnv, problems: string[]): ClaimMapping | undefined {
  if (env.CLAIM_MAPPING && env.CLAIM_MAPPING_FILE) {
    problems.push('Set CLAIM_MAPPING or CLAIM_MAPPING_FILE, not both');
    return undefined;
  }
  let text = env.CLAIM_MAPPING || undefined;
  if (env.CLAIM_MAPPING_FILE) {
    try {
      text = fs.readFileSync(env.CLAIM_MAPPING_FILE, 'utf8');
    } catch {
      problems.push(`CLAIM_MAPPING_FILE ${JSON.stringify(env.CLAIM_MAPPING_FILE)} cannot be read`);
      return undefined;
    }
  }
  if (text === undefined) return undefined;
  try {
    return parseClaimMapping(text);
  } catch (error) {
    problems.push(env.CLAIM_MAPPING_FILE ? `CLAIM_MAPPING_FILE ${JSON.stringify(env.CLAIM_MAPPING_FILE)}: ${(error as Error).message}` : (error as Error).message);
    return undefined;
  }
}
