/** The token layer on its own: no database, no server. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { base64url, exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { ConfigError, loadConfig, projectRoot, type Config } from '../../src/config';
import { AuthenticationError } from '../../src/errors';
import { devKeyPaths, loadDevSigningKey } from '../../src/auth/keys';
import { mintDevToken, parseTtl, type MintOptions } from '../../src/auth/mint';
import { createTokenVerifier } from '../../src/auth/tokens';
import { DEMO_PRINCIPALS } from '../../src/db/demo/directory';
import { columnOf, DataCategory, purposesOf, Role } from '../../src/policy/vocabulary';

const tmpDirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tokens-test-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const config: Config = loadConfig({ DATA_DIR: tempDir() } as NodeJS.ProcessEnv);
const verifier = createTokenVerifier(config);
const now = () => Math.floor(Date.now() / 1000);

const mint = (options: MintOptions) => mintDevToken(config, options);
const verify = (token: string) => verifier.verify(`Bearer ${token}`);

async function expectRefused(token: string, reason?: RegExp): Promise<void> {
  const attempt = verify(token);
  await expect(attempt).rejects.toBeInstanceOf(AuthenticationError);
  if (reason) await expect(attempt).rejects.toThrow(reason);
}

/** The payload of a token, to re-sign or tamper with. */
function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[1])));
}

