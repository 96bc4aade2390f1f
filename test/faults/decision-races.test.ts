/**
 * Races between decisions of one patient (issue: concurrent consent decisions left several in
 * force; concurrent objections of one kind left several active). Each round sends the decisions
 * at once over HTTP (Promise.all) and then checks the database and the gate:
 *
 * - exactly one consent decision in force per patient and channel, and the gate follows it;
 * - a grant taking effect at the same moment as a refusal (a tie): the refusal wins (docs/concurrency.md);
 * - a two-party consent confirmed by both parties at once takes effect once;
 * - one active objection per patient and kind, the duplicates refused with BAD_USER_INPUT;
 * - every accepted decision logged once, nothing written for a refused one.
 */
import { Client } from 'pg';
import { OneDecisionInForce1795373600000 as Migration } from '../../migrations/1795373600000-OneDecisionInForce';
import { startTestApi, TestApi, GqlResponse } from '../support/harness';
import { BY_NUMBER, countRows } from '../gates/gate-support';

let api: TestApi;
const ROUNDS = 10;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const SET = `mutation($input: SetConsentInput!) { setConsent(input: $input) { id granted confirmedAt withdrawnAt } }`;
const LODGE = `mutation($input: LodgeObjectionInput!) { lodgeObjection(input: $input) { id kind withdrawnAt } }`;
const WITHDRAW_OBJECTION = `mutation($id: ID!) { withdrawObjection(id: $id) { id withdrawnAt } }`;

interface Decision { id: string; granted: boolean; confirmed_at: Date | null; withdrawn_at: Date | null; decided_at: Date }
const inForce = (patientId: string, channel: string) => api.sql<Decision>(
  'SELECT id, granted, confirmed_at, withdrawn_at, decided_at FROM consent WHERE patient_id = $1 AND channel = $2 AND confirmed_at IS NOT NULL AND withdrawn_at IS NULL',
  [patientId, channel]);

/** How many access events (of an action) each request left, by the response's x-request-id. */
async function eventsPerRequest(responses: GqlResponse[], action = '%'): Promise<number[]> {
  const ids = responses.map((r) => r.headers.get('x-request-id'));
  const rows = await api.sql<{ request_id: string; n: number }>(
    'SELECT request_id, count(*)::int AS n FROM access_event WHERE request_id = ANY($1) AND action LIKE $2 GROUP BY request_id', [ids, action]);
  return ids.map((id) => rows.find((r) => r.request_id === id)?.n ?? 0);
}

async function gpReadsP1(): Promise<boolean> {
  const res = await api.gql('gp-jansen', BY_NUMBER, { n: 'P-0001' });
  expect(res.status).toBe(200);
  return res.body.data?.patientByNumber?.patientNumber === 'P-0001' && (res.body.data.patientByNumber.labResults?.length ?? 0) > 0;
}

/** Asserts one decision in force on P-0001's GP_VIEW, the one that took effect last, and that gp-jansen's access follows it. */
async function expectOneInForceFollowedByGate(patientId: string, decisions: GqlResponse[]): Promise<Decision> {
  const current = await inForce(patientId, 'GP_VIEW');
  expect(current).toHaveLength(1);
  const [latest] = await api.sql<{ id: string }>(
    'SELECT id FROM consent WHERE patient_id = $1 AND channel = $2 AND confirmed_at IS NOT NULL ORDER BY confirmed_at DESC, granted ASC LIMIT 1', [patientId, 'GP_VIEW']);
  expect(current[0].id).toBe(latest.id);
  // Each of this round's decisions is either the one in force or withdrawn.
  const ids = decisions.map((d) => d.body.data.setConsent.id);
  const rows = await api.sql<Decision>('SELECT id, granted, confirmed_at, withdrawn_at, decided_at FROM consent WHERE id = ANY($1)', [ids]);
  expect(rows.filter((r) => r.withdrawn_at === null).map((r) => r.id)).toEqual(ids.includes(current[0].id) ? [current[0].id] : []);
  expect(await gpReadsP1()).toBe(current[0].granted);
  return current[0];
}

test('the patient withdraws while administration records a paper consent: one decision in force, and the gate follows it', async () => {
  const p1 = await api.patientId('P-0001');
  const winners = new Set<boolean>();
  for (let round = 0; round < ROUNDS; round++) {
    // Start each round with the consent in force, as when the race was found.
    const grant = await api.gql('P-0001', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: true } });
    expect(grant.body.errors).toBeUndefined();
    const both = await Promise.all([
      api.gql('P-0001', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: false } }),
      api.gql('admin-mulder', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: true } }),
    ]);
    for (const d of both) expect(d.body.errors).toBeUndefined();
    expect(await eventsPerRequest(both)).toEqual([1, 1]);
    winners.add((await expectOneInForceFollowedByGate(p1, both)).granted);
  }
  process.stderr.write(`\nwithdrawal against paper consent, ${ROUNDS} rounds: in force at the end of a round ${[...winners].map((g) => (g ? 'the grant' : 'the refusal')).join(' or ')}\n`);
}, 60_000);

