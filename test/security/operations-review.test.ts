/**
 * The operations around the record, attacked as a privacy officer's token with a narrow scope or
 * a patient binding, a patient with a narrow scope, a representative, another patient and a
 * client choosing its own request id would. Each case was reproduced against a server whose
 * operations checked authority one by one; all of them now pass the one door.
 */
import { randomUUID } from 'node:crypto';
import { GqlResponse, TestApi, errorCodes, startTestApi } from '../support/harness';

let api: TestApi;
const ids: Record<string, string> = {};

const QUEUE = '{ breakGlassReviewQueue(first: 50) { nodes { id patientId breakGlassReason } } }';
const REQUESTS = '{ destructionRequests(first: 100) { id patientId scope reason } }';
const DECIDE = 'mutation($id: ID!) { decideDestruction(id: $id, approve: false, reason: "not in this case") { id status } }';
const REQUEST = 'mutation($input: DestructionRequestInput!) { requestDestruction(input: $input) { id scope } }';
const SECRET_REASON = 'a private reason about my record that only the privacy officer reads';

const eventsOf = (res: GqlResponse) => api.sql('SELECT patient_id, action, outcome, categories_granted, categories_denied FROM access_event WHERE request_id = $1', [res.headers.get('x-request-id')]);
const dpo = (options: { scope?: string; patient?: string }) => api.token('dpo-01', options).then((token) => ({ token }));

beforeAll(async () => {
  api = await startTestApi();
  for (const n of ['P-0001', 'P-0002', 'P-0003', 'P-0004']) ids[n] = await api.patientId(n);
  // P-0001 asks for destruction with a free-text reason; a break-the-glass session opens on P-0004.
  const filed = await api.gql('P-0001', REQUEST, { input: { patientId: ids['P-0001'], scope: 'PORTAL_NOTES', reason: SECRET_REASON } });
  expect(filed.body.errors).toBeUndefined();
  const token = await api.token('clin-visser', { purpose: 'EMERGENCY' });
  const opened = await api.gql({ token }, 'mutation($id: ID!) { breakGlass(patientId: $id, reason: "unconscious at the emergency department") { id } }', { id: ids['P-0004'] });
  expect(opened.body.errors).toBeUndefined();
});
afterAll(() => api?.close());

describe('privacy-officer operations honour scope and binding', () => {
  test('a dpo token scoped to IDENTITY reads neither the break-the-glass queue nor the destruction requests', async () => {
    const as = await dpo({ scope: 'IDENTITY' });
    for (const query of [QUEUE, REQUESTS]) {
      const res = await api.gql(as, query);
      expect(Object.values(errorCodes(res))).toEqual(['FORBIDDEN']);
      expect(res.body.data).toBeNull();
      expect(res.text).not.toContain('unconscious');
      expect(res.text).not.toContain(SECRET_REASON);
    }
  });

  test('a dpo token bound to P-0002 neither lists nor decides P-0001\'s destruction request', async () => {
    const as = await dpo({ patient: 'P-0002' });
    const list = await api.gql(as, REQUESTS);
    expect(list.body.errors).toBeUndefined();
    expect(list.text).not.toContain(ids['P-0001']);
    expect(list.text).not.toContain(SECRET_REASON);
    const queue = await api.gql(as, QUEUE);
    expect(queue.text).not.toContain(ids['P-0004']);
    const [request] = await api.sql('SELECT id FROM destruction_request WHERE patient_id = $1', [ids['P-0001']]);
    const decided = await api.gql(as, DECIDE, { id: request.id });
    const unknown = await api.gql(as, DECIDE, { id: randomUUID() });
    expect(errorCodes(decided)).toEqual({ decideDestruction: 'NOT_FOUND' });
    expect(decided.body).toEqual(unknown.body);
    expect((await api.sql('SELECT status FROM destruction_request WHERE id = $1', [request.id]))[0].status).toBe('REQUESTED');
  });

  test('reading the queue and the requests logs one event per listed patient, with the category really granted', async () => {
    const as = await dpo({});
    const queue = await api.gql(as, QUEUE);
    const listed = new Set(queue.body.data.breakGlassReviewQueue.nodes.map((n: { patientId: string }) => n.patientId));
    expect(listed.has(ids['P-0004'])).toBe(true);
    const queueEvents = await eventsOf(queue);
    expect(new Set(queueEvents.map((e) => e.patient_id))).toEqual(listed);
    for (const e of queueEvents) expect(e).toMatchObject({ outcome: 'GRANTED', categories_granted: ['ACCESS_LOG'], categories_denied: [] });

    const requests = await api.gql(as, REQUESTS);
    expect(requests.body.data.destructionRequests.map((r: { reason: string }) => r.reason)).toContain(SECRET_REASON);
    const requestEvents = await eventsOf(requests);
    expect(requestEvents).toEqual([{ patient_id: ids['P-0001'], action: 'READ', outcome: 'GRANTED', categories_granted: ['CONSENTS'], categories_denied: [] }]);
  });
});

