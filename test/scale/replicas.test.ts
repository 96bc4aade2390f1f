/**
 * Scale-out: two real API processes (`node dist/src/main.js`) on one database behave as
 * one, because nothing that decides access lives in a process. A consent withdrawn through one is
 * effective on the very next request through the other (and so are a block, a break-the-glass
 * session and a revoked portal token); and ~200 concurrent requests through both extend one
 * access-log chain that still verifies, with exactly one event per read.
 */
import { startTestApi, TestApi } from '../support/harness';
import { ApiProcess, buildOnce, gqlTo, sameDatabaseEnv, startApiProcess } from '../support/processes';

let api: TestApi;
let a: ApiProcess;
let b: ApiProcess;
let p1: string;

const GP_READ = `query($n: String!) { patientByNumber(patientNumber: $n) { patientNumber labResults { value } } }`;
const SET_CONSENT = `mutation($id: ID!, $granted: Boolean!) { setConsent(input: { patientId: $id, channel: GP_VIEW, granted: $granted }) { id granted withdrawnAt } }`;
const VERIFY = `{ verifyAccessLog { ok checked firstBrokenEventId } }`;
const eventCount = async () => Number((await api.sql<{ n: string }>('SELECT count(*) AS n FROM access_event'))[0].n);

beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
  await buildOnce();
  [a, b] = await Promise.all([startApiProcess(sameDatabaseEnv(api.config)), startApiProcess(sameDatabaseEnv(api.config))]);
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await api?.close();
});

test('two separate processes serve the same database', async () => {
  expect(a.child.pid).not.toBe(b.child.pid);
  expect(a.url).not.toBe(b.url);
  for (const p of [a, b]) expect((await fetch(`${p.origin}/readyz`)).status).toBe(200);
});

test('a consent withdrawal through one process counts on the next request through the other', async () => {
  const gp = await api.token('gp-jansen');
  const patient = await api.token('P-0001');
  const before = await gqlTo(b.url, gp, GP_READ, { n: 'P-0001' });
  expect(before.body.errors).toBeUndefined();
  expect(before.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);

  const withdrawn = await gqlTo(a.url, patient, SET_CONSENT, { id: p1, granted: false });
  expect(withdrawn.body.errors).toBeUndefined();
  expect(withdrawn.body.data.setConsent.granted).toBe(false);

  const after = await gqlTo(b.url, gp, GP_READ, { n: 'P-0001' });
  expect(after.body.data.patientByNumber).toBeNull();
  expect(after.body.errors.map((e: any) => e.extensions.code)).toEqual(['NOT_FOUND']);
  for (const v of (before.body.data.patientByNumber.labResults as Array<{ value: string }>)) expect(after.text).not.toContain(v.value);

  // And back: granted through B, visible through A at once.
  const regranted = await gqlTo(b.url, patient, SET_CONSENT, { id: p1, granted: true });
  expect(regranted.body.errors).toBeUndefined();
  const again = await gqlTo(a.url, gp, GP_READ, { n: 'P-0001' });
  expect(again.body.errors).toBeUndefined();
  expect(again.body.data.patientByNumber.patientNumber).toBe('P-0001');
});

test('a break-the-glass session opened through one process admits through the other', async () => {
  const visser = await api.token('clin-visser', { purpose: 'EMERGENCY' });
  const q = `query($id: ID!) { patient(id: $id) { patientNumber } }`;
  expect((await gqlTo(b.url, visser, q, { id: p1 })).body.errors[0].extensions.code).toBe('NOT_FOUND');
  const opened = await gqlTo(a.url, visser, `mutation($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious at the ED, no history available") { id } }`, { id: p1 });
  expect(opened.body.errors).toBeUndefined();
  const through = await gqlTo(b.url, visser, q, { id: p1 });
  expect(through.body.errors).toBeUndefined();
  expect(through.body.data.patient.patientNumber).toBe('P-0001');
});

test('a portal token revoked through one process is refused by the other on the next request', async () => {
  const service = await api.token('gp-portal-svc');
  const issued = await gqlTo(a.url, service, `mutation { issuePortalToken(input: { practitionerSubject: "gp-jansen", role: GP, patientNumber: "P-0001", scope: [LAB] }) { jti token } }`);
  expect(issued.body.errors).toBeUndefined();
  const { jti, token } = issued.body.data.issuePortalToken;
  expect((await gqlTo(b.url, token, GP_READ, { n: 'P-0001' })).status).toBe(200);
  const revoked = await gqlTo(b.url, service, `mutation($jti: ID!) { revokeIssuedToken(jti: $jti) { revokedAt } }`, { jti });
  expect(revoked.body.data.revokeIssuedToken.revokedAt).toBeTruthy();
  const refused = await gqlTo(a.url, token, GP_READ, { n: 'P-0001' });
  expect(refused.status).toBe(401);
});

test('~200 concurrent requests through both processes extend one valid access-log chain', async () => {
  const readers = await Promise.all(['gp-jansen', 'clin-dekker', 'P-0001', 'admin-mulder'].map((s) => api.token(s)));
  const before = await eventCount();
  const requests = Array.from({ length: 200 }, (_, i) => gqlTo(i % 2 ? a.url : b.url, readers[i % readers.length], GP_READ, { n: 'P-0001' }));
  const responses = await Promise.all(requests);
  for (const r of responses) {
    expect(r.status).toBe(200);
    expect(r.body.data.patientByNumber.patientNumber).toBe('P-0001');
  }
  // One READ event per request (each touched one patient), none lost, none doubled.
  expect(await eventCount()).toBe(before + 200);
  const seqs = await api.sql<{ gaps: string; dupes: string }>(
    `SELECT (max(seq) - min(seq) + 1 - count(*))::text AS gaps, (count(*) - count(DISTINCT seq))::text AS dupes FROM access_event`);
  expect(seqs[0]).toEqual({ gaps: '0', dupes: '0' });
  const dpo = await api.token('dpo-01');
  const verified = await gqlTo(a.url, dpo, VERIFY);
  expect(verified.body.data.verifyAccessLog.ok).toBe(true);
  expect(verified.body.data.verifyAccessLog.firstBrokenEventId).toBeNull();
  // The verification itself logs nothing, so it checked every event written so far.
  expect(verified.body.data.verifyAccessLog.checked).toBe(await eventCount());
}, 60_000);
