/**
 * The NEN 7513 access log through the API (SPEC §5): what one request writes, the patient's own
 * view, the privacy officer's break-the-glass review queue, and the tamper-evident chain.
 * The tampering tests come last: they break the chain for everything after them.
 */
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

interface EventRow {
  id: string;
  seq: string;
  actor_subject: string;
  actor_role: string;
  actor_organisation: string | null;
  purpose: string;
  action: string;
  patient_id: string | null;
  categories_granted: string[];
  categories_denied: string[];
  outcome: string;
  basis: string | null;
  break_glass_reason: string | null;
  request_id: string;
  hash: string;
}

/** The request id the server gave this response. */
function requestIdOf(res: GqlResponse): string {
  const id = res.headers.get('x-request-id');
  expect(id).toBeTruthy();
  return id!;
}

/** The access events one request wrote, in chain order. */
const eventsOf = (res: GqlResponse) =>
  api.sql<EventRow>('SELECT * FROM access_event WHERE request_id = $1 ORDER BY seq', [requestIdOf(res)]);

const eventCount = async () => Number((await api.sql<{ n: string }>('SELECT count(*) AS n FROM access_event'))[0].n);

const READ_LAB_AND_DIAGNOSES = `query($id: ID!) { patient(id: $id) { labResults { value } diagnoses { code } } }`;

const ACCESS_LOG = `query($id: ID!, $first: Int, $after: String) {
  accessLog(patientId: $id, first: $first, after: $after) {
    nodes { id at actorSubject actorRole actorOrganisation purpose action patientId categoriesGranted categoriesDenied outcome basis breakGlassReason requestId }
    pageInfo { endCursor hasNextPage }
  }
}`;

const REVIEW_QUEUE = `query($first: Int, $after: String) {
  breakGlassReviewQueue(first: $first, after: $after) {
    nodes { id action actorSubject actorRole purpose patientId outcome categoriesGranted breakGlassReason requestId }
    pageInfo { endCursor hasNextPage }
  }
}`;

const VERIFY = `{ verifyAccessLog { ok checked firstBrokenEventId } }`;

