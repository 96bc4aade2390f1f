import { errorCodes, startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let p1: string;
let p3: string;
beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
  p3 = await api.patientId('P-0003');
});
afterAll(() => api?.close());

const REQUEST = `mutation($input: DestructionRequestInput!) { requestDestruction(input: $input) { id status scope patientId } }`;
const DECIDE = `mutation($id: ID!, $approve: Boolean!, $reason: String!) { decideDestruction(id: $id, approve: $approve, reason: $reason) { id status decidedBy decisionReason } }`;
const count = async (table: string, patientId: string) => Number((await api.sql(`SELECT count(*) FROM ${table} WHERE patient_id = $1`, [patientId]))[0].count);

test('an approved request erases exactly the named data in one go and leaves a tombstone without content', async () => {
  const photos = await api.sql<{ uri: string }>('SELECT uri FROM medical_photo WHERE patient_id = $1', [p1]);
  const labs = await count('lab_result', p1);
  const req = await api.gql('P-0001', REQUEST, { input: { patientId: p1, scope: 'PHOTOS', reason: 'I no longer want these photographs kept.' } });
  expect(errorCodes(req)).toEqual({});
  expect(req.body.data.requestDestruction.status).toBe('REQUESTED');
  expect(await count('medical_photo', p1)).toBe(photos.length);

  const decided = await api.gql('dpo-01', DECIDE, { id: req.body.data.requestDestruction.id, approve: true, reason: 'No legal ground to keep them.' });
  expect(decided.body.data.decideDestruction).toMatchObject({ status: 'APPROVED', decidedBy: 'dpo-01' });
  expect(await count('medical_photo', p1)).toBe(0);
  expect(await count('lab_result', p1)).toBe(labs);

  const [tombstone] = await api.sql(`SELECT * FROM access_event WHERE patient_id = $1 AND action = 'DELETE'`, [p1]);
  expect(tombstone).toMatchObject({ actor_subject: 'dpo-01', categories_granted: ['PHOTOS'] });
  expect(tombstone.detail).toContain('dpo-01');
  for (const photo of photos) expect(JSON.stringify(tombstone)).not.toContain(photo.uri);
  const verify = await api.gql('dpo-01', '{ verifyAccessLog { ok } }');
  expect(verify.body.data.verifyAccessLog.ok).toBe(true);
});

test('a refused request keeps everything; a decided request cannot be decided again', async () => {
  const labs = await count('lab_result', p3);
  const req = await api.gql('rep-smit', REQUEST, { input: { patientId: p3, scope: 'LAB', reason: 'Please remove the lab results.' } });
  const id = req.body.data.requestDestruction.id;
  const refused = await api.gql('dpo-01', DECIDE, { id, approve: false, reason: 'Needed for ongoing treatment.' });
  expect(refused.body.data.decideDestruction.status).toBe('REFUSED');
  expect(await count('lab_result', p3)).toBe(labs);
  expect(errorCodes(await api.gql('dpo-01', DECIDE, { id, approve: true, reason: 'Changed my mind.' }))).toEqual({ decideDestruction: 'BAD_USER_INPUT' });
  expect(await count('lab_result', p3)).toBe(labs);
});

test('a single row can be named; a row of another record cannot', async () => {
  const [lab] = await api.sql<{ id: string }>('SELECT id FROM lab_result WHERE patient_id = $1 ORDER BY id LIMIT 1', [p1]);
  const [foreign] = await api.sql<{ id: string }>('SELECT id FROM lab_result WHERE patient_id = $1 LIMIT 1', [p3]);
  expect(errorCodes(await api.gql('P-0001', REQUEST, { input: { patientId: p1, scope: `LAB:${foreign.id}`, reason: 'Not mine to ask.' } }))).toEqual({ requestDestruction: 'BAD_USER_INPUT' });
  const before = await count('lab_result', p1);
  const req = await api.gql('P-0001', REQUEST, { input: { patientId: p1, scope: `LAB:${lab.id}`, reason: 'This result was a mistake.' } });
  await api.gql('dpo-01', DECIDE, { id: req.body.data.requestDestruction.id, approve: true, reason: 'Confirmed by the lab.' });
  expect(await count('lab_result', p1)).toBe(before - 1);
  expect(await count('lab_result', p3)).toBeGreaterThan(0);
});

test('who may ask and who may decide', async () => {
  const input = { patientId: p1, scope: 'ECG', reason: 'Some reason here.' };
  expect(errorCodes(await api.gql('P-0003', REQUEST, { input }))).toEqual({ requestDestruction: 'NOT_FOUND' });
  expect(errorCodes(await api.gql('clin-dekker', REQUEST, { input }))).toEqual({ requestDestruction: 'FORBIDDEN' });
  expect(errorCodes(await api.gql('P-0001', REQUEST, { input: { ...input, scope: 'IDENTITY' } }))).toEqual({ requestDestruction: 'BAD_USER_INPUT' });
  expect(errorCodes(await api.gql('P-0001', REQUEST, { input: { ...input, scope: 'ACCESS_LOG' } }))).toEqual({ requestDestruction: 'BAD_USER_INPUT' });
  const req = await api.gql('P-0001', REQUEST, { input });
  const ecgs = await count('ecg', p1);
  for (const who of ['clin-dekker', 'P-0001', 'admin-mulder']) {
    expect(errorCodes(await api.gql(who, DECIDE, { id: req.body.data.requestDestruction.id, approve: true, reason: 'I decide this.' }))).toEqual({ decideDestruction: 'FORBIDDEN' });
  }
  expect(await count('ecg', p1)).toBe(ecgs);
  const pending = await api.gql('dpo-01', `{ destructionRequests(status: "REQUESTED") { id scope } }`);
  expect(pending.body.data.destructionRequests.map((r: { id: string }) => r.id)).toContain(req.body.data.requestDestruction.id);
});
