/**
 * The access log as FHIR R4 AuditEvents (IHE BALP patterns) over HTTP with real tokens: the
 * patient's and representative's own log under exactly the rules of `accessLog` (same door, same
 * masking of other private persons), the privacy officer's whole-log feed for a SIEM (oldest first,
 * cursor-paged), both validated against the R4 definitions, and both reads logged.
 */
import { unexplainedWarnings, validateFhir } from '../support/fhir-validation';
import { errorCodes, GqlResponse, startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let p1: string;
let p2: string;
let p3: string;

beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
  p2 = await api.patientId('P-0002');
  p3 = await api.patientId('P-0003');
});
afterAll(() => api?.close());

const OWN_LOG = `query($id: ID!, $first: Int, $after: String) { accessLogAuditEvents(patientId: $id, first: $first, after: $after) }`;
const ACCESS_LOG = `query($id: ID!, $first: Int) { accessLog(patientId: $id, first: $first) { nodes { id actorSubject } } }`;
const FEED = `query($first: Int, $after: String) { auditEvents(first: $first, after: $after) }`;
const READ = `query($id: ID!) { patient(id: $id) { name { family } labResults { value } } }`;

const eventsOf = (res: GqlResponse) => api.sql('SELECT * FROM access_event WHERE request_id = $1 ORDER BY seq', [res.headers.get('x-request-id')]);
const auditEvents = (bundle: any): any[] => (bundle.entry ?? []).map((e: any) => e.resource);
const detailOf = (event: any, type: string): string | undefined =>
  event.entity.flatMap((e: any) => e.detail ?? []).find((d: any) => d.type === type)?.valueString;
const userOf = (event: any) => event.agent.find((a: any) => a.requestor);

/** The bundle in a successful response, with zero validation errors for it and each of its events. */
function bundleOf(res: GqlResponse, field: string): any {
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  const bundle = res.body.data[field];
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
  expect(validateFhir(bundle).errors).toEqual([]);
  for (const event of auditEvents(bundle)) {
    const { errors, warnings } = validateFhir(event);
    expect([event.id, errors, unexplainedWarnings(warnings)]).toEqual([event.id, [], []]);
  }
  return bundle;
}

async function breakGlassOnP2(): Promise<string> {
  const token = await api.token('clin-visser', { purpose: 'EMERGENCY' });
  const glass = await api.gql({ token }, `mutation($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious at the ED, no relatives reachable") { id } }`, { id: p2 });
  expect(glass.body.errors).toBeUndefined();
  const read = await api.gql({ token }, READ, { id: p2 });
  expect(read.body.errors).toBeUndefined();
  return read.headers.get('x-request-id')!;
}