describe('what one request writes', () => {
  test('a GP reading P-0001 writes exactly one READ event with who, why, what and the outcome', async () => {
    const res = await api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: p1 });
    expect(res.status).toBe(200);
    expect(res.body.data.patient.labResults.length).toBeGreaterThan(0);
    expect(errorCodes(res)).toEqual({ 'patient.diagnoses': 'FORBIDDEN' });

    const events = await eventsOf(res);
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e).toMatchObject({
      patient_id: p1,
      actor_subject: 'gp-jansen',
      actor_role: 'GP',
      actor_organisation: 'HUISARTS-JANSEN',
      purpose: 'CARE_EXCHANGE',
      action: 'READ',
      outcome: 'PARTIAL',
      basis: 'registered-gp',
      break_glass_reason: null,
      request_id: res.headers.get('x-request-id'),
    });
    expect(e.categories_granted).toContain('LAB');
    expect(e.categories_granted).not.toContain('DIAGNOSES');
    expect(e.categories_denied).toContain('DIAGNOSES');
    expect(e.categories_denied).not.toContain('LAB');
  });

  test('a fully granted read has outcome GRANTED and no denied categories', async () => {
    const res = await api.gql('gp-jansen', `query($id: ID!) { patient(id: $id) { labResults { value } ecgs { rhythm } } }`, { id: p1 });
    expect(res.body.errors).toBeUndefined();
    const events = await eventsOf(res);
    expect(events).toHaveLength(1);
    expect(events[0].outcome).toBe('GRANTED');
    expect([...events[0].categories_granted].sort()).toEqual(['ECG', 'LAB']);
    expect(events[0].categories_denied).toEqual([]);
  });

  test('reading the same patient twice through aliases still writes ONE event for that patient', async () => {
    const res = await api.gql('gp-jansen', `query($id: ID!) {
      a: patient(id: $id) { labResults { value } }
      b: patient(id: $id) { ecgs { rhythm } }
      c: patientByNumber(patientNumber: "P-0001") { diagnoses { code } }
    }`, { id: p1 });
    expect(res.status).toBe(200);
    expect(res.body.data.a.labResults.length).toBeGreaterThan(0);
    const events = await eventsOf(res);
    expect(events).toHaveLength(1);
    expect(events[0].patient_id).toBe(p1);
    expect([...events[0].categories_granted].sort()).toEqual(['ECG', 'LAB']);
    expect(events[0].categories_denied).toEqual(['DIAGNOSES']);
    expect(events[0].outcome).toBe('PARTIAL');
  });

  test('a patients list writes one event per listed patient', async () => {
    const res = await api.gql('dpo-01', `{ patients(first: 10) { nodes { id patientNumber } } }`);
    expect(res.status).toBe(200);
    const listed: string[] = res.body.data.patients.nodes.map((n: { id: string }) => n.id);
    expect(listed.length).toBeGreaterThanOrEqual(4);
    const events = await eventsOf(res);
    expect(events.map((e) => e.patient_id).sort()).toEqual([...listed].sort());
    for (const e of events) {
      expect(e).toMatchObject({ actor_subject: 'dpo-01', actor_role: 'PRIVACY_OFFICER', purpose: 'ACCOUNTABILITY', action: 'READ', basis: 'accountability' });
      expect(e.categories_granted).toEqual(['IDENTITY']);
    }
  });

  test('a refused lookup writes a DENIED event with no categories granted', async () => {
    const res = await api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: p2 });
    expect(res.body.data?.patient ?? null).toBeNull();
    expect(errorCodes(res)).toEqual({ patient: 'NOT_FOUND' });
    const events = await eventsOf(res);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ patient_id: p2, actor_subject: 'gp-jansen', action: 'READ', outcome: 'DENIED' });
    expect(events[0].categories_granted).toEqual([]);
    expect(events[0].basis).toBeNull();
  });

  test('a lookup of a patient that does not exist is logged as DENIED without a patient', async () => {
    const res = await api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: '00000000-0000-4000-8000-000000000000' });
    expect(errorCodes(res)).toEqual({ patient: 'NOT_FOUND' });
    const events = await eventsOf(res);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ patient_id: null, outcome: 'DENIED' });
    expect(events[0].categories_granted).toEqual([]);
  });

  test('every request gets its own request id; a well-formed client-supplied one is echoed as a correlation id only', async () => {
    const a = await api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: p1 });
    const b = await api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: p1 });
    const [ida, idb] = [requestIdOf(a), requestIdOf(b)];
    expect(ida).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(idb).not.toBe(ida);
    expect(await eventsOf(a)).toHaveLength(1);
    expect(await eventsOf(b)).toHaveLength(1);

    const send = async (requestId: string) => {
      const res = await fetch(api.server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await api.token('gp-jansen')}`, 'x-request-id': requestId },
        body: JSON.stringify({ query: READ_LAB_AND_DIAGNOSES, variables: { id: p1 } }),
      });
      await res.text();
      return { requestId: res.headers.get('x-request-id'), correlationId: res.headers.get('x-correlation-id') };
    };
    // A client's id is a correlation id only: two requests may share one, the log's key stays unique.
    const supplied = `client-${Date.now()}-abc`;
    const [first, second] = [await send(supplied), await send(supplied)];
    expect(first.correlationId).toBe(supplied);
    expect(first.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.requestId).not.toBe(first.requestId);
    expect(await api.sql<EventRow>('SELECT * FROM access_event WHERE request_id = $1', [supplied])).toHaveLength(0);
    const rows = await api.sql<EventRow>('SELECT * FROM access_event WHERE request_id = $1', [first.requestId]);
    expect(rows).toHaveLength(1);
    expect(rows[0].patient_id).toBe(p1);
    const replaced = await send('bad id with spaces');
    expect(replaced.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.correlationId).toBeNull();
  });

  test('a request that touches no patient writes no event', async () => {
    const before = await eventCount();
    const res = await api.gql('gp-jansen', `{ me { role } }`);
    expect(res.status).toBe(200);
    expect(res.body.data.me.role).toBe('GP');
    expect(await eventsOf(res)).toEqual([]);
    expect(await eventCount()).toBe(before);
  });
});

describe("the patient's own view", () => {
  test("P-0001 sees the GP's access to its record, and only events of its own record", async () => {
    const gp = await api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: p1 });
    const gpRequest = requestIdOf(gp);
    // Some traffic on other patients, which must not show up in P-0001's log.
    await api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: p2 });
    await api.gql('clin-dekker', READ_LAB_AND_DIAGNOSES, { id: p3 });

    const res = await api.gql('P-0001', ACCESS_LOG, { id: p1, first: 100 });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.accessLog.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) expect(n.patientId).toBe(p1);
    const gpEvent = nodes.find((n: { requestId: string }) => n.requestId === gpRequest);
    expect(gpEvent).toMatchObject({
      actorSubject: 'gp-jansen', actorRole: 'GP', actorOrganisation: 'HUISARTS-JANSEN', purpose: 'CARE_EXCHANGE',
      action: 'READ', outcome: 'PARTIAL', basis: 'registered-gp', breakGlassReason: null,
    });
    expect(gpEvent.categoriesGranted).toContain('LAB');
    expect(gpEvent.categoriesDenied).toContain('DIAGNOSES');

    // Every event of P-0001 is there (first: 100 is more than there are), newest first.
    const truth = await api.sql<{ id: string }>('SELECT id FROM access_event WHERE patient_id = $1 ORDER BY seq DESC', [p1]);
    // truth[0] is this accessLog read itself, logged only after its response was built.
    expect(nodes.map((n: { id: string }) => n.id)).toEqual(truth.slice(1).map((r) => r.id));

    // Reading one's own log is itself an access, logged with the ACCESS_LOG category.
    const own = await eventsOf(res);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ patient_id: p1, actor_subject: 'P-0001', actor_role: 'PATIENT', basis: 'self', outcome: 'GRANTED' });
    expect(own[0].categories_granted).toEqual(['ACCESS_LOG']);
  });

  test("P-0001 asking for P-0002's log gets NOT_FOUND", async () => {
    const res = await api.gql('P-0001', ACCESS_LOG, { id: p2 });
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ accessLog: 'NOT_FOUND' });
    expect(res.text).not.toContain('gp-jansen');
  });

  test("the legal representative reads the represented child's log", async () => {
    const clin = await api.gql('clin-dekker', READ_LAB_AND_DIAGNOSES, { id: p3 });
    expect(clin.status).toBe(200);
    const res = await api.gql('rep-smit', ACCESS_LOG, { id: p3 });
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.accessLog.nodes;
    for (const n of nodes) expect(n.patientId).toBe(p3);
    expect(nodes.find((n: { requestId: string }) => n.requestId === requestIdOf(clin))).toMatchObject({ actorSubject: 'clin-dekker', basis: 'care-relationship' });
  });

  test('a clinician may not read the access log at all', async () => {
    const res = await api.gql('clin-dekker', ACCESS_LOG, { id: p1 });
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ accessLog: 'FORBIDDEN' });
    expect(res.text).not.toContain('gp-jansen');
  });

  test('paging with first/after walks the log newest first without overlap or gaps', async () => {
    for (let i = 0; i < 3; i++) await api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: p1 });
    const page1 = await api.gql('P-0001', ACCESS_LOG, { id: p1, first: 2 });
    expect(page1.body.errors).toBeUndefined();
    const first = page1.body.data.accessLog;
    expect(first.nodes).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(typeof first.pageInfo.endCursor).toBe('string');

    const page2 = await api.gql('P-0001', ACCESS_LOG, { id: p1, first: 2, after: first.pageInfo.endCursor });
    expect(page2.body.errors).toBeUndefined();
    const second = page2.body.data.accessLog;
    expect(second.nodes).toHaveLength(2);

    const ids1: string[] = first.nodes.map((n: { id: string }) => n.id);
    const ids2: string[] = second.nodes.map((n: { id: string }) => n.id);
    expect(ids1.filter((id) => ids2.includes(id))).toEqual([]);

    // The two pages are four consecutive entries of the patient's log, newest first.
    const truth = (await api.sql<{ id: string }>('SELECT id FROM access_event WHERE patient_id = $1 ORDER BY seq DESC', [p1])).map((r) => r.id);
    const start = truth.indexOf(ids1[0]);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(truth.slice(start, start + 4)).toEqual([...ids1, ...ids2]);

    // The last page says there is no next page.
    const total = truth.length - start; // what the walk from page 1 can reach
    const last = await api.gql('P-0001', ACCESS_LOG, { id: p1, first: 100, after: first.pageInfo.endCursor });
    expect(last.body.data.accessLog.nodes).toHaveLength(total - 2);
    expect(last.body.data.accessLog.pageInfo.hasNextPage).toBe(false);
  });

  test.each([0, -1, 101, 1000])('first: %p is refused with BAD_USER_INPUT', async (first) => {
    const res = await api.gql('P-0001', ACCESS_LOG, { id: p1, first });
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ accessLog: 'BAD_USER_INPUT' });
  });

  test('a cursor that is not ours is refused with BAD_USER_INPUT', async () => {
    const res = await api.gql('P-0001', ACCESS_LOG, { id: p1, after: 'not-a-cursor' });
    expect(errorCodes(res)).toEqual({ accessLog: 'BAD_USER_INPUT' });
  });
});

describe('break-the-glass review queue', () => {
  const reason = 'Unconscious patient at the emergency department, no relatives reachable';
  let breakRequest: string;
  let readRequest: string;

  beforeAll(async () => {
    const visser = await api.token('clin-visser', { purpose: 'EMERGENCY' });
    const opened = await api.gql({ token: visser }, `mutation($id: ID!, $reason: String!) { breakGlass(patientId: $id, reason: $reason) { id patientId expiresAt } }`, { id: p2, reason });
    expect(opened.body.errors).toBeUndefined();
    expect(opened.body.data.breakGlass.patientId).toBe(p2);
    breakRequest = requestIdOf(opened);
    const read = await api.gql({ token: visser }, `query($id: ID!) { patient(id: $id) { labResults { value } } }`, { id: p2 });
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.patient.labResults.length).toBeGreaterThan(0);
    readRequest = requestIdOf(read);
  });

  test('the break-the-glass opening and the read under it are logged with the reason', async () => {
    const opened = await api.sql<EventRow>('SELECT * FROM access_event WHERE request_id = $1', [breakRequest]);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ action: 'BREAK_GLASS', patient_id: p2, actor_subject: 'clin-visser', purpose: 'EMERGENCY', break_glass_reason: reason, basis: 'break-the-glass' });
    const read = await api.sql<EventRow>('SELECT * FROM access_event WHERE request_id = $1', [readRequest]);
    expect(read).toHaveLength(1);
    expect(read[0]).toMatchObject({ action: 'READ', patient_id: p2, outcome: 'GRANTED', break_glass_reason: reason, basis: 'break-the-glass' });
    expect(read[0].categories_granted).toEqual(['LAB']);
  });

  test("the privacy officer's queue lists the opening and the read, with the reason", async () => {
    const res = await api.gql('dpo-01', REVIEW_QUEUE, { first: 50 });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.breakGlassReviewQueue.nodes;
    for (const n of nodes) expect(n.breakGlassReason).toBeTruthy();
    const opening = nodes.find((n: { requestId: string }) => n.requestId === breakRequest);
    const read = nodes.find((n: { requestId: string }) => n.requestId === readRequest);
    expect(opening).toMatchObject({ action: 'BREAK_GLASS', actorSubject: 'clin-visser', purpose: 'EMERGENCY', patientId: p2, breakGlassReason: reason });
    expect(read).toMatchObject({ action: 'READ', actorSubject: 'clin-visser', patientId: p2, breakGlassReason: reason, categoriesGranted: ['LAB'] });
    // Newest first: the read came after the opening.
    expect(nodes.indexOf(read)).toBeLessThan(nodes.indexOf(opening));
    // Ordinary accesses (no break-the-glass) are not in the queue.
    expect(nodes.some((n: { actorSubject: string }) => n.actorSubject === 'gp-jansen')).toBe(false);
  });

  test('the queue pages with first/after', async () => {
    const page1 = await api.gql('dpo-01', REVIEW_QUEUE, { first: 1 });
    expect(page1.body.data.breakGlassReviewQueue.nodes).toHaveLength(1);
    expect(page1.body.data.breakGlassReviewQueue.pageInfo.hasNextPage).toBe(true);
    const page2 = await api.gql('dpo-01', REVIEW_QUEUE, { first: 1, after: page1.body.data.breakGlassReviewQueue.pageInfo.endCursor });
    expect(page2.body.data.breakGlassReviewQueue.nodes).toHaveLength(1);
    expect(page2.body.data.breakGlassReviewQueue.nodes[0].id).not.toBe(page1.body.data.breakGlassReviewQueue.nodes[0].id);
  });

  test.each(['clin-dekker', 'clin-visser', 'gp-jansen', 'P-0002', 'admin-mulder'])('%s may not read the review queue', async (subject) => {
    const res = await api.gql(subject, REVIEW_QUEUE, { first: 50 });
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ breakGlassReviewQueue: 'FORBIDDEN' });
    expect(res.text).not.toContain(reason);
  });
});

describe('the tamper-evident chain (runs last: it breaks the chain)', () => {
  const verify = async () => {
    const res = await api.gql('dpo-01', VERIFY);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    return res.body.data.verifyAccessLog as { ok: boolean; checked: number; firstBrokenEventId: string | null };
  };
  const rows = () => api.sql<EventRow>('SELECT * FROM access_event ORDER BY seq');
  /** Runs statements with the append-only trigger switched off, as a tamperer with owner rights would. */
  async function tamper(...statements: Array<[string, unknown[]?]>) {
    await api.sql('ALTER TABLE access_event DISABLE TRIGGER access_event_no_update');
    try {
      for (const [text, params] of statements) await api.sql(text, params);
    } finally {
      await api.sql('ALTER TABLE access_event ENABLE TRIGGER access_event_no_update');
    }
  }

  test('the intact chain verifies, covering every row, and the seq has no gaps', async () => {
    const result = await verify();
    const all = await rows();
    expect(all.length).toBeGreaterThan(10);
    expect(result).toEqual({ ok: true, checked: all.length, firstBrokenEventId: null });
    expect(all.map((r) => Number(r.seq))).toEqual(all.map((_, i) => i + 1));
  });

  test('concurrent requests extend one gap-free, verifiable chain', async () => {
    const before = await eventCount();
    const responses = await Promise.all([
      ...Array.from({ length: 6 }, () => api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: p1 })),
      ...Array.from({ length: 3 }, () => api.gql('dpo-01', `{ patients(first: 10) { nodes { patientNumber } } }`)),
      ...Array.from({ length: 3 }, () => api.gql('P-0001', ACCESS_LOG, { id: p1, first: 5 })),
    ]);
    for (const r of responses) expect(r.status).toBe(200);
    let added = 0;
    for (const r of responses) added += (await eventsOf(r)).length;
    expect(added).toBe(6 + 3 * 4 + 3);
    expect(await eventCount()).toBe(before + added);
    const all = await rows();
    expect(all.map((r) => Number(r.seq))).toEqual(all.map((_, i) => i + 1));
    expect(await verify()).toEqual({ ok: true, checked: all.length, firstBrokenEventId: null });
  });

  test.each(['clin-dekker', 'gp-jansen', 'P-0001', 'rep-smit'])('%s may not verify the chain', async (subject) => {
    const res = await api.gql(subject, VERIFY);
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ verifyAccessLog: 'FORBIDDEN' });
  });

  test('the log is append-only: UPDATE, DELETE and TRUNCATE are refused, also on the application connection', async () => {
    const [middle] = await api.sql<EventRow>('SELECT * FROM access_event ORDER BY seq OFFSET 3 LIMIT 1');
    await expect(api.sql('UPDATE access_event SET actor_subject = $1 WHERE id = $2', ['someone-else', middle.id])).rejects.toThrow(/append-only/);
    await expect(api.sql('DELETE FROM access_event WHERE id = $1', [middle.id])).rejects.toThrow(/append-only/);
    await expect(api.sql('TRUNCATE access_event')).rejects.toThrow(/append-only/);
    const app = api.database.dataSource;
    await expect(app.query('UPDATE access_event SET outcome = $1 WHERE id = $2', ['GRANTED', middle.id])).rejects.toThrow(/append-only/);
    await expect(app.query('DELETE FROM access_event WHERE id = $1', [middle.id])).rejects.toThrow(/append-only/);
    const [after] = await api.sql<EventRow>('SELECT * FROM access_event WHERE id = $1', [middle.id]);
    expect(after).toEqual(middle);
    expect((await verify()).ok).toBe(true);
  });

  test('changing the actor of a middle entry is reported at that entry; restoring it heals the chain', async () => {
    const all = await rows();
    const target = all[Math.floor(all.length / 2)];
    await tamper(['UPDATE access_event SET actor_subject = $1 WHERE id = $2', ['clin-visser', target.id]]);
    expect(await verify()).toEqual({ ok: false, checked: Number(target.seq) - 1, firstBrokenEventId: target.id });
    await tamper(['UPDATE access_event SET actor_subject = $1 WHERE id = $2', [target.actor_subject, target.id]]);
    expect((await verify()).ok).toBe(true);
  });

  test('changing the categories of a middle entry is reported at that entry', async () => {
    const all = await rows();
    const target = all.find((r, i) => i > 2 && i < all.length - 2 && r.categories_denied.length > 0)!;
    expect(target).toBeDefined();
    await tamper(['UPDATE access_event SET categories_granted = categories_granted || categories_denied, categories_denied = $1 WHERE id = $2', [[], target.id]]);
    expect(await verify()).toMatchObject({ ok: false, firstBrokenEventId: target.id });
    await tamper(['UPDATE access_event SET categories_granted = $1, categories_denied = $2 WHERE id = $3', [target.categories_granted, target.categories_denied, target.id]]);
    expect((await verify()).ok).toBe(true);
  });

  test('rewriting an entry together with its own hash is still caught', async () => {
    const all = await rows();
    const i = Math.floor(all.length / 3);
    const target = all[i];
    await tamper(['UPDATE access_event SET outcome = $1, hash = $2 WHERE id = $3', ['GRANTED', 'f'.repeat(64), target.id]]);
    const result = await verify();
    expect(result.ok).toBe(false);
    // Either the entry itself (content no longer matches its hash) or its successor (broken link).
    expect([target.id, all[i + 1].id]).toContain(result.firstBrokenEventId);
    await tamper(['UPDATE access_event SET outcome = $1, hash = $2 WHERE id = $3', [target.outcome, target.hash, target.id]]);
    expect((await verify()).ok).toBe(true);
  });

  test('deleting a middle entry is reported at the entry after it', async () => {
    const all = await rows();
    const i = Math.floor(all.length / 2);
    await tamper(['DELETE FROM access_event WHERE id = $1', [all[i].id]]);
    const result = await verify();
    expect(result).toEqual({ ok: false, checked: i, firstBrokenEventId: all[i + 1].id });
  });

  test('new requests still succeed and keep appending after a broken link', async () => {
    const res = await api.gql('gp-jansen', READ_LAB_AND_DIAGNOSES, { id: p1 });
    expect(res.status).toBe(200);
    expect(await eventsOf(res)).toHaveLength(1);
    expect((await verify()).ok).toBe(false);
  });
});
