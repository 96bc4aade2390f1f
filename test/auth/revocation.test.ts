/**
 * The `jti` deny-list: a revoked token is refused (401, no data, nothing logged) from
 * the very next request, on every server sharing the database; the privacy officer may revoke
 * any token id, everybody else only the token in use.
 */
import { base64url } from 'jose';
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let p1: string;

beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
});
afterAll(() => api?.close());

const jtiOf = (jwt: string): string => JSON.parse(new TextDecoder().decode(base64url.decode(jwt.split('.')[1]))).jti;
const REVOKE = 'mutation($jti: String!, $reason: String!) { revokeToken(jti: $jti, reason: $reason) { jti revokedAt reason } }';
const READ = 'query($id: ID!) { patient(id: $id) { name { family } labResults { value } } }';
const eventCount = async () => Number((await api.sql<{ n: string }>('SELECT count(*) AS n FROM access_event'))[0].n);

/** A revoked token: 401 UNAUTHENTICATED, nothing of the record, nothing run, nothing logged. */
async function expectRefused(token: string, gql = api.gql) {
  const before = await eventCount();
  const res = await gql({ token }, READ, { id: p1 });
  expect(res.status).toBe(401);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  expect(res.text).not.toContain('Vries');
  expect(res.text).not.toMatch(/revoked/i);
  expect(await eventCount()).toBe(before);
}

test('a principal revokes the token in use: the very next request with it is refused', async () => {
  const token = await api.token('gp-jansen');
  expect((await api.gql({ token }, READ, { id: p1 })).body.data.patient.name.family).toBe('de Vries');
  const res = await api.gql({ token }, REVOKE, { jti: jtiOf(token), reason: 'logged out' });
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.revokeToken).toMatchObject({ jti: jtiOf(token), reason: 'logged out' });
  await expectRefused(token);
  // The subject is not locked out: a new token works.
  const fresh = await api.token('gp-jansen');
  expect((await api.gql({ token: fresh }, READ, { id: p1 })).status).toBe(200);
});

test('the privacy officer revokes somebody else\'s token: refused next, also on another server of the same database', async () => {
  const stolen = await api.token('clin-dekker');
  const replica = await api.startAnother({});
  expect((await replica.gql({ token: stolen }, READ, { id: p1 })).status).toBe(200);
  const res = await api.gql('dpo-01', REVOKE, { jti: jtiOf(stolen), reason: 'laptop reported stolen' });
  expect(res.body.errors).toBeUndefined();
  await expectRefused(stolen);
  await expectRefused(stolen, replica.gql);
  const [row] = await api.sql('SELECT revoked_by, revoked_by_role, reason FROM revoked_token WHERE jti = $1', [jtiOf(stolen)]);
  expect(row).toEqual({ revoked_by: 'dpo-01', revoked_by_role: 'PRIVACY_OFFICER', reason: 'laptop reported stolen' });
});

test('anybody else may not revoke a token that is not theirs (FORBIDDEN), and that token keeps working', async () => {
  const victim = await api.token('clin-dekker');
  for (const attacker of ['gp-jansen', 'P-0001', 'clin-visser', 'admin-mulder']) {
    const res = await api.gql(attacker, REVOKE, { jti: jtiOf(victim), reason: 'denial of service' });
    expect(res.body.data?.revokeToken ?? null).toBeNull();
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  }
  expect(await api.sql('SELECT jti FROM revoked_token WHERE jti = $1', [jtiOf(victim)])).toEqual([]);
  expect((await api.gql({ token: victim }, READ, { id: p1 })).status).toBe(200);
});

test('revoking twice keeps the first record', async () => {
  const token = await api.token('dpo-01');
  const jti = 'idp-token-4711';
  const first = await api.gql({ token }, REVOKE, { jti, reason: 'first' });
  const second = await api.gql('dpo-01', REVOKE, { jti, reason: 'second' });
  expect(second.body.data.revokeToken).toEqual(first.body.data.revokeToken);
  expect(second.body.data.revokeToken.reason).toBe('first');
});

test.each([
  ['an empty reason', 'x', '   '],
  ['a reason of 501 characters', 'x', 'r'.repeat(501)],
  ['an empty jti', '', 'reason'],
  ['a jti of 201 characters', 'j'.repeat(201), 'reason'],
])('%s → BAD_USER_INPUT, nothing stored', async (_name, jti, reason) => {
  const res = await api.gql('dpo-01', REVOKE, { jti, reason });
  expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  expect(await api.sql('SELECT jti FROM revoked_token WHERE jti = $1', [jti])).toEqual([]);
});

test('a revoked token cannot revoke or do anything else either', async () => {
  const token = await api.token('P-0001');
  await api.gql({ token }, REVOKE, { jti: jtiOf(token), reason: 'logged out' });
  for (const query of ['{ me { subject } }', '{ myRecord { name { family } } }', 'mutation { addPortalNote(text: "after logout") { id } }']) {
    const res = await api.gql({ token }, query);
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
  }
  expect(await api.sql(`SELECT id FROM portal_note WHERE text = 'after logout'`)).toEqual([]);
});
