/** Every environment variable the API reads, parsed and validated in one place. */
import fs from 'node:fs';
import path from 'node:path';
import { ClaimMapping, parseClaimMapping } from './auth/claim-mapping';

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
  /** Ed25519 private key (PKCS#8 PEM) that signs access-log checkpoints (ACCESS_LOG_SIGNING_KEY_FILE); required in production. */
  accessLogSigningKeyFile?: string;
  /** The log's name in its checkpoints (ACCESS_LOG_ORIGIN), also the signing key's name. */
  accessLogOrigin: string;
  /** Where checkpoints are published, append-only (ACCESS_LOG_CHECKPOINT_DIR; default dataDir/access-log/<schema>). */
  accessLogCheckpointDir: string;
  /** At most this long between an event and the checkpoint that covers it (ACCESS_LOG_CHECKPOINT_SECONDS, default 60). */
  accessLogCheckpointSeconds: number;
}

export class ConfigError extends Error {}

/** Shortest accepted RESEARCH_PSEUDONYM_KEY: a guessable key would make pseudonyms reversible by trying every patient. */
export const MIN_RESEARCH_KEY_LENGTH = 32;

/** Reads and validates the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const gpAccessModel = (env.GP_ACCESS_MODEL ?? 'opt-in') as GpAccessModel;
  if (gpAccessModel !== 'opt-in' && gpAccessModel !== 'opt-out') {
    throw new ConfigError(`GP_ACCESS_MODEL must be "opt-in" or "opt-out", got "${env.GP_ACCESS_MODEL}"`);
  }
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT is not a port: ${env.PORT}`);
  const config: Config = {
    production,
    port,
    host: env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    gpAccessModel,
    jwtIssuer: env.JWT_ISSUER ?? 'https://idp.lumc.example/patient-record',
    jwtAudience: env.JWT_AUDIENCE ?? 'patient-record-api',
    jwksUrl: env.JWKS_URL || undefined,
    jwtPublicKeyFile: env.JWT_PUBLIC_KEY_FILE || undefined,
    clockToleranceSeconds: Number(env.JWT_CLOCK_TOLERANCE_SECONDS ?? 30),
    dataDir: path.resolve(env.DATA_DIR ?? path.join(projectRoot(), '.data')),
    introspection: production ? env.INTROSPECTION === 'true' : true,
    embeddedPort: Number(env.EMBEDDED_PG_PORT ?? 54329),
    researchPseudonymKey: env.RESEARCH_PSEUDONYM_KEY || undefined,
    researchMinGroupSize: integerSetting(env, 'RESEARCH_MIN_GROUP_SIZE', 5, 2, 1000),
    claimMapping: claimMappingFrom(env),
    jwksCacheMaxAgeSeconds: integerSetting(env, 'JWKS_CACHE_MAX_AGE_SECONDS', 600, 0, 86400),
    jwksCooldownSeconds: integerSetting(env, 'JWKS_COOLDOWN_SECONDS', 30, 0, 3600),
    jwksTimeoutMs: integerSetting(env, 'JWKS_TIMEOUT_MS', 5000, 100, 60000),
    tokenIssuerPrivateKeyFile: env.TOKEN_ISSUER_PRIVATE_KEY_FILE || undefined,
    portalTokenIssuer: env.PORTAL_TOKEN_ISSUER ?? 'urn:patient-record-api:gp-portal-tokens',
    graphiql: !production && env.GRAPHIQL !== 'false',
    metrics: env.METRICS !== 'false',
    rateLimitRequests: integerSetting(env, 'RATE_LIMIT_REQUESTS', 600, 0, 1_000_000),
    rateLimitWindowSeconds: integerSetting(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
    rateLimitStore: (env.RATE_LIMIT_STORE || 'memory') as Config['rateLimitStore'],
    ...accessLogSettings(env),
  };
  if (config.rateLimitStore !== 'memory' && config.rateLimitStore !== 'postgres') {
    throw new ConfigError(`RATE_LIMIT_STORE must be "memory" or "postgres", got "${env.RATE_LIMIT_STORE}"`);
  }
  if (config.portalTokenIssuer === config.jwtIssuer) {
    throw new ConfigError('PORTAL_TOKEN_ISSUER must differ from JWT_ISSUER: tokens this API issues are told apart from the IdP\'s by their issuer');
  }
  if (production && config.jwksUrl && !config.jwksUrl.startsWith('https://')) {
    // Keys fetched in the clear could be swapped by anyone on the path.
    throw new ConfigError('In production JWKS_URL must be an https:// URL');
  }
  if (config.tokenIssuerPrivateKeyFile && !fs.existsSync(config.tokenIssuerPrivateKeyFile)) {
    throw new ConfigError(`TOKEN_ISSUER_PRIVATE_KEY_FILE ${config.tokenIssuerPrivateKeyFile} does not exist`);
  }
  if (!(config.clockToleranceSeconds >= 0 && config.clockToleranceSeconds <= 300)) {
    throw new ConfigError('JWT_CLOCK_TOLERANCE_SECONDS must be between 0 and 300');
  }
  if (production && !config.jwksUrl && !config.jwtPublicKeyFile) {
    throw new ConfigError('In production set JWKS_URL or JWT_PUBLIC_KEY_FILE; development keys are refused');
  }
  if (production && !config.databaseUrl) {
    throw new ConfigError('In production set DATABASE_URL; the embedded PostgreSQL is for development only');
  }
  if (production && !config.researchPseudonymKey) {
    throw new ConfigError('In production set RESEARCH_PSEUDONYM_KEY; the development research key is refused');
  }
  if (config.researchPseudonymKey !== undefined && config.researchPseudonymKey.length < MIN_RESEARCH_KEY_LENGTH) {
    throw new ConfigError(`RESEARCH_PSEUDONYM_KEY must be at least ${MIN_RESEARCH_KEY_LENGTH} characters (e.g. 32 random bytes as hex)`);
  }
  return config;
}

/** The access log's checkpoint settings (docs/access-log.md). */
function accessLogSettings(env: NodeJS.ProcessEnv): Pick<Config, 'accessLogSigningKeyFile' | 'accessLogOrigin' | 'accessLogCheckpointDir' | 'accessLogCheckpointSeconds'> {
  const dataDir = path.resolve(env.DATA_DIR ?? path.join(projectRoot(), '.data'));
  const origin = env.ACCESS_LOG_ORIGIN || 'patient-record-api.example/access-log';
  if (!/^[\x21-\x7e]{1,200}$/.test(origin) || origin.includes('+')) throw new ConfigError('ACCESS_LOG_ORIGIN must be one word of printable ASCII without "+"');
  const keyFile = env.ACCESS_LOG_SIGNING_KEY_FILE || undefined;
  if (keyFile && !fs.existsSync(keyFile)) throw new ConfigError(`ACCESS_LOG_SIGNING_KEY_FILE ${keyFile} does not exist`);
  return {
    accessLogSigningKeyFile: keyFile,
    accessLogOrigin: origin,
    accessLogCheckpointDir: path.resolve(env.ACCESS_LOG_CHECKPOINT_DIR || path.join(dataDir, 'access-log', env.DATABASE_SCHEMA || 'public')),
    accessLogCheckpointSeconds: integerSetting(env, 'ACCESS_LOG_CHECKPOINT_SECONDS', 60, 1, 86400),
  };
}

/** An integer setting within bounds, or its default. */
function integerSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return value;
}

/** CLAIM_MAPPING (JSON text) or CLAIM_MAPPING_FILE (a JSON file), validated; not both. */
function claimMappingFrom(env: NodeJS.ProcessEnv): ClaimMapping | undefined {
  if (env.CLAIM_MAPPING && env.CLAIM_MAPPING_FILE) throw new ConfigError('Set CLAIM_MAPPING or CLAIM_MAPPING_FILE, not both');
  let text = env.CLAIM_MAPPING || undefined;
  if (env.CLAIM_MAPPING_FILE) {
    try {
      text = fs.readFileSync(env.CLAIM_MAPPING_FILE, 'utf8');
    } catch {
      throw new ConfigError(`CLAIM_MAPPING_FILE ${env.CLAIM_MAPPING_FILE} cannot be read`);
    }
  }
  if (text === undefined) return undefined;
  try {
    return parseClaimMapping(text);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
