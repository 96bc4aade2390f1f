/** Every environment variable the API reads, parsed and validated in one place. */
import fs from 'node:fs';
import path from 'node:path';

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
  };
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