test('several decisions at once: always exactly one in force, and the gate follows it', async () => {
  const p1 = await api.patientId('P-0001');
  for (let round = 0; round < ROUNDS; round++) {
    const decisions = await Promise.all([
      api.gql('P-0001', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: round % 2 === 0 } }),
      api.gql('admin-mulder', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: true } }),
      api.gql('P-0001', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: false } }),
      api.gql('admin-mulder', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: true } }),
    ]);
    for (const d of decisions) expect(d.body.errors).toBeUndefined();
    expect(await eventsPerRequest(decisions)).toEqual([1, 1, 1, 1]);
    await expectOneInForceFollowedByGate(p1, decisions);
  }
}, 60_000);

test('a tie: a grant taking effect at the same moment as the refusal in force does not override it', async () => {
  const p1 = await api.patientId('P-0001');
  const refusal = await api.gql('P-0001', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: false } });
  expect(refusal.body.errors).toBeUndefined();
  // The refusal took effect "now" by the clock of a replica a little ahead of this one: the same moment, for this one.
  await api.sql(`UPDATE consent SET decided_at = now() + interval '2 seconds', confirmed_at = now() + interval '2 seconds' WHERE id = $1`, [refusal.body.data.setConsent.id]);
  const grant = await api.gql('admin-mulder', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: true } });
  expect(grant.body.errors).toBeUndefined();
  expect(grant.body.data.setConsent).toMatchObject({ granted: true, confirmedAt: null });
  expect(grant.body.data.setConsent.withdrawnAt).toBeTruthy();
  const current = await inForce(p1, 'GP_VIEW');
  expect(current.map((c) => c.id)).toEqual([refusal.body.data.setConsent.id]);
  expect(await gpReadsP1()).toBe(false);
  const [event] = await api.sql('SELECT detail FROM access_event WHERE request_id = $1', [grant.headers.get('x-request-id')]);
  expect(event.detail).toMatch(/not in force/);
  // Once that moment has passed, a grant takes effect as usual.
  await api.sql(`UPDATE consent SET decided_at = now() - interval '1 second', confirmed_at = now() - interval '1 second' WHERE id = $1`, [refusal.body.data.setConsent.id]);
  const later = await api.gql('admin-mulder', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: true } });
  expect(later.body.data.setConsent.confirmedAt).toBeTruthy();
  expect(await gpReadsP1()).toBe(true);
});

test('a child of 13 and the parent grant at the same moment: the consent takes effect once, both confirmed', async () => {
  const p3 = await api.patientId('P-0003');
  for (let round = 0; round < ROUNDS; round++) {
    const refusal = await api.gql('rep-smit', SET, { input: { patientId: p3, channel: 'GP_VIEW', granted: false } });
    expect(refusal.body.errors).toBeUndefined();
    const both = await Promise.all([
      api.gql('rep-smit', SET, { input: { patientId: p3, channel: 'GP_VIEW', granted: true } }),
      api.gql('P-0003', SET, { input: { patientId: p3, channel: 'GP_VIEW', granted: true } }),
    ]);
    for (const d of both) expect(d.body.errors).toBeUndefined();
    const current = await inForce(p3, 'GP_VIEW');
    expect(current).toHaveLength(1);
    expect(current[0].granted).toBe(true);
    const pending = await countRows(api, 'consent', 'patient_id = $1 AND channel = $2 AND confirmed_at IS NULL AND withdrawn_at IS NULL', [p3, 'GP_VIEW']);
    expect(pending).toBe(0);
    const res = await api.gql('gp-peters', BY_NUMBER, { n: 'P-0003' });
    expect(res.body.data.patientByNumber?.patientNumber).toBe('P-0003');
  }
}, 60_000);

