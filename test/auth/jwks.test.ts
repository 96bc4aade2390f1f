/**
 * Identity providers: tokens verified against a JWKS endpoint that ROTATES its keys,
 * with claims mapped from a Keycloak-style layout (CLAIM_MAPPING). A real HTTP server on
 * 127.0.0.1 serves the key set; jose's remote key set caches it and refetches for unknown kids.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { startTestApi, TestApi } from '../support/harness';

interface IdpKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  jwk: JWK;
}

async function idpKey(kid: string, alg: 'RS256' | 'ES256'): Promise<IdpKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** Keycloak-like mapping: realm roles → Role, purpose of use from a custom claim or the role's default. */
const MAPPING = {
  role: { claim: 'realm_access.roles', values: { 'epd-gp': 'GP', 'epd-clinician': 'TREATING_CLINICIAN', 'epd-dpo': 'PRIVACY_OFFICER' } },
  purpose: { claim: 'purpose_of_use', values: { treatment: 'TREATMENT', emergency: 'EMERGENCY' }, default: 'ROLE_DEFAULT' },
  organisation: { claim: ['organisation', 'id'] },
};

let served: JWK[] = [];
let fetches = 0;
let jwks: http.Server;
let api: TestApi;
let keyA: IdpKey;
let keyB: IdpKey;

beforeAll(async () => {
  keyA = await idpKey('kc-2026-01', 'RS256');
  keyB = await idpKey('kc-2026-02', 'ES256');
  served = [keyA.jwk];
  jwks = http.createServer((req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: served }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const { port } = jwks.address() as AddressInfo;
  api = await startTestApi({
    JWKS_URL: `http://127.0.0.1:${port}/realms/lumc/protocol/openid-connect/certs`,
    JWKS_COOLDOWN_SECONDS: '0',
    CLAIM_MAPPING: JSON.stringify(MAPPING),
  });
});
afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => jwks?.close(resolve));
});

/** A token as Keycloak would issue it for the hospital. */
async function kcToken(key: IdpKey, claims: Record<string, unknown> = {}, kid = key.kid): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    realm_access: { roles: ['offline_access', 'uma_authorization', 'epd-gp'] },
    organisation: { id: 'HUISARTS-JANSEN' },
    ...claims,
  })
    .setProtectedHeader({ alg: key.alg, kid, typ: 'JWT' })
    .setIssuer(api.config.jwtIssuer).setAudience(api.config.jwtAudience).setSubject('gp-jansen')
    .setJti(`kc-${Math.random().toString(36).slice(2)}`).setIssuedAt(now).setExpirationTime(now + 300)
    .sign(key.privateKey);
}

const ME = `{ me { subject role purpose organisation } }`;
const LABS = `query($n: String!) { patientByNumber(patientNumber: $n) { labResults { value } } }`;

test('a token signed by the IdP\'s key verifies, its realm roles map to GP and the purpose to the role\'s default', async () => {
  const res = await api.gql({ token: await kcToken(keyA) }, ME);
  expect(res.status).toBe(200);
  expect(res.body.data.me).toEqual({ subject: 'gp-jansen', role: 'GP', purpose: 'CARE_EXCHANGE', organisation: 'HUISARTS-JANSEN' });
  const labs = await api.gql({ token: await kcToken(keyA) }, LABS, { n: 'P-0001' });
  expect(labs.body.errors).toBeUndefined();
  expect(labs.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
});

test('the key set is cached: many requests, one fetch', async () => {
  const before = fetches;
  for (let i = 0; i < 5; i += 1) expect((await api.gql({ token: await kcToken(keyA) }, ME)).status).toBe(200);
  expect(fetches).toBe(before);
});

test('development tokens are not accepted when the IdP\'s JWKS is configured', async () => {
  expect((await api.gql({ token: await api.token('gp-jansen') }, ME)).status).toBe(401);
});

test('claim mapping: purpose from the IdP, ambiguous or unmapped roles refused', async () => {
  const clinician = await kcToken(keyA, { realm_access: { roles: ['epd-clinician'] }, purpose_of_use: 'emergency' });
  expect((await api.gql({ token: clinician }, ME)).body.data.me).toMatchObject({ role: 'TREATING_CLINICIAN', purpose: 'EMERGENCY' });
  for (const claims of [
    { realm_access: { roles: ['epd-gp', 'epd-dpo'] } }, // two roles: guessing one would widen access
    { realm_access: { roles: ['offline_access'] } }, // no role of ours
    { realm_access: { roles: ['epd-gp'] }, purpose_of_use: 'marketing' }, // a purpose the mapping does not know
    { realm_access: { roles: ['epd-dpo'] }, purpose_of_use: 'treatment' }, // a pair SPEC §1 does not allow
  ]) {
    const res = await api.gql({ token: await kcToken(keyA, claims) }, ME);
    expect(res.status).toBe(401);
    expect(res.body.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
  }
});

describe('key rotation', () => {
  beforeAll(() => {
    // The IdP rotates: the new key is served, the old one is removed.
    served = [keyB.jwk];
  });

  test('a token signed by the new key is accepted at once (unknown kid → the set is fetched again)', async () => {
    const before = fetches;
    const res = await api.gql({ token: await kcToken(keyB) }, ME);
    expect(res.status).toBe(200);
    expect(res.body.data.me.role).toBe('GP');
    expect(fetches).toBe(before + 1);
  });

  test('a token signed by the removed key is refused', async () => {
    const res = await api.gql({ token: await kcToken(keyA) }, ME);
    expect(res.status).toBe(401);
    expect(res.body.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('a token signed by some other key under the new kid is refused', async () => {
    const impostor = await idpKey(keyB.kid, 'ES256');
    expect((await api.gql({ token: await kcToken(impostor) }, ME)).status).toBe(401);
  });

  test('new-key tokens keep working from the cache', async () => {
    const before = fetches;
    for (let i = 0; i < 3; i += 1) expect((await api.gql({ token: await kcToken(keyB) }, LABS, { n: 'P-0001' })).status).toBe(200);
    expect(fetches).toBe(before);
  });
});