describe('the patient\'s own log as AuditEvents', () => {
  test('the same events as accessLog, newest first, each a valid BALP-shaped AuditEvent about this patient', async () => {
    await api.gql('clin-dekker', READ, { id: p1 });
    const log = await api.gql('P-0001', ACCESS_LOG, { id: p1, first: 20 });
    const res = await api.gql('P-0001', OWN_LOG, { id: p1, first: 20 });
    const bundle = bundleOf(res, 'accessLogAuditEvents');
    // The newest event is the accessLog read just made; the rest are what accessLog listed.
    const [logRead] = await eventsOf(log);
    const ids = auditEvents(bundle).map((e) => e.id);
    expect(ids[0]).toBe(logRead.id);
    expect(ids.slice(1)).toEqual(log.body.data.accessLog.nodes.map((n: any) => n.id).slice(0, 19));
    const read = auditEvents(bundle).find((e) => userOf(e).who.identifier?.value === 'clin-dekker');
    expect(read).toMatchObject({
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest' },
      subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }],
      action: 'R', outcome: '0',
      source: { type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4' }] },
    });
    expect(userOf(read)).toMatchObject({
      role: [{ coding: [{ system: 'urn:patient-record-api:role', code: 'TREATING_CLINICIAN' }] }],
      who: { identifier: { value: 'clin-dekker', assigner: { display: 'LUMC' } } },
      purposeOfUse: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }] }],
    });
    expect(read.entity).toContainEqual({
      what: { reference: `Patient/${p1}` },
      type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '1', display: 'Person' },
      role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' },
    });
    expect(detailOf(read, 'categoriesGranted')?.split(' ')).toEqual(expect.arrayContaining(['IDENTITY', 'LAB']));
    expect(detailOf(read, 'basis')).toBe('care-relationship');
    for (const e of auditEvents(bundle)) expect(e.entity[0].what.reference).toBe(`Patient/${p1}`);
    expect(res.text).not.toContain(p2);
  });

  test('reading it is logged like accessLog: one READ event for the patient, ACCESS_LOG granted', async () => {
    const res = await api.gql('P-0001', OWN_LOG, { id: p1, first: 5 });
    bundleOf(res, 'accessLogAuditEvents');
    const events = await eventsOf(res);
    expect(events.map((e) => [e.patient_id, e.actor_subject, e.action, e.outcome])).toEqual([[p1, 'P-0001', 'READ', 'GRANTED']]);
    expect(events[0].categories_granted).toEqual(['ACCESS_LOG']);
  });

  test('paged by cursor: next leads to the following events, none twice', async () => {
    const first = bundleOf(await api.gql('P-0001', OWN_LOG, { id: p1, first: 2 }), 'accessLogAuditEvents');
    const next = first.link.find((l: any) => l.relation === 'next');
    expect(next.url).toMatch(/^accessLogAuditEvents\?patientId=[0-9a-f-]+&first=2&after=[A-Za-z0-9_-]+$/);
    const after = decodeURIComponent(/after=([^&]+)/.exec(next.url)![1]);
    const second = bundleOf(await api.gql('P-0001', OWN_LOG, { id: p1, first: 2, after }), 'accessLogAuditEvents');
    const ids = [...auditEvents(first), ...auditEvents(second)].map((e) => e.id);
    expect(new Set(ids).size).toBe(4);
  });

  test('another patient and a representative appear by role only: no subject, no organisation, no client', async () => {
    const rep = await api.gql('rep-smit', READ, { id: p3 });
    expect(rep.body.errors).toBeUndefined();
    const res = await api.gql('P-0003', OWN_LOG, { id: p3, first: 50 });
    const bundle = bundleOf(res, 'accessLogAuditEvents');
    const byRep = auditEvents(bundle).filter((e) => userOf(e).role[0].coding[0].code === 'LEGAL_REPRESENTATIVE');
    expect(byRep.length).toBeGreaterThan(0);
    for (const e of byRep) {
      expect(userOf(e).who).toEqual({ display: 'LEGAL_REPRESENTATIVE' });
      expect(e.agent.filter((a: any) => !a.requestor).map((a: any) => a.type.coding[0].code)).toEqual(['110152']);
    }
    expect(res.text).not.toContain('rep-smit');
    // The representative reads the same log and sees their own events by name.
    const own = bundleOf(await api.gql('rep-smit', OWN_LOG, { id: p3, first: 50 }), 'accessLogAuditEvents');
    expect(auditEvents(own).some((e) => userOf(e).who.identifier?.value === 'rep-smit')).toBe(true);
  });

  test('another patient\'s log → NOT_FOUND, as for a patient that does not exist; roles without ACCESS_LOG → FORBIDDEN', async () => {
    const res = await api.gql('P-0001', OWN_LOG, { id: p2 });
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ accessLogAuditEvents: 'NOT_FOUND' });
    const unknown = await api.gql('P-0001', OWN_LOG, { id: '00000000-0000-4000-8000-000000000000' });
    expect(res.body).toEqual(unknown.body);
    for (const subject of ['clin-dekker', 'gp-jansen', 'ins-alpha', 'admin-mulder']) {
      const refused = await api.gql(subject, OWN_LOG, { id: p1 });
      expect(refused.body.data).toBeNull();
      expect(errorCodes(refused)).toEqual({ accessLogAuditEvents: 'FORBIDDEN' });
      expect(refused.text).not.toContain('resourceType');
    }
  });
});