test('ten objections of one kind at once: one is on file, nine are BAD_USER_INPUT; withdrawing it ends the block', async () => {
  const p1 = await api.patientId('P-0001');
  const grant = await api.gql('P-0001', SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: true } });
  expect(grant.body.errors).toBeUndefined();
  for (let round = 0; round < ROUNDS; round++) {
    const [{ seq: seqBefore }] = await api.sql('SELECT coalesce(max(seq), 0) AS seq FROM access_event');
    const lodged = await Promise.all(Array.from({ length: 10 }, () =>
      api.gql('P-0001', LODGE, { input: { patientId: p1, kind: 'GP_PORTAL_BLOCK', lodgedByRelation: 'SELF' } })));
    const accepted = lodged.filter((r) => !r.body.errors);
    const refused = lodged.filter((r) => r.body.errors);
    expect(accepted).toHaveLength(1);
    for (const r of refused) {
      expect(r.status).toBe(200);
      expect(r.body.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(r.body.data).toBeNull();
      expect(r.text).not.toMatch(/duplicate key|unique|constraint|objection_/i);
    }
    expect(await countRows(api, 'objection', 'patient_id = $1 AND kind = $2 AND withdrawn_at IS NULL', [p1, 'GP_PORTAL_BLOCK'])).toBe(1);
    // The accepted one is logged once as a write; the refused ones wrote nothing (their admission is logged as a READ).
    expect(await eventsPerRequest(lodged, 'CREATE')).toEqual(lodged.map((r) => (r.body.errors ? 0 : 1)));
    expect(await countRows(api, 'access_event', `patient_id = $1 AND action = 'CREATE' AND seq > $2`, [p1, seqBefore])).toBe(1);
    expect(await gpReadsP1()).toBe(false);
    const withdrawn = await api.gql('P-0001', WITHDRAW_OBJECTION, { id: accepted[0].body.data.lodgeObjection.id });
    expect(withdrawn.body.errors).toBeUndefined();
    expect(await countRows(api, 'objection', 'patient_id = $1 AND kind = $2 AND withdrawn_at IS NULL', [p1, 'GP_PORTAL_BLOCK'])).toBe(0);
    expect(await gpReadsP1()).toBe(true);
  }
}, 60_000);