describe('requestDestruction needs the caller\'s authority over every category it names', () => {
  const count = async () => Number((await api.sql('SELECT count(*) AS n FROM destruction_request'))[0].n);

  test('a patient token scoped to IDENTITY cannot file destruction of LAB or SPECIAL_CATEGORY', async () => {
    const before = await count();
    const { token } = { token: await api.token('P-0001', { scope: 'IDENTITY' }) };
    for (const scope of ['LAB', 'SPECIAL_CATEGORY', 'LAB SPECIAL_CATEGORY']) {
      const res = await api.gql({ token }, REQUEST, { input: { patientId: ids['P-0001'], scope, reason: 'please destroy this' } });
      expect(errorCodes(res)).toEqual({ requestDestruction: 'FORBIDDEN' });
    }
    expect(await count()).toBe(before);
  });

  test('a representative without PORTAL_NOTES cannot file destruction of the child\'s notes, and learns nothing about note ids', async () => {
    const [note] = await api.sql(`INSERT INTO portal_note (patient_id, text) VALUES ($1, 'my own note') RETURNING id`, [ids['P-0003']]);
    const before = await count();
    const existing = await api.gql('rep-smit', REQUEST, { input: { patientId: ids['P-0003'], scope: `PORTAL_NOTES:${note.id}`, reason: 'please destroy this' } });
    const missing = await api.gql('rep-smit', REQUEST, { input: { patientId: ids['P-0003'], scope: `PORTAL_NOTES:${randomUUID()}`, reason: 'please destroy this' } });
    const whole = await api.gql('rep-smit', REQUEST, { input: { patientId: ids['P-0003'], scope: 'PORTAL_NOTES', reason: 'please destroy this' } });
    expect(errorCodes(existing)).toEqual({ requestDestruction: 'FORBIDDEN' });
    expect(existing.body).toEqual(missing.body);
    expect(errorCodes(whole)).toEqual({ requestDestruction: 'FORBIDDEN' });
    expect(await count()).toBe(before);
  });
});

describe('a patient\'s own access log names other private persons by role only', () => {
  test('P-0002 and rep-smit trying P-0001\'s record appear to P-0001 as PATIENT and LEGAL_REPRESENTATIVE; the privacy officer sees who', async () => {
    for (const who of ['P-0002', 'rep-smit']) {
      const res = await api.gql(who, 'query($id: ID!) { patient(id: $id) { id } }', { id: ids['P-0001'] });
      expect(errorCodes(res)).toEqual({ patient: 'NOT_FOUND' });
    }
    const LOG = 'query($id: ID!) { accessLog(patientId: $id, first: 50) { nodes { actorSubject actorRole actorOrganisation onBehalfOf } } }';
    const own = await api.gql('P-0001', LOG, { id: ids['P-0001'] });
    expect(own.body.errors).toBeUndefined();
    expect(own.text).not.toContain('P-0002');
    expect(own.text).not.toContain('rep-smit');
    const roles = own.body.data.accessLog.nodes.filter((n: { actorSubject: string }) => n.actorSubject !== 'P-0001');
    expect(roles).toEqual(expect.arrayContaining([
      { actorSubject: 'PATIENT', actorRole: 'PATIENT', actorOrganisation: null, onBehalfOf: null },
      { actorSubject: 'LEGAL_REPRESENTATIVE', actorRole: 'LEGAL_REPRESENTATIVE', actorOrganisation: null, onBehalfOf: null },
    ]));
    // Staff stay named: that is the point of the log.
    expect(own.body.data.accessLog.nodes).toContainEqual({ actorSubject: 'dpo-01', actorRole: 'PRIVACY_OFFICER', actorOrganisation: 'LUMC', onBehalfOf: null });
    const officer = await api.gql('dpo-01', LOG, { id: ids['P-0001'] });
    expect(officer.text).toContain('P-0002');
    expect(officer.text).toContain('rep-smit');
  });
});