describe('good tokens', () => {
  it.each(DEMO_PRINCIPALS.map((p) => [p.subject, p.role] as const))('%s verifies as %s', async (subject, role) => {
    const patient = role === Role.DUTY_DOCTOR ? 'P-0001' : undefined;
    const principal = await verify(await mint({ subject, patient }));
    const purpose = purposesOf(role)[0];
    expect(principal.subject).toBe(subject);
    expect(principal.role).toBe(role);
    expect(principal.purpose).toBe(purpose);
    expect(principal.column).toBe(columnOf(role, purpose));
    expect(principal.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(principal.issuedAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(principal.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    if (role === Role.PATIENT) expect(principal.boundPatientNumber).toBe(subject);
  });

  it('carries organisation, patient binding and scope', async () => {
    const principal = await verify(await mint({ subject: 'duty-hap-01', patient: '2', scope: 'IDENTITY LAB', ttl: '2h' }));
    expect(principal.column).toBe('DUTY');
    expect(principal.organisation).toBe('HAP-LEIDEN');
    expect(principal.boundPatientNumber).toBe('P-0002');
    expect(principal.scope).toEqual(new Set([DataCategory.IDENTITY, DataCategory.LAB]));
    expect(principal.expiresAt.getTime() - principal.issuedAt.getTime()).toBe(2 * 3600 * 1000);
  });

  it('uses the chosen purpose', async () => {
    const principal = await verify(await mint({ subject: 'clin-visser', purpose: 'EMERGENCY' }));
    expect(principal.column).toBe('CLIN_EMERGENCY');
  });

  it('reuses the development key across loads and keeps the private key private', async () => {
    const first = await loadDevSigningKey(config);
    const second = await loadDevSigningKey({ ...config });
    expect(second.kid).toBe(first.kid);
    const { privateFile, publicFile } = devKeyPaths(config);
    expect(fs.statSync(privateFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(publicFile, 'utf8')).d).toBeUndefined();
    expect(privateFile).toMatch(/DEVELOPMENT/);
  });

  it('generates one key when several processes start at once', async () => {
    const dataDir = tempDir();
    const script =
      "require('./src/auth/keys').loadDevSigningKey(require('./src/config').loadConfig())" +
      '.then((k) => process.stdout.write(k.kid))';
    const run = () =>
      new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ['-r', 'ts-node/register/transpile-only', '-e', script],
          { cwd: projectRoot(), env: { ...process.env, DATA_DIR: dataDir } },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        );
      });
    const kids = await Promise.all(Array.from({ length: 6 }, run));
    const { privateFile } = devKeyPaths(loadConfig({ DATA_DIR: dataDir } as NodeJS.ProcessEnv));
    expect(new Set(kids)).toEqual(new Set([JSON.parse(fs.readFileSync(privateFile, 'utf8')).kid]));
    expect(fs.readdirSync(path.dirname(privateFile)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('refused tokens', () => {
  it('refuses a missing or malformed header', async () => {
    await expect(verifier.verify(undefined)).rejects.toThrow(/missing/);
    await expect(verifier.verify('Basic abc')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(verifier.verify('Bearer not-a-jwt')).rejects.toBeInstanceOf(AuthenticationError);
    await expect(verifier.verify('Bearer a.b.c')).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('refuses alg none', async () => {
    const good = await mint({ subject: 'gp-jansen' });
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    await expectRefused(`${header}.${good.split('.')[1]}.`, /algorithm not allowed/);
  });

  it('refuses HS256', async () => {
    const claims = claimsOf(await mint({ subject: 'gp-jansen' }));
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('a'.repeat(32)));
    await expectRefused(token, /algorithm not allowed/);
  });

  it('refuses an expired token', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', ttl: '-5m' }), /expired/);
  });

  it('refuses a token not yet valid beyond the tolerance', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { nbf: now() + 120 } }), /not yet valid/);
  });

  it('accepts nbf within the tolerance', async () => {
    expect(config.clockToleranceSeconds).toBe(30);
    const principal = await verify(await mint({ subject: 'gp-jansen', claims: { nbf: now() + 10 } }));
    expect(principal.role).toBe(Role.GP);
  });

  it('refuses iat in the future beyond the tolerance', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { iat: now() + 300 } }), /future/);
  });

  it('refuses a wrong issuer', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { iss: 'https://evil.example' } }), /"iss"/);
  });

  it('refuses a wrong audience', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { aud: 'another-api' } }), /"aud"/);
  });

  it('refuses a tampered payload', async () => {
    const [header, , signature] = (await mint({ subject: 'gp-jansen' })).split('.');
    const claims = { ...claimsOf(await mint({ subject: 'gp-jansen' })), role: 'TREATING_CLINICIAN', purpose: 'TREATMENT' };
    await expectRefused(`${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`, /signature invalid/);
  });

  it('refuses a signature by a different ES256 key', async () => {
    const claims = claimsOf(await mint({ subject: 'gp-jansen' }));
    const { privateKey } = await generateKeyPair('ES256');
    const signing = await loadDevSigningKey(config);
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: signing.kid }).sign(privateKey);
    await expectRefused(token, /signature invalid/);
  });

  it('refuses a role/purpose pair outside the matrix', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { purpose: 'TREATMENT' } }), /purpose/);
  });

  it('refuses unknown roles and purposes', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { role: 'SUPERUSER' } }), /unknown role/);
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { purpose: 'CURIOSITY' } }), /unknown purpose/);
  });

  it.each(['sub', 'iat', 'jti', 'role', 'purpose', 'exp'])('refuses a token without %s', async (claim) => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { [claim]: undefined } }), /missing claim/);
  });

  it('refuses an unknown scope category and an empty scope', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { scope: 'LAB GOSSIP' } }), /scope/);
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { scope: '' } }), /scope/);
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { scope: ['LAB'] } }), /scope/);
  });

  it('refuses a malformed patient claim', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { patient: '0001' } }), /patient/);
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { patient: 1 } }), /patient/);
  });

  it('refuses a non-string org', async () => {
    await expectRefused(await mint({ subject: 'gp-jansen', claims: { org: 42 } }), /org/);
  });

  it('refuses a duty doctor token over 12 hours', async () => {
    const iat = now();
    const token = await mint({ subject: 'duty-hap-01', patient: 'P-0001', claims: { iat, exp: iat + 12 * 3600 + 1 } });
    await expectRefused(token, /12 hours/);
    const exactly12 = await mint({ subject: 'duty-hap-01', patient: 'P-0001', ttl: '12h' });
    expect((await verify(exactly12)).role).toBe(Role.DUTY_DOCTOR);
  });

  it('refuses a duty doctor token without a patient', async () => {
    await expectRefused(await mint({ subject: 'duty-hap-01', patient: 'P-0001', claims: { patient: undefined } }), /bound/);
  });

  it('refuses a patient token bound to another patient', async () => {
    await expectRefused(await mint({ subject: 'P-0001', claims: { patient: 'P-0002' } }), /another patient/);
  });
});

