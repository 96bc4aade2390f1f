/**
 * Tokens through HTTP (SPEC §1, §7; CONTRACT "Tokens"): every refused token gives 401,
 * UNAUTHENTICATED and no data, for any query. The verifier's own unit tests are in tokens.test.ts;
 * these prove the server puts it in front of everything. Also: errors never leak internals.
 */
import { base64url, generateKeyPair, SignJWT } from 'jose';
import { loadDevSigningKey } from '../../src/auth/keys';
import { errorCodes, startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let p1: string;
let p2: string;
let labValues: string[];
/** Every response body of this file, checked at the end for internals. */
const seen: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
  p2 = await api.patientId('P-0002');
  labValues = (await api.sql<{ value: string }>('SELECT value FROM lab_result WHERE patient_id = $1', [p1])).map((r) => r.value);
});
afterAll(() => api?.close());

interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

/** POST /graphql with exactly the Authorization header given (none when undefined). */
async function post(authorization: string | undefined, body: unknown, contentType = 'application/json'): Promise<RawResponse> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (authorization !== undefined) headers.authorization = authorization;
  const res = await fetch(api.server.url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  seen.push(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

const now = () => Math.floor(Date.now() / 1000);
const claimsOf = (jwt: string): Record<string, unknown> => JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split('.')[1])));
const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

/** The claims a good gp-jansen token carries, to re-sign or forge. */
async function goodClaims(): Promise<Record<string, unknown>> {
  return claimsOf(await api.token('gp-jansen'));
}

const REFUSED: Array<[string, () => Promise<string | undefined>]> = [
  ['no Authorization header', async () => undefined],
  ['an empty Authorization header', async () => ''],
  ['Bearer garbage', async () => 'Bearer garbage'],
  ['a Basic header', async () => `Basic ${Buffer.from('gp-jansen:secret').toString('base64')}`],
  ['a token without the Bearer prefix', async () => api.token('gp-jansen')],
  ['alg none (unsigned, hand-crafted)', async () => `Bearer ${encode({ alg: 'none', typ: 'JWT' })}.${encode(await goodClaims())}.`],
  ['HS256 signed with a shared secret', async () => {
    const jwt = await new SignJWT(await goodClaims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode('a-shared-secret-anyone-could-know-0123456789'));
    return `Bearer ${jwt}`;
  }],
  ['ES256 signed by another key with the development kid', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const { kid } = await loadDevSigningKey(api.config);
    return `Bearer ${await new SignJWT(await goodClaims()).setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' }).sign(privateKey)}`;
  }],
  ['expired (ttl -5m)', async () => `Bearer ${await api.token('gp-jansen', { ttl: '-5m' })}`],
  ['not yet valid (nbf an hour ahead)', async () => `Bearer ${await api.token('gp-jansen', { claims: { nbf: now() + 3600 } })}`],
  ['issued in the future (iat an hour ahead)', async () => `Bearer ${await api.token('gp-jansen', { claims: { iat: now() + 3600, exp: now() + 7200 } })}`],
  ['wrong issuer', async () => `Bearer ${await api.token('gp-jansen', { claims: { iss: 'https://idp.evil.example/' } })}`],
  ['wrong audience', async () => `Bearer ${await api.token('gp-jansen', { claims: { aud: 'some-other-api' } })}`],
  ['no expiry', async () => `Bearer ${await api.token('gp-jansen', { claims: { exp: undefined } })}`],
  ['tampered payload: role raised to PRIVACY_OFFICER, signature kept', async () => {
    const [header, payload, signature] = (await api.token('gp-jansen')).split('.');
    const forged = { ...JSON.parse(new TextDecoder().decode(base64url.decode(payload))), role: 'PRIVACY_OFFICER', purpose: 'ACCOUNTABILITY' };
    return `Bearer ${header}.${encode(forged)}.${signature}`;
  }],
  ['tampered payload: only the role changed, signature kept', async () => {
    const [header, payload, signature] = (await api.token('clin-dekker')).split('.');
    const forged = { ...JSON.parse(new TextDecoder().decode(base64url.decode(payload))), role: 'PATIENT' };
    return `Bearer ${header}.${encode(forged)}.${signature}`;
  }],
  ['a role/purpose pair outside the matrix (GP for TREATMENT)', async () => `Bearer ${await api.token('gp-jansen', { claims: { purpose: 'TREATMENT' } })}`],
  ['an unknown role', async () => `Bearer ${await api.token('gp-jansen', { claims: { role: 'SUPERUSER' } })}`],
  ['a scope with an unknown category', async () => `Bearer ${await api.token('gp-jansen', { claims: { scope: 'LAB EVERYTHING' } })}`],
  ['a duty doctor token living 13 hours', async () => `Bearer ${await api.token('duty-hap-01', { patient: 'P-0001', claims: { exp: now() + 13 * 3600 } })}`],
  ['a duty doctor token not bound to a patient', async () => `Bearer ${await api.token('duty-hap-01', { patient: 'P-0001', claims: { patient: undefined } })}`],
  ['a patient token bound to another patient', async () => `Bearer ${await api.token('P-0001', { claims: { patient: 'P-0002' } })}`],
];