describe('objections follow the consent rules', () => {
  const LODGE = 'mutation($input: LodgeObjectionInput!) { lodgeObjection(input: $input) { id lodgedBy lodgedByRelation } }';
  const WITHDRAW = 'mutation($id: ID!) { withdrawObjection(id: $id) { id withdrawnAt } }';

  test('the parent alone cannot withdraw the 13-year-old\'s own objection; the child can', async () => {
    const lodged = await api.gql('P-0003', LODGE, { input: { patientId: ids['P-0003'], kind: 'GP_PORTAL_BLOCK', lodgedByRelation: 'SELF' } });
    expect(lodged.body.errors).toBeUndefined();
    const id = lodged.body.data.lodgeObjection.id;
    const byParent = await api.gql('rep-smit', WITHDRAW, { id });
    expect(errorCodes(byParent)).toEqual({ withdrawObjection: 'FORBIDDEN' });
    expect((await api.sql('SELECT withdrawn_at FROM objection WHERE id = $1', [id]))[0].withdrawn_at).toBeNull();
    const byChild = await api.gql('P-0003', WITHDRAW, { id });
    expect(byChild.body.errors).toBeUndefined();
  });

  test('a representative neither lodges as SELF nor without evidence', async () => {
    const before = (await api.sql('SELECT count(*) AS n FROM objection'))[0].n;
    for (const input of [
      { lodgedByRelation: 'SELF' },
      { lodgedByRelation: 'SELF', evidenceRef: 'court-order-1' },
      { lodgedByRelation: 'LEGAL_REPRESENTATIVE' },
    ]) {
      const res = await api.gql('rep-smit', LODGE, { input: { patientId: ids['P-0003'], kind: 'TRAINEES', ...input } });
      expect(errorCodes(res)).toEqual({ lodgeObjection: 'BAD_USER_INPUT' });
    }
    expect((await api.sql('SELECT count(*) AS n FROM objection'))[0].n).toBe(before);
  });

  test('administration recording a paper objection gives its evidence too', async () => {
    const res = await api.gql('admin-mulder', LODGE, { input: { patientId: ids['P-0001'], kind: 'TRAINEES', lodgedByRelation: 'SELF' } });
    expect(errorCodes(res)).toEqual({ lodgeObjection: 'BAD_USER_INPUT' });
  });
});

describe('break-the-glass honours the token\'s patient binding', () => {
  test('a token bound to P-0001 opens no session for P-0004, by id or by number', async () => {
    const token = await api.token('clin-dekker', { purpose: 'EMERGENCY', patient: 'P-0001' });
    const before = (await api.sql('SELECT count(*) AS n FROM break_glass_session'))[0].n;
    const byId = await api.gql({ token }, 'mutation($id: ID!) { breakGlass(patientId: $id, reason: "emergency, bound elsewhere") { id } }', { id: ids['P-0004'] });
    const byNumber = await api.gql({ token }, 'mutation { breakGlassByPatientNumber(patientNumber: "P-0004", reason: "emergency, bound elsewhere") { id } }');
    expect(errorCodes(byId)).toEqual({ breakGlass: 'NOT_FOUND' });
    expect(errorCodes(byNumber)).toEqual({ breakGlassByPatientNumber: 'NOT_FOUND' });
    expect((await api.sql('SELECT count(*) AS n FROM break_glass_session'))[0].n).toBe(before);
    // The bound patient itself is allowed, by number as on a wristband.
    const own = await api.gql({ token }, 'mutation { breakGlassByPatientNumber(patientNumber: "P-0001", reason: "emergency, bound here") { patientId } }');
    expect(own.body.errors).toBeUndefined();
  });
});

describe('request ids', () => {
  test('the logged request id is the server\'s own; a client\'s x-request-id is only echoed as a correlation id', async () => {
    const chosen = 'client-chosen-id-0001';
    const send = () => fetch(api.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': chosen, authorization: 'Bearer ' + '' },
      body: JSON.stringify({ query: '{ me { subject } }' }),
    });
    const token = await api.token('clin-dekker');
    const twice = await Promise.all([0, 1].map(() => fetch(api.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': chosen, authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query($n: String!) { patientByNumber(patientNumber: $n) { id } }', variables: { n: 'P-0001' } }),
    })));
    const [a, b] = twice.map((r) => r.headers.get('x-request-id'));
    expect(a).not.toBe(chosen);
    expect(a).not.toBe(b);
    for (const r of twice) expect(r.headers.get('x-correlation-id')).toBe(chosen);
    expect(await api.sql('SELECT count(*) AS n FROM access_event WHERE request_id = $1', [chosen])).toEqual([{ n: '0' }]);
    expect((await api.sql('SELECT count(*) AS n FROM access_event WHERE request_id = ANY($1)', [[a, b]]))[0].n).toBe('2');
    expect((await send()).headers.get('x-sql-statements')).toBeNull();
  });
});
