/**
 * Start-up refuses what requests could not work with: every key and required setting is checked
 * before the server listens, and the compiled server (`node dist/src/main.js`) exits non-zero with
 * one log line naming every problem — unscrubbed, since configuration is not patient data. Once it
 * listens, /readyz checks what requests need: the database, the migrations and the token keys.
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { exportJWK } from 'jose';
import { startTestApi, TestApi } from '../support/harness';
import { ApiProcess, buildOnce, checkpointKeyFile, sameDatabaseEnv, startApiProcess } from '../support/processes';

let api: TestApi;
let dir: string;
let publicPem: string;
let checkpointKey: string;
const KEY = 'r'.repeat(64);

beforeAll(async () => {
  api = await startTestApi();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'startup-test-'));
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  publicPem = path.join(dir, 'idp-public.pem');
  fs.writeFileSync(publicPem, ec.publicKey.export({ type: 'spki', format: 'pem' }) as string);
  fs.writeFileSync(path.join(dir, 'idp-public.jwk.json'), JSON.stringify(ec.publicKey.export({ format: 'jwk' })));
  checkpointKey = checkpointKeyFile(dir);
  await buildOnce();
}, 120_000);
afterAll(async () => {
  await api?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts the compiled server, expects it to refuse, and returns the one error line it logged. */
async function refusal(env: Record<string, string>): Promise<{ msg: string; problems: string[]; output: string }> {
  let output = '';
  await startApiProcess(env).then(
    async (proc) => {
      await proc.stop();
      throw new Error(`the server started:\n${proc.output()}`);
    },
    (error: Error) => (output = error.message),
  );
  expect(output).toMatch(/^API process exited with 1:/);
  expect(output).not.toContain('listening');
  // Nothing of it went through the scrubber that hides quoted values in driver errors.
  expect(output).not.toContain('"…"');
  const lines = output.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const errors = lines.filter((l) => l.level === 'error');
  expect(errors).toHaveLength(1);
  return { msg: errors[0].msg, problems: errors[0].problems, output };
}

const production = (env: Record<string, string> = {}) => ({
  ...sameDatabaseEnv(api.config),
  NODE_ENV: 'production',
  JWT_PUBLIC_KEY_FILE: publicPem,
  RESEARCH_PSEUDONYM_KEY: KEY,
  ACCESS_LOG_SIGNING_KEY_FILE: checkpointKey,
  ...env,
});