test('the same objection withdrawn ten times at once: one withdrawal, nine BAD_USER_INPUT', async () => {
  const p1 = await api.patientId('P-0001');
  const lodged = await api.gql('P-0001', LODGE, { input: { patientId: p1, kind: 'TRAINEES', lodgedByRelation: 'SELF' } });
  expect(lodged.body.errors).toBeUndefined();
  const results = await Promise.all(Array.from({ length: 10 }, () => api.gql('P-0001', WITHDRAW_OBJECTION, { id: lodged.body.data.lodgeObjection.id })));
  expect(results.filter((r) => !r.body.errors)).toHaveLength(1);
  for (const r of results.filter((x) => x.body.errors)) expect(r.body.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
}, 60_000);

test('a duplicate the lock cannot see (another writer) is refused by the database: BAD_USER_INPUT, nothing written', async () => {
  const p1 = await api.patientId('P-0001');
  const other = new Client({ connectionString: api.config.databaseUrl, options: `-c search_path=${api.config.databaseSchema}` });
  await other.connect();
  try {
    // Another writer inserts an active objection and has not committed yet.
    await other.query('BEGIN');
    await other.query(`INSERT INTO objection (id, patient_id, kind, lodged_at, lodged_by, lodged_by_relation) VALUES (gen_random_uuid(), $1, 'CANCER_REGISTRY', now(), 'P-0001', 'SELF')`, [p1]);
    const [{ seq: seqBefore }] = await api.sql('SELECT coalesce(max(seq), 0) AS seq FROM access_event');
    const pending = api.gql('P-0001', LODGE, { input: { patientId: p1, kind: 'CANCER_REGISTRY', lodgedByRelation: 'SELF' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await other.query('COMMIT');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(res.text).not.toMatch(/duplicate key|unique|constraint|objection_one/i);
    expect(await countRows(api, 'objection', `patient_id = $1 AND kind = 'CANCER_REGISTRY'`, [p1])).toBe(1);
    expect(await countRows(api, 'access_event', `action = 'CREATE' AND seq > $1`, [seqBefore])).toBe(0);
  } finally {
    await other.end();
  }
});

describe('the other decisions of that shape', () => {
  const DECIDE = `mutation($id: ID!, $approve: Boolean!, $reason: String!) { decideDestruction(id: $id, approve: $approve, reason: $reason) { id status } }`;
  const REQUEST = `mutation($input: DestructionRequestInput!) { requestDestruction(input: $input) { id } }`;

  test('a destruction request decided ten times at once (approve and refuse): one decision, one tombstone', async () => {
    const p3 = await api.patientId('P-0003');
    for (let round = 0; round < 3; round++) {
      const req = await api.gql('rep-smit', REQUEST, { input: { patientId: p3, scope: 'FAMILY_HISTORY', reason: 'Please remove the family history.' } });
      expect(req.body.errors).toBeUndefined();
      const id = req.body.data.requestDestruction.id;
      const decisions = await Promise.all(Array.from({ length: 10 }, (_, i) => api.gql('dpo-01', DECIDE, { id, approve: i % 2 === 0, reason: `decision number ${i}` })));
      const accepted = decisions.filter((d) => !d.body.errors);
      expect(accepted).toHaveLength(1);
      for (const d of decisions.filter((x) => x.body.errors)) expect(d.body.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      const events = await api.sql(`SELECT action FROM access_event WHERE detail LIKE $1 AND action IN ('DELETE', 'UPDATE')`, [`%${id}%`]);
      expect(events).toHaveLength(1);
      const [row] = await api.sql('SELECT status FROM destruction_request WHERE id = $1', [id]);
      expect(row.status).toBe(accepted[0].body.data.decideDestruction.status);
    }
  });

  test('a portal token revoked ten times at once: revoked once, logged once', async () => {
    const service = { token: await api.token('gp-portal-svc') };
    const issued = await api.gql(service, `mutation($input: IssuePortalTokenInput!) { issuePortalToken(input: $input) { jti token } }`,
      { input: { practitionerSubject: 'gp-jansen', role: 'GP', organisation: 'HUISARTS-JANSEN', patientNumber: 'P-0001', scope: ['LAB'] } });
    expect(issued.body.errors).toBeUndefined();
    const { jti } = issued.body.data.issuePortalToken;
    const revocations = await Promise.all(Array.from({ length: 10 }, () => api.gql(service, `mutation($jti: ID!) { revokeIssuedToken(jti: $jti) { jti revokedAt } }`, { jti })));
    for (const r of revocations) expect(r.body.errors).toBeUndefined();
    expect(new Set(revocations.map((r) => r.body.data.revokeIssuedToken.revokedAt)).size).toBe(1);
    expect(await countRows(api, 'access_event', 'detail = $1', [`portal token ${jti} revoked`])).toBe(1);
    expect(await countRows(api, 'revoked_token', 'jti = $1', [jti])).toBe(1);
  });

  test('break-the-glass opened ten times at once: every opening is its own logged session, none lost', async () => {
    const p2 = await api.patientId('P-0002');
    const emergency = { token: await api.token('clin-visser', { purpose: 'EMERGENCY' }) };
    const reason = 'Unconscious patient, no relatives reachable; need the medication history.';
    const opened = await Promise.all(Array.from({ length: 10 }, () =>
      api.gql(emergency, `mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r) { id } }`, { p: p2, r: reason })));
    for (const r of opened) expect(r.body.errors).toBeUndefined();
    expect(await countRows(api, 'break_glass_session', 'patient_id = $1', [p2])).toBe(10);
    expect(await eventsPerRequest(opened, 'BREAK_GLASS')).toEqual(opened.map(() => 1));
  });
});

test('the migration withdraws duplicates left by earlier races: the latest consent (a refusal winning a tie) and the first objection stay', async () => {
  const p2 = await api.patientId('P-0002');
  const runner = api.database.dataSource.createQueryRunner();
  await runner.connect();
  try {
    await new Migration().down(runner);
    const at = '2026-01-01T10:00:00Z';
    const consent = (granted: boolean, decidedAt: string) => api.sql<{ id: string }>(
      `INSERT INTO consent (id, patient_id, channel, granted, decided_at, decided_by, decided_by_role, confirmed_at) VALUES (gen_random_uuid(), $1, 'XDS', $2, $3, 'P-0002', 'PATIENT', $3) RETURNING id`,
      [p2, granted, decidedAt]);
    await consent(true, '2025-12-01T10:00:00Z');
    await consent(true, at);
    const [refusal] = await consent(false, at);
    const objection = (lodgedAt: string) => api.sql<{ id: string }>(
      `INSERT INTO objection (id, patient_id, kind, lodged_at, lodged_by, lodged_by_relation) VALUES (gen_random_uuid(), $1, 'CANCER_REGISTRY', $2, 'P-0002', 'SELF') RETURNING id`, [p2, lodgedAt]);
    const [first] = await objection('2025-01-01T10:00:00Z');
    await objection('2025-02-01T10:00:00Z');
    await new Migration().up(runner);
    expect((await inForce(p2, 'XDS')).map((c) => c.id)).toEqual([refusal.id]);
    expect((await api.sql(`SELECT id FROM objection WHERE patient_id = $1 AND kind = 'CANCER_REGISTRY' AND withdrawn_at IS NULL`, [p2])).map((o) => o.id)).toEqual([first.id]);
  } finally {
    await runner.release();
  }
});
