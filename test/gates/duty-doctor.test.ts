/**
 * SPEC §4, DUTY_DOCTOR gate: the token is bound to this patient (`patient` claim), lives at most
 * 12 h, and the GP access permission holds (opt-in: GP_VIEW consent; a GP_PORTAL_BLOCK always wins).
 */
import { TestApi, errorCodes, startTestApi } from '../support/harness';
import { BY_NUMBER, expectAbsent, expectReadsLabs, expectRefused, labValues } from './gate-support';

let api: TestApi;
let optOut: Awaited<ReturnType<TestApi['startAnother']>>;

beforeAll(async () => {
  api = await startTestApi();
  optOut = await api.startAnother({ GP_ACCESS_MODEL: 'opt-out' });
});
afterAll(() => api?.close());

const duty = async (patient: string, extra: Parameters<TestApi['token']>[1] = {}) => ({ token: await api.token('duty-hap-01', { patient, ...extra }) });

async function expect401(res: Awaited<ReturnType<TestApi['gql']>>, leaks: string[]) {
  expect(res.status).toBe(401);
  expect(res.body.data).toBeUndefined();
  expect(errorCodes(res)).toEqual({ '': 'UNAUTHENTICATED' });
  expectAbsent(res, leaks);
}

test('a token bound to P-0001 reads P-0001 LAB and no diagnoses', async () => {
  const t = await duty('P-0001');
  const res = await expectReadsLabs(api, api.gql, t, 'P-0001');
  expect(res.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
  const dx = await api.gql(t, `query($n: String!) { patientByNumber(patientNumber: $n) { diagnoses { display } } }`, { n: 'P-0001' });
  expect(errorCodes(dx)).toEqual({ 'patientByNumber.diagnoses': 'FORBIDDEN' });
  expect(dx.text).not.toContain('diabetes');
});

test('the same token is NOT_FOUND for P-0002 and P-0003, and lists only P-0001', async () => {
  const t = await duty('P-0001');
  await expectRefused(api, api.gql, t, 'P-0002');
  await expectRefused(api, api.gql, t, 'P-0003');
  await expectRefused(api, optOut.gql, t, 'P-0002'); // no consent needed in opt-out, but still the wrong patient
  const list = await api.gql(t, `{ patients(first: 10) { nodes { patientNumber } } }`);
  expect(list.body.data.patients.nodes).toEqual([{ patientNumber: 'P-0001' }]);
  const me = await api.gql(t, `{ me { role boundPatientNumber } }`);
  expect(me.body.data.me).toEqual({ role: 'DUTY_DOCTOR', boundPatientNumber: 'P-0001' });
});

test('a duty token without a patient claim is HTTP 401, no data', async () => {
  const t = await duty('P-0001', { claims: { patient: undefined } });
  await expect401(await api.gql(t, BY_NUMBER, { n: 'P-0001' }), await labValues(api, 'P-0001'));
  await expect401(await api.gql(t, `{ patients(first: 10) { nodes { patientNumber } } }`), ['P-0001']);
});

test('a duty token living 13 h is HTTP 401; 12 h is the limit', async () => {
  const iat = Math.floor(Date.now() / 1000) - 60;
  const long = await duty('P-0001', { claims: { iat, exp: iat + 13 * 3600 } });
  await expect401(await api.gql(long, BY_NUMBER, { n: 'P-0001' }), await labValues(api, 'P-0001'));
  const slightlyTooLong = await duty('P-0001', { claims: { iat, exp: iat + 12 * 3600 + 1 } });
  await expect401(await api.gql(slightlyTooLong, BY_NUMBER, { n: 'P-0001' }), await labValues(api, 'P-0001'));
  await expect(api.token('duty-hap-01', { patient: 'P-0001', ttl: '13h' })).rejects.toThrow(/12 hours/);

  const limit = await duty('P-0001', { ttl: '12h' });
  await expectReadsLabs(api, api.gql, limit, 'P-0001');
});

test('a duty token with a malformed patient claim is HTTP 401', async () => {
  const t = await duty('P-0001', { claims: { patient: 'Anna de Vries' } });
  await expect401(await api.gql(t, BY_NUMBER, { n: 'P-0001' }), await labValues(api, 'P-0001'));
});

test('opt-in: bound to P-0002 (no GP_VIEW consent) is NOT_FOUND; opt-out: readable', async () => {
  const t = await duty('P-0002');
  await expectRefused(api, api.gql, t, 'P-0002');
  await expectReadsLabs(api, optOut.gql, t, 'P-0002');
  // Bound to P-0002, the consenting P-0001 is out of reach in both models.
  await expectRefused(api, api.gql, t, 'P-0001');
  await expectRefused(api, optOut.gql, t, 'P-0001');
});

test('bound to P-0004 (GP_PORTAL_BLOCK) is NOT_FOUND in both models', async () => {
  const t = await duty('P-0004');
  await expectRefused(api, api.gql, t, 'P-0004');
  await expectRefused(api, optOut.gql, t, 'P-0004');
  const list = await optOut.gql(t, `{ patients(first: 10) { nodes { patientNumber } } }`);
  expect(list.body.data.patients.nodes).toEqual([]);
});

test('a withdrawn GP_VIEW consent stops a still-valid duty token on the next request', async () => {
  const t = await duty('P-0001');
  await expectReadsLabs(api, api.gql, t, 'P-0001');
  const p1 = await api.patientId('P-0001');
  const off = await api.gql('P-0001', `mutation($p: ID!) { setConsent(input: { patientId: $p, channel: GP_VIEW, granted: false }) { granted } }`, { p: p1 });
  expect(off.body.errors).toBeUndefined();
  await expectRefused(api, api.gql, t, 'P-0001');
  const on = await api.gql('P-0001', `mutation($p: ID!) { setConsent(input: { patientId: $p, channel: GP_VIEW, granted: true }) { granted } }`, { p: p1 });
  expect(on.body.errors).toBeUndefined();
  await expectReadsLabs(api, api.gql, t, 'P-0001');
});
