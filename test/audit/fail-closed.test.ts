/**
 * Fail closed (SPEC §5): when the access event cannot be written, the request fails and no patient
 * data leaves. The failure is made real: a trigger in the test schema makes every INSERT into
 * access_event raise, as a full disk or a lost connection would. Dropping it recovers by itself.
 */
import { errorCodes, GqlResponse, startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let p1: string;
let labValues: string[];

const FAILURE_TEXT = 'simulated access log outage 7c1f';

async function breakAccessLog() {
  await api.sql(`CREATE OR REPLACE FUNCTION test_access_log_outage() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '${FAILURE_TEXT}'; END $$`);
  await api.sql('DROP TRIGGER IF EXISTS test_access_log_outage ON access_event');
  await api.sql('CREATE TRIGGER test_access_log_outage BEFORE INSERT ON access_event FOR EACH ROW EXECUTE FUNCTION test_access_log_outage()');
}
async function repairAccessLog() {
  await api.sql('DROP TRIGGER IF EXISTS test_access_log_outage ON access_event');
  await api.sql('DROP FUNCTION IF EXISTS test_access_log_outage()');
}

const eventCount = async () => Number((await api.sql<{ n: string }>('SELECT count(*) AS n FROM access_event'))[0].n);

beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
  labValues = (await api.sql<{ value: string }>('SELECT value FROM lab_result WHERE patient_id = $1', [p1])).map((r) => r.value);
  expect(labValues.length).toBeGreaterThan(0);
});
afterAll(async () => {
  if (api) await repairAccessLog().catch(() => undefined);
  await api?.close();
});

const READ_LABS = `query($id: ID!) { patient(id: $id) { patientNumber name { family } labResults { code display value unit } } }`;
const ADD_NOTE = `mutation($text: String!) { addPortalNote(text: $text) { id text } }`;

/** Nothing internal in an error response: no SQL, driver text, stack or source path. */
function expectNoInternals(res: GqlResponse) {
  expect(res.text).not.toContain(FAILURE_TEXT);
  expect(res.text).not.toMatch(/access_event|INSERT|SELECT|trigger|plpgsql|QueryFailedError|stacktrace|\bat .+:\d+:\d+|\/work\/|node_modules|\.ts:|\.js:/i);
}

describe('while the access log cannot be written', () => {
  beforeAll(breakAccessLog);
  afterAll(repairAccessLog);

  test('a read of patient data is withheld entirely: 503, data null, no value in the response', async () => {
    const before = await eventCount();
    const res = await api.gql('gp-jansen', READ_LABS, { id: p1 });
    expect(res.status).toBe(503);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    for (const value of labValues) expect(res.text).not.toContain(value);
    expect(res.text).not.toContain('P-0001');
    expect(res.text).not.toContain('Vries');
    expect(res.text).not.toContain('Hemoglobin');
    expectNoInternals(res);
    expect(await eventCount()).toBe(before);
  });

  test('a patient reading their own record gets nothing either', async () => {
    const res = await api.gql('P-0001', `{ myRecord { name { given family } bsn portalNotes { text } } }`);
    expect(res.status).toBe(503);
    expect(res.body.data).toBeNull();
    expect(res.text).not.toContain('Vries');
    expectNoInternals(res);
  });

  test('a patients list is withheld', async () => {
    const res = await api.gql('dpo-01', `{ patients(first: 10) { nodes { patientNumber name { family } } } }`);
    expect(res.status).toBe(503);
    expect(res.body.data).toBeNull();
    expect(res.text).not.toMatch(/P-000\d/);
    expectNoInternals(res);
  });

  test('a refused lookup also fails rather than going unlogged', async () => {
    const res = await api.gql('gp-jansen', READ_LABS, { id: await api.patientId('P-0002') });
    expect(res.status).toBe(503);
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ '': 'INTERNAL_SERVER_ERROR' });
    expectNoInternals(res);
  });

  test('a mutation fails and stores nothing: the note and its event share one transaction', async () => {
    const text = `note written during the outage ${Date.now()}`;
    const notesBefore = await api.sql('SELECT id FROM portal_note WHERE patient_id = $1', [p1]);
    const res = await api.gql('P-0001', ADD_NOTE, { text });
    expect(res.status).not.toBe(200);
    expect(res.body.data ?? null).toBeNull();
    expect(res.body.errors?.map((e) => e.extensions?.code)).toContain('INTERNAL_SERVER_ERROR');
    expect(res.text).not.toContain(text);
    expectNoInternals(res);
    expect(await api.sql('SELECT id FROM portal_note WHERE text = $1', [text])).toEqual([]);
    expect(await api.sql('SELECT id FROM portal_note WHERE patient_id = $1', [p1])).toEqual(notesBefore);
  });

  test('a request that touches no patient still works', async () => {
    const res = await api.gql('gp-jansen', `{ me { subject role } }`);
    expect(res.status).toBe(200);
    expect(res.body.data.me).toEqual({ subject: 'gp-jansen', role: 'GP' });
  });
});

describe('after the access log is back', () => {
  test('the next read works again without a restart and is logged', async () => {
    const res = await api.gql('gp-jansen', READ_LABS, { id: p1 });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.patient.labResults.map((l: { value: string }) => l.value).sort()).toEqual([...labValues].sort());
    const events = await api.sql('SELECT * FROM access_event WHERE request_id = $1', [res.headers.get('x-request-id')]);
    expect(events).toHaveLength(1);
  });

  test('the mutation works again and writes its note and its event', async () => {
    const text = `note after recovery ${Date.now()}`;
    const res = await api.gql('P-0001', ADD_NOTE, { text });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.addPortalNote.text).toBe(text);
    expect(await api.sql('SELECT id FROM portal_note WHERE text = $1', [text])).toHaveLength(1);
    const events = await api.sql<{ action: string; categories_granted: string[] }>('SELECT * FROM access_event WHERE request_id = $1', [res.headers.get('x-request-id')]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'CREATE', categories_granted: ['PORTAL_NOTES'] });
  });

  test('the outage left the chain intact', async () => {
    const res = await api.gql('dpo-01', `{ verifyAccessLog { ok checked firstBrokenEventId } }`);
    const count = await eventCount();
    expect(res.body.data.verifyAccessLog).toEqual({ ok: true, checked: count, firstBrokenEventId: null });
  });
});
