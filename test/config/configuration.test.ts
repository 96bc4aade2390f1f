/**
 * One schema-validated configuration (src/config.ts): every problem is reported at once, each
 * naming its variable and the offending value; secrets are never quoted; defaults are kept.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PUBLIC_PEM = file('public.pem', ec.publicKey.export({ type: 'spki', format: 'pem' }) as string);
const PRIVATE_PEM = file('private.pem', ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const JWK = file('public.jwk.json', JSON.stringify(ec.publicKey.export({ format: 'jwk' })));
const SECP384 = file('p384.pem', generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }) as string);
const SMALL_RSA = file('rsa1024.pem', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
const KEY = 'k'.repeat(40);

/** The problems loadConfig reports for this environment (it must throw). */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('loadConfig accepted the environment');
}

test('the defaults are kept', () => {
  const config = loadConfig({ DATA_DIR: dir });
  expect(config).toMatchObject({
    production: false, port: 4000, host: '127.0.0.1', databaseUrl: undefined, gpAccessModel: 'opt-in',
    jwtIssuer: 'https://idp.lumc.example/patient-record', jwtAudience: 'patient-record-api', clockToleranceSeconds: 30,
    introspection: true, embeddedPort: 54329, jwksCacheMaxAgeSeconds: 600, jwksCooldownSeconds: 30, jwksTimeoutMs: 5000,
    portalTokenIssuer: 'urn:patient-record-api:gp-portal-tokens', graphiql: true, metrics: true,
    rateLimitRequests: 600, rateLimitWindowSeconds: 60, rateLimitStore: 'memory', corsOrigins: [],
  });
  expect(loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://api@db/records', JWT_PUBLIC_KEY_FILE: PUBLIC_PEM, RESEARCH_PSEUDONYM_KEY: KEY }))
    .toMatchObject({ production: true, host: '0.0.0.0', introspection: false, graphiql: false });
  // An empty value means unset, as in an env file.
  expect(loadConfig({ DATA_DIR: dir, PORT: '', GP_ACCESS_MODEL: '' })).toMatchObject({ port: 4000, gpAccessModel: 'opt-in' });
});

test('every problem at once, each naming the variable and its value', () => {
  const found = problems({
    NODE_ENV: 'production',
    DATABASE_URL: 'not-a-url',
    GP_ACCESS_MODEL: 'opt-maybe',
    PORT: '80a',
    RATE_LIMIT_STORE: 'redis',
    JWT_PUBLIC_KEY_FILE: '/nonexistent.pem',
    METRICS: 'yes',
    LOG_LEVEL: 'verbose',
  });
  expect(found).toEqual(expect.arrayContaining([
    'DATABASE_URL is not a valid URL (expected e.g. postgres://user@host:5432/database), got "not-a-url"',
    'GP_ACCESS_MODEL must be "opt-in" or "opt-out", got "opt-maybe"',
    'PORT must be an integer from 0 to 65535, got "80a"',
    'RATE_LIMIT_STORE must be "memory" or "postgres", got "redis"',
    'JWT_PUBLIC_KEY_FILE "/nonexistent.pem" does not exist',
    'METRICS must be "true" or "false", got "yes"',
    expect.stringMatching(/^LOG_LEVEL must be one of .*, got "verbose"$/),
    expect.stringMatching(/^In production set RESEARCH_PSEUDONYM_KEY/),
  ]));
  expect(found).toHaveLength(8);
  // The message carries them all, too (CLIs print it as it is).
  let message = '';
  try {
    loadConfig({ GP_ACCESS_MODEL: 'x', PORT: 'y' });
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toMatch(/2 configuration problems[\s\S]*PORT[\s\S]*GP_ACCESS_MODEL/);
});

test('production names every missing setting in one go', () => {
  expect(problems({ NODE_ENV: 'production' })).toEqual([
    'In production set JWKS_URL or JWT_PUBLIC_KEY_FILE; development keys are refused',
    'In production set DATABASE_URL; the embedded PostgreSQL is for development only',
    'In production set RESEARCH_PSEUDONYM_KEY; the development research key is refused',
  ]);
});

test('secrets are never quoted: the research key by its length, a URL password masked', () => {
  const found = problems({ RESEARCH_PSEUDONYM_KEY: 'sup3r-s3cret', DATABASE_URL: 'mysql://api:hunter2@db/records' }).join('\n');
  expect(found).toContain('RESEARCH_PSEUDONYM_KEY must be at least 32 characters');
  expect(found).toContain('a value of 12 characters');
  expect(found).toContain('"mysql://api:…@db/records"');
  expect(found).not.toMatch(/sup3r|hunter2/);
});

describe('key files are read at start-up, as the key loaders will read them', () => {
  test.each([
    ['a missing file', '/nonexistent.pem', /"\/nonexistent\.pem" does not exist/],
    ['a JWK instead of PEM', JWK, /is a JSON Web Key \(JWK\), not a PEM file: convert it to PEM \(SPKI\), or serve the key set from JWKS_URL/],
    ['a private key', PRIVATE_PEM, /holds a private key/],
    ['an unsupported curve', SECP384, /unsupported ec secp384r1 key: use EC P-256 or RSA/],
    ['a directory', dir, /is a directory/],
    ['not a key at all', file('garbage.pem', 'hello'), /is not a PEM public key/],
  ])('JWT_PUBLIC_KEY_FILE: %s', (_name, value, expected) => {
    const [problem] = problems({ JWT_PUBLIC_KEY_FILE: value, DATA_DIR: dir });
    expect(problem).toMatch(/^JWT_PUBLIC_KEY_FILE /);
    expect(problem).toMatch(expected);
  });

  test.each([
    ['a missing file', '/nonexistent.pem', /does not exist/],
    ['a public key', PUBLIC_PEM, /is not a PEM private key/],
    ['a JWK', JWK, /is a JSON Web Key \(JWK\), not a PEM file/],
    ['RSA below 2048 bits', SMALL_RSA, /unsupported rsa 1024-bit key: use EC P-256 or RSA \(≥ 2048 bit\)/],
  ])('TOKEN_ISSUER_PRIVATE_KEY_FILE: %s', (_name, value, expected) => {
    const [problem] = problems({ TOKEN_ISSUER_PRIVATE_KEY_FILE: value, DATA_DIR: dir });
    expect(problem).toMatch(/^TOKEN_ISSUER_PRIVATE_KEY_FILE /);
    expect(problem).toMatch(expected);
  });

  test('good PEM files are accepted', () => {
    expect(loadConfig({ JWT_PUBLIC_KEY_FILE: PUBLIC_PEM, TOKEN_ISSUER_PRIVATE_KEY_FILE: PRIVATE_PEM, DATA_DIR: dir })).toMatchObject({
      jwtPublicKeyFile: PUBLIC_PEM,
      tokenIssuerPrivateKeyFile: PRIVATE_PEM,
    });
  });
});

describe('CORS_ORIGINS', () => {
  test('comma-separated exact origins', () => {
    expect(loadConfig({ DATA_DIR: dir, CORS_ORIGINS: 'https://portal.example, http://localhost:5173' }).corsOrigins).toEqual([
      'https://portal.example',
      'http://localhost:5173',
    ]);
  });

  test.each(['*', 'https://portal.example/', 'https://portal.example/app', 'portal.example', 'ftp://portal.example', 'https://*.example'])('%p is refused', (origin) => {
    expect(problems({ DATA_DIR: dir, CORS_ORIGINS: `https://ok.example,${origin}` })).toEqual([
      `CORS_ORIGINS ${JSON.stringify(origin)} is not an exact origin (scheme://host[:port], no path, no wildcard)`,
    ]);
  });
});