describe('the privacy officer\'s feed of the whole log', () => {
  /**
   * Follows next from the start up to the events its own first page caused: reading the feed is
   * logged, so a tail of it never ends — a SIEM keeps the last next and asks it again later.
   */
  async function readWholeFeed(): Promise<{ events: any[]; responses: GqlResponse[] }> {
    const events: any[] = [];
    const responses: GqlResponse[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await api.gql('dpo-01', FEED, { first: 100, after });
      responses.push(res);
      const bundle = bundleOf(res, 'auditEvents');
      events.push(...auditEvents(bundle));
      const next = bundle.link.find((l: any) => l.relation === 'next');
      if (!next || events.some((e) => detailOf(e, 'requestId') === responses[0].headers.get('x-request-id'))) break;
      after = decodeURIComponent(/after=([^&]+)/.exec(next.url)![1]);
      expect(responses.length).toBeLessThan(100);
    }
    return { events, responses };
  }

  test('every event once, oldest first, until the feed reaches its own reads', async () => {
    const before = Number((await api.sql('SELECT count(*) AS n FROM access_event'))[0].n);
    const { events } = await readWholeFeed();
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(events.length).toBeGreaterThanOrEqual(before);
    const recorded = events.map((e) => e.recorded);
    expect(recorded).toEqual([...recorded].sort());
  });

  test('past the newest event: an empty page without entries and without next', async () => {
    const [{ seq }] = await api.sql('SELECT max(seq) + 1000 AS seq FROM access_event');
    const after = Buffer.from(`v1:${seq}`, 'utf8').toString('base64url');
    const bundle = bundleOf(await api.gql('dpo-01', FEED, { after }), 'auditEvents');
    expect(bundle.entry).toBeUndefined();
    expect(bundle.link.map((l: any) => l.relation)).toEqual(['self']);
  });

  test('break-the-glass: ETREAT, the reason, the emergency override event; a refusal has outcome 4', async () => {
    const requestId = await breakGlassOnP2();
    const denied = await api.gql('clin-dekker', READ, { id: p2 });
    expect(errorCodes(denied)).toEqual({ patient: 'NOT_FOUND' });
    const { events } = await readWholeFeed();
    const opening = events.find((e) => e.subtype[0].code === '110127' && e.entity[0].what?.reference === `Patient/${p2}`);
    expect(opening).toMatchObject({ type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110113' }, action: 'E', outcome: '0' });
    const reads = events.filter((e) => detailOf(e, 'requestId') === requestId);
    expect(reads).toHaveLength(1);
    for (const e of [opening, reads[0]]) {
      expect(userOf(e).purposeOfUse[0].coding[0]).toEqual({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'ETREAT', display: 'Emergency Treatment' });
      expect(detailOf(e, 'breakGlassReason')).toBe('Unconscious at the ED, no relatives reachable');
      expect(userOf(e).who.identifier.value).toBe('clin-visser');
    }
    const refusal = events.find((e) => detailOf(e, 'requestId') === denied.headers.get('x-request-id'));
    expect(refusal).toMatchObject({ action: 'R', outcome: '4', outcomeDesc: 'refused' });
    expect(detailOf(refusal, 'categoriesGranted')).toBeUndefined();
  });

  test('a partial release: outcome 0, the withheld categories named; insurer and researcher purposes of use', async () => {
    const gp = await api.gql('gp-jansen', `query($id: ID!) { patient(id: $id) { labResults { value } diagnoses { code } } }`, { id: p1 });
    const insurer = await api.gql('ins-alpha', `query($id: ID!) { patient(id: $id) { insurance { policyNumber } } }`, { id: p1 });
    const { events } = await readWholeFeed();
    const partial = events.find((e) => detailOf(e, 'requestId') === gp.headers.get('x-request-id'));
    expect(partial).toMatchObject({ outcome: '0', outcomeDesc: expect.stringContaining('DIAGNOSES') });
    expect(detailOf(partial, 'categoriesWithheld')).toContain('DIAGNOSES');
    const billing = events.find((e) => detailOf(e, 'requestId') === insurer.headers.get('x-request-id'));
    expect(userOf(billing).purposeOfUse[0].coding[0].code).toBe('HPAYMT');
  });

  test('reading the feed is logged: one event per listed patient, ACCESS_LOG granted to the privacy officer', async () => {
    const res = await api.gql('dpo-01', FEED, { first: 100 });
    const bundle = bundleOf(res, 'auditEvents');
    const listed = new Set(auditEvents(bundle).map((e) => e.entity.find((x: any) => x.what)?.what.reference.slice('Patient/'.length)).filter(Boolean));
    const logged = await eventsOf(res);
    expect(new Set(logged.map((e) => e.patient_id))).toEqual(listed);
    for (const e of logged) expect([e.actor_subject, e.categories_granted]).toEqual(['dpo-01', ['ACCESS_LOG']]);
  });

  test('open to the privacy officer only; a bad cursor or page size is refused', async () => {
    for (const subject of ['P-0001', 'rep-smit', 'clin-dekker', 'gp-jansen', 'res-study-01']) {
      const res = await api.gql(subject, FEED, {});
      expect(res.body.data).toBeNull();
      expect(errorCodes(res)).toEqual({ auditEvents: 'FORBIDDEN' });
    }
    expect(errorCodes(await api.gql('dpo-01', FEED, { after: 'not-a-cursor' }))).toEqual({ auditEvents: 'BAD_USER_INPUT' });
    expect(errorCodes(await api.gql('dpo-01', FEED, { first: 101 }))).toEqual({ auditEvents: 'BAD_USER_INPUT' });
  });

  test('the validators are not vacuous for AuditEvent: a wrong action, outcome or a missing type is an error', async () => {
    const bundle = bundleOf(await api.gql('dpo-01', FEED, { first: 1 }), 'auditEvents');
    const event = auditEvents(bundle)[0];
    const broken = { ...event, action: 'X', outcome: '3', type: undefined };
    delete broken.type;
    expect(validateFhir(broken).errors).toEqual(expect.arrayContaining([
      expect.stringContaining('AuditEvent.type'), expect.stringContaining('AuditEvent.action'), expect.stringContaining('AuditEvent.outcome'),
    ]));
  });
});

describe('GET /fhir/AuditEvent: the same log as a FHIR search, application/fhir+json', () => {
  const base = () => api.server.url.replace(/\/graphql$/, '');
  async function search(subject: string | null, query: string): Promise<{ status: number; type: string | null; body: any; text: string; requestId: string | null }> {
    const headers: Record<string, string> = subject ? { authorization: `Bearer ${await api.token(subject)}` } : {};
    const res = await fetch(`${base()}/fhir/AuditEvent${query}`, { headers });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(text), text, requestId: res.headers.get('x-request-id') };
  }

  beforeAll(async () => {
    // Events to find, whatever ran before: three clinician reads and a patient reading their record.
    for (let n = 0; n < 3; n++) await api.gql('clin-dekker', READ, { id: p1 });
    await api.gql('P-0001', READ, { id: p1 });
  });

  test('the privacy officer pages the feed with _count and _cursor through next links of this route', async () => {
    const first = await search('dpo-01', '?_count=3');
    expect([first.status, first.type]).toEqual([200, 'application/fhir+json; charset=utf-8']);
    expect(first.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(validateFhir(first.body).errors).toEqual([]);
    const next = first.body.link.find((l: any) => l.relation === 'next').url;
    expect(next).toMatch(/^\/fhir\/AuditEvent\?_count=3&_cursor=[A-Za-z0-9_-]+$/);
    const second = await search('dpo-01', next.slice('/fhir/AuditEvent'.length));
    expect(second.status).toBe(200);
    const ids = [...first.body.entry, ...second.body.entry].map((e: any) => e.resource.id);
    expect(second.body.entry.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    // Reading over this route is logged like the GraphQL field: one event per listed patient.
    const logged = await api.sql('SELECT actor_subject, categories_granted FROM access_event WHERE request_id = $1', [first.requestId]);
    expect(logged.length).toBeGreaterThan(0);
    for (const e of logged) expect([e.actor_subject, e.categories_granted]).toEqual(['dpo-01', ['ACCESS_LOG']]);
  });

  test('the patient reads their own log with patient=; another patient\'s is 404, the feed is 403, no token is 401', async () => {
    const own = await search('P-0001', `?patient=${p1}&_count=5`);
    expect(own.status).toBe(200);
    for (const e of own.body.entry) expect(e.resource.entity[0].what.reference).toBe(`Patient/${p1}`);
    const other = await search('P-0001', `?patient=Patient/${p2}`);
    expect([other.status, other.body.resourceType, other.body.issue[0].code]).toEqual([404, 'OperationOutcome', 'not-found']);
    expect(other.text).not.toContain(p2);
    const feed = await search('P-0001', '');
    expect([feed.status, feed.body.issue[0].code]).toEqual([403, 'forbidden']);
    expect(feed.text).not.toContain('AuditEvent"');
    expect((await search(null, '')).status).toBe(401);
  });

  test('unsupported parameters and a bad _count are refused before anything runs', async () => {
    const before = Number((await api.sql('SELECT count(*) AS n FROM access_event'))[0].n);
    const unknown = await search('dpo-01', '?date=ge2024-01-01');
    expect([unknown.status, unknown.body.issue[0].code]).toEqual([400, 'not-supported']);
    expect((await search('dpo-01', '?_count=0')).status).toBe(400);
    expect((await search('dpo-01', '?_count=101')).status).toBe(400);
    expect((await search('dpo-01', '?_cursor=nonsense')).status).toBe(400);
    expect(Number((await api.sql('SELECT count(*) AS n FROM access_event'))[0].n)).toBe(before);
  });
});