describe('production refuses to start', () => {
  test('JWT_PUBLIC_KEY_FILE that does not exist', async () => {
    const { msg, problems } = await refusal(production({ JWT_PUBLIC_KEY_FILE: '/nonexistent.pem' }));
    expect(problems).toEqual(['JWT_PUBLIC_KEY_FILE "/nonexistent.pem" does not exist']);
    expect(msg).toBe('the API does not start: JWT_PUBLIC_KEY_FILE "/nonexistent.pem" does not exist');
  });

  test('JWT_PUBLIC_KEY_FILE holding a JWK instead of PEM', async () => {
    const file = path.join(dir, 'idp-public.jwk.json');
    const { problems } = await refusal(production({ JWT_PUBLIC_KEY_FILE: file }));
    expect(problems).toEqual([`JWT_PUBLIC_KEY_FILE "${file}" is a JSON Web Key (JWK), not a PEM file: convert it to PEM (SPKI), or serve the key set from JWKS_URL`]);
  });

  test('without ACCESS_LOG_SIGNING_KEY_FILE, or with a key that is not Ed25519', async () => {
    const missing = await refusal(production({ ACCESS_LOG_SIGNING_KEY_FILE: '' }));
    expect(missing.problems).toEqual(['access log checkpoint key: In production set ACCESS_LOG_SIGNING_KEY_FILE; the development checkpoint key is refused']);
    const rsa = path.join(dir, 'rsa.pem');
    fs.writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const wrong = await refusal(production({ ACCESS_LOG_SIGNING_KEY_FILE: rsa }));
    expect(wrong.problems).toEqual([`access log checkpoint key: ${rsa} is not an Ed25519 private key`]);
  });

  test('TOKEN_ISSUER_PRIVATE_KEY_FILE holding a public key', async () => {
    const { problems } = await refusal(production({ TOKEN_ISSUER_PRIVATE_KEY_FILE: publicPem }));
    expect(problems).toEqual([`TOKEN_ISSUER_PRIVATE_KEY_FILE "${publicPem}" is not a PEM private key (no "-----BEGIN PRIVATE KEY-----" block)`]);
  });

  test('every missing and wrong setting in one start', async () => {
    const { problems } = await refusal({ NODE_ENV: 'production', DATABASE_URL: '', DATABASE_SCHEMA: '', GP_ACCESS_MODEL: 'opt-maybe', RATE_LIMIT_STORE: 'redis' });
    expect(problems).toEqual([
      'GP_ACCESS_MODEL must be "opt-in" or "opt-out", got "opt-maybe"',
      'RATE_LIMIT_STORE must be "memory" or "postgres", got "redis"',
      'In production set JWKS_URL or JWT_PUBLIC_KEY_FILE; development keys are refused',
      'In production set DATABASE_URL; the embedded PostgreSQL is for development only',
      'In production set RESEARCH_PSEUDONYM_KEY; the development research key is refused',
    ]);
  });

  test('DATABASE_URL that is not a URL says so (not "getaddrinfo ENOTFOUND")', async () => {
    const { problems, output } = await refusal(production({ DATABASE_URL: 'not-a-url' }));
    expect(problems).toEqual(['DATABASE_URL is not a valid URL (expected e.g. postgres://user@host:5432/database), got "not-a-url"']);
    expect(output).not.toMatch(/ENOTFOUND|getaddrinfo/);
  });

  test('a database that does not exist is named, the password is not', async () => {
    // The server's real password where it has one (the embedded PostgreSQL checks it), else one that trust auth ignores.
    const url = new URL(api.config.databaseUrl!);
    if (!url.password) url.password = 'pw-not-to-be-logged';
    const password = decodeURIComponent(url.password);
    url.pathname = '/no_such_database';
    const { problems, output } = await refusal(production({ DATABASE_URL: url.toString() }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^The database at DATABASE_URL postgres:\/\/.*:…@.*\/no_such_database cannot be used: database "no_such_database" does not exist \(3D000\)$/);
    expect(output).not.toContain(password);
  });
});

test('development refuses a data directory where its keys cannot be made', async () => {
  // A data directory below a regular file: nothing can be created there.
  const dataDir = path.join(publicPem, 'data');
  const { problems } = await refusal({ ...sameDatabaseEnv(api.config), DATA_DIR: dataDir });
  expect(problems.length).toBeGreaterThanOrEqual(1);
  expect(problems[0]).toMatch(/^token verification key: ENOTDIR/);
  expect(problems[0]).toContain(dataDir);
});

describe('/readyz checks the token keys', () => {
  test('an identity provider whose key set cannot be fetched: the server starts, /readyz 503 says why', async () => {
    let proc: ApiProcess | undefined;
    try {
      proc = await startApiProcess(production({ JWT_PUBLIC_KEY_FILE: '', JWKS_URL: 'https://127.0.0.1:1/jwks', JWKS_TIMEOUT_MS: '1000' }));
      expect(proc.output()).toMatch(/key set cannot be fetched yet/);
      const res = await fetch(`${proc.origin}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'signing keys unavailable' });
    } finally {
      await proc?.stop();
    }
  });

  test('in process: 503 while the key set fails, 200 once it is served', async () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' }] });
    let serving = false;
    const idp = http.createServer((_req, res) => {
      if (!serving) {
        res.writeHead(500).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    try {
      const other = await api.startAnother({ JWKS_URL: `http://127.0.0.1:${(idp.address() as AddressInfo).port}/jwks` });
      const readyz = () => fetch(new URL('/readyz', other.url)).then(async (r) => ({ status: r.status, body: await r.json() }));
      expect(await readyz()).toEqual({ status: 503, body: { status: 'signing keys unavailable' } });
      serving = true;
      expect(await readyz()).toEqual({ status: 200, body: { status: 'ready' } });
    } finally {
      idp.closeAllConnections();
      await new Promise((resolve) => idp.close(resolve));
    }
  });
});