const ME = { query: `{ me { subject role } }` };
const PATIENT = () => ({ query: `query($id: ID!) { patient(id: $id) { patientNumber labResults { value } } }`, variables: { id: p1 } });
const MUTATION = { query: `mutation { addPortalNote(text: "should never be stored") { id } }` };

describe.each([
  ['{ me }', () => ME],
  ['a patient query', PATIENT],
  ['a mutation', () => MUTATION],
])('refused tokens on %s', (_name, body) => {
  test.each(REFUSED)('%s → 401 UNAUTHENTICATED, no data', async (_case, authorization) => {
    const before = Number((await api.sql('SELECT count(*) AS n FROM access_event'))[0].n);
    const res = await post(await authorization(), body());
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(res.body).toBeDefined();
    expect(res.body).not.toHaveProperty('data');
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // The reason is not given away, nor anything of the record.
    expect(res.text).not.toMatch(/expired|issuer|audience|signature|algorithm|purpose|role|scope|duty|nbf|iat/i);
    for (const value of labValues) expect(res.text).not.toContain(value);
    // Nothing ran: no access event, no note.
    expect(Number((await api.sql('SELECT count(*) AS n FROM access_event'))[0].n)).toBe(before);
  });
});

/** RFC 6750 §3: the class of each refusal in the challenge; no error when there is no bearer token at all. */
const CHALLENGES: Record<string, string | undefined> = {
  'no Authorization header': undefined,
  'an empty Authorization header': undefined,
  'Bearer garbage': 'malformed',
  'a Basic header': undefined,
  'a token without the Bearer prefix': undefined,
  'alg none (unsigned, hand-crafted)': 'signature',
  'HS256 signed with a shared secret': 'signature',
  'ES256 signed by another key with the development kid': 'signature',
  'expired (ttl -5m)': 'expired',
  'not yet valid (nbf an hour ahead)': 'not yet valid',
  'issued in the future (iat an hour ahead)': 'not yet valid',
  'wrong issuer': 'issuer',
  'wrong audience': 'audience',
  'no expiry': 'claims',
  'tampered payload: role raised to PRIVACY_OFFICER, signature kept': 'signature',
  'tampered payload: only the role changed, signature kept': 'signature',
  'a role/purpose pair outside the matrix (GP for TREATMENT)': 'claims',
  'an unknown role': 'claims',
  'a scope with an unknown category': 'claims',
  'a duty doctor token living 13 hours': 'claims',
  'a duty doctor token not bound to a patient': 'claims',
  'a patient token bound to another patient': 'claims',
};

describe('WWW-Authenticate (RFC 6750)', () => {
  test('every refused case has its expected challenge', () => {
    expect(Object.keys(CHALLENGES).sort()).toEqual(REFUSED.map(([name]) => name).sort());
  });

  test.each(REFUSED)('%s', async (name, authorization) => {
    const res = await post(await authorization(), ME);
    expect(res.status).toBe(401);
    const description = CHALLENGES[name];
    expect(res.headers.get('www-authenticate')).toBe(
      description === undefined ? 'Bearer realm="patient-record-api"' : `Bearer realm="patient-record-api", error="invalid_token", error_description="${description}"`,
    );
  });

  test('a revoked token: error_description="revoked"', async () => {
    const token = await api.token('gp-jansen');
    const revoked = await post(`Bearer ${token}`, { query: `mutation($jti: String!) { revokeToken(jti: $jti, reason: "lost") { jti } }`, variables: { jti: claimsOf(token).jti } });
    expect(revoked.body.errors).toBeUndefined();
    const res = await post(`Bearer ${token}`, ME);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="patient-record-api", error="invalid_token", error_description="revoked"');
    expect(res.text).not.toMatch(/revoked/i);
  });
});