describe('minting', () => {
  it('refuses unknown subjects, listing the known ones', async () => {
    await expect(mint({ subject: 'nobody' })).rejects.toThrow(/clin-dekker/);
  });
  it('refuses a purpose the role may not act for', async () => {
    await expect(mint({ subject: 'gp-jansen', purpose: 'TREATMENT' })).rejects.toThrow(/CARE_EXCHANGE/);
  });
  it('refuses duty tokens without a patient or over 12 hours', async () => {
    await expect(mint({ subject: 'duty-hap-01' })).rejects.toThrow(/--patient/);
    await expect(mint({ subject: 'duty-hap-01', patient: 'P-0001', ttl: '13h' })).rejects.toThrow(/12 hours/);
  });
  it('refuses unknown scope categories', async () => {
    await expect(mint({ subject: 'gp-jansen', scope: 'LAB GOSSIP' })).rejects.toThrow(/GOSSIP/);
  });
  it('sets the header and times of an expired token', async () => {
    const token = await mint({ subject: 'gp-jansen', ttl: '-5m' });
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(token.split('.')[0])));
    expect(header).toMatchObject({ alg: 'ES256', kid: (await loadDevSigningKey(config)).kid });
    const claims = claimsOf(token) as { iat: number; exp: number };
    expect(claims.exp).toBeLessThan(now());
    expect(claims.iat).toBeLessThan(claims.exp);
  });
});

describe('parseTtl', () => {
  it.each([
    ['15m', 900],
    ['2h', 7200],
    ['30s', 30],
    ['1d', 86400],
    ['-5m', -300],
    ['45', 45],
  ])('%s → %d s', (text, seconds) => expect(parseTtl(text)).toBe(seconds));
  it.each(['', 'm', '5w', '1.5h', '--5m', 'soon'])('refuses %j', (text) => expect(() => parseTtl(text)).toThrow(/ttl/));
});

describe('production', () => {
  it('refuses to start without production keys', () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x', DATA_DIR: tempDir() } as NodeJS.ProcessEnv;
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });

  it('refuses development signing keys', async () => {
    await expect(loadDevSigningKey({ ...config, production: true })).rejects.toThrow(/production/);
    await expect(mintDevToken({ ...config, production: true }, { subject: 'gp-jansen' })).rejects.toThrow(/production/);
  });

  it('refuses development verification keys even with a development key on disk', async () => {
    const prodVerifier = createTokenVerifier({ ...config, production: true });
    await expect(prodVerifier.verify(`Bearer ${await mint({ subject: 'gp-jansen' })}`)).rejects.toThrow(/JWT_PUBLIC_KEY_FILE/);
  });

  it('verifies RS256 tokens with JWT_PUBLIC_KEY_FILE and refuses development tokens', async () => {
    const dir = tempDir();
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const keyFile = path.join(dir, 'idp.pub.pem');
    fs.writeFileSync(keyFile, await exportSPKI(publicKey));
    const prod: Config = {
      ...config,
      production: true,
      databaseUrl: 'postgres://x',
      dataDir: dir,
      jwtPublicKeyFile: keyFile,
      introspection: false,
    };
    const prodVerifier = createTokenVerifier(prod);
    const devToken = await mint({ subject: 'clin-dekker' });
    const token = await new SignJWT(claimsOf(devToken)).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).sign(privateKey);

    const principal = await prodVerifier.verify(`Bearer ${token}`);
    expect(principal.column).toBe('CLIN_TREATMENT');
    expect(principal.organisation).toBe('LUMC');
    await expect(prodVerifier.verify(`Bearer ${devToken}`)).rejects.toBeInstanceOf(AuthenticationError);
    expect(fs.existsSync(devKeyPaths(prod).privateFile)).toBe(false);
  });

  it('verifies ES256 tokens with an EC P-256 JWT_PUBLIC_KEY_FILE', async () => {
    const dir = tempDir();
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const keyFile = path.join(dir, 'idp-ec.pub.pem');
    fs.writeFileSync(keyFile, await exportSPKI(publicKey));
    const prodVerifier = createTokenVerifier({ ...config, production: true, dataDir: dir, jwtPublicKeyFile: keyFile });
    const token = await new SignJWT(claimsOf(await mint({ subject: 'dpo-01' }))).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    expect((await prodVerifier.verify(`Bearer ${token}`)).column).toBe('PRIVACY');
  });
});