test('a GET request without a token is refused the same way', async () => {
  const res = await fetch(`${api.server.url}?query=${encodeURIComponent('{ me { subject } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
  const text = await res.text();
  seen.push(text);
  expect(res.status).toBe(401);
  const body = JSON.parse(text);
  expect(body).not.toHaveProperty('data');
  expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
});

test('no refused request stored a note', async () => {
  expect(await api.sql(`SELECT id FROM portal_note WHERE text = 'should never be stored'`)).toEqual([]);
});

describe('accepted tokens', () => {
  test('a valid token → 200 with data', async () => {
    const res = await post(`Bearer ${await api.token('gp-jansen')}`, ME);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.me).toEqual({ subject: 'gp-jansen', role: 'GP' });
    const patient = await post(`Bearer ${await api.token('gp-jansen')}`, PATIENT());
    expect(patient.status).toBe(200);
    expect(patient.body.data.patient.patientNumber).toBe('P-0001');
  });

  test('the Bearer scheme is case-insensitive', async () => {
    const res = await post(`bearer ${await api.token('gp-jansen')}`, ME);
    expect(res.status).toBe(200);
  });

  test('nbf within the clock tolerance is accepted', async () => {
    const res = await post(`Bearer ${await api.token('gp-jansen', { claims: { nbf: now() + 5 } })}`, ME);
    expect(res.status).toBe(200);
  });

  test('a duty doctor token of exactly 12 hours is accepted', async () => {
    const res = await post(`Bearer ${await api.token('duty-hap-01', { patient: 'P-0001', ttl: '12h' })}`, ME);
    expect(res.status).toBe(200);
    expect(res.body.data.me.role).toBe('DUTY_DOCTOR');
  });
});

describe('authenticated but refused: not a 401', () => {
  test("a PATIENT token of P-0001 asking for P-0002 gets NOT_FOUND, the same as a patient that does not exist", async () => {
    const query = `query($id: ID!) { patient(id: $id) { patientNumber name { family } } }`;
    const other = await api.gql('P-0001', query, { id: p2 });
    seen.push(other.text);
    expect(other.status).toBe(200);
    expect(other.body.data?.patient ?? null).toBeNull();
    expect(errorCodes(other)).toEqual({ patient: 'NOT_FOUND' });
    expect(other.text).not.toContain('Bakker');

    const absent = await api.gql('P-0001', query, { id: '00000000-0000-4000-8000-000000000000' });
    seen.push(absent.text);
    expect(absent.status).toBe(200);
    expect(absent.body.errors?.map((e) => e.message)).toEqual(other.body.errors?.map((e) => e.message));
    expect(errorCodes(absent)).toEqual({ patient: 'NOT_FOUND' });

    const byNumber = await api.gql('P-0001', `{ patientByNumber(patientNumber: "P-0002") { name { family } } }`);
    seen.push(byNumber.text);
    expect(errorCodes(byNumber)).toEqual({ patientByNumber: 'NOT_FOUND' });
  });

  test.each(['123456789', '12345678', '1234567890', 'abcdefghi', '000000000', ''])('patientByBsn(%p) → BAD_USER_INPUT', async (bsn) => {
    const res = await api.gql('gp-jansen', `query($bsn: String!) { patientByBsn(bsn: $bsn) { patientNumber } }`, { bsn });
    seen.push(res.text);
    expect(res.body.data?.patientByBsn ?? null).toBeNull();
    expect(errorCodes(res)).toEqual({ patientByBsn: 'BAD_USER_INPUT' });
  });

  test('a valid BSN of someone who is not a patient here, or outside the gate → the same NOT_FOUND', async () => {
    // 999999990 passes the 11-test (9*44 - 0 = 396 = 36*11) and belongs to no demo patient.
    expect(await api.sql('SELECT id FROM patient WHERE bsn = $1', ['999999990'])).toEqual([]);
    const absent = await api.gql('gp-jansen', `{ patientByBsn(bsn: "999999990") { patientNumber } }`);
    seen.push(absent.text);
    expect(errorCodes(absent)).toEqual({ patientByBsn: 'NOT_FOUND' });
    // P-0002's BSN: gp-jansen is its GP but has no GP_VIEW consent.
    const [{ bsn }] = await api.sql<{ bsn: string }>('SELECT bsn FROM patient WHERE id = $1', [p2]);
    const outside = await api.gql('gp-jansen', `query($bsn: String!) { patientByBsn(bsn: $bsn) { patientNumber } }`, { bsn });
    seen.push(outside.text);
    expect(errorCodes(outside)).toEqual({ patientByBsn: 'NOT_FOUND' });
    expect(outside.body.errors?.[0].message).toBe(absent.body.errors?.[0].message);
  });

  test('a malformed patient id → BAD_USER_INPUT', async () => {
    const res = await api.gql('gp-jansen', `{ patient(id: "1; DROP TABLE patient") { patientNumber } }`);
    seen.push(res.text);
    expect(errorCodes(res)).toEqual({ patient: 'BAD_USER_INPUT' });
  });
});

describe('no internals in any error', () => {
  test('malformed requests are refused with a code and no internals', async () => {
    const bearer = `Bearer ${await api.token('gp-jansen')}`;
    const notJson = await post(bearer, '{"query": ');
    expect(notJson.status).toBe(400);
    const syntax = await post(bearer, { query: '{ me { subject ' });
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const unknownField = await post(bearer, { query: '{ me { password } }' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const badVariable = await post(bearer, { query: 'query($id: ID!) { patient(id: $id) { patientNumber } }', variables: { id: { nested: true } } });
    expect(badVariable.status).toBe(400);
    expect(badVariable.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badEnum = await post(bearer, { query: '{ patient(id: "x") { labResults(specimen: SALIVA) { value } } }' });
    expect(badEnum.status).toBe(400);
  });

  test('no response of this file carries a stack trace or a file path', () => {
    expect(seen.length).toBeGreaterThan(REFUSED.length * 3);
    for (const text of seen) {
      expect(text).not.toMatch(/\/work\/|node_modules|\.ts:|\.js:|stacktrace|\bat [\w.<>]+ \(|QueryFailedError|\bSELECT\b|\bINSERT\b/i);
    }
  });
});
