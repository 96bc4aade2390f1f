/**
 * SPEC §4, TREATING_CLINICIAN / EMERGENCY: an open break-the-glass session for this clinician
 * and patient, opened with a written reason, time-limited (default 60 min), every access flagged
 * in the log (§5) for review. §3: THIRD_PARTY, SPECIAL_CATEGORY and PHOTOS are not released
 * under EMERGENCY.
 */
import { randomUUID } from 'node:crypto';
import { TestApi, errorCodes, startTestApi } from '../support/harness';
import { countRows, expectAbsent, expectNotFound, expectReadsLabs, expectRefused, labValues } from './gate-support';

let api: TestApi;
let p2: string;
let p3: string;
let emergency: { token: string };
let treatment: { token: string };

beforeAll(async () => {
  api = await startTestApi();
  p2 = await api.patientId('P-0002');
  p3 = await api.patientId('P-0003');
  emergency = { token: await api.token('clin-visser', { purpose: 'EMERGENCY', ttl: '2h' }) };
  treatment = { token: await api.token('clin-visser', { purpose: 'TREATMENT' }) };
});
afterAll(() => api?.close());

const BREAK = `mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r) { id patientId reason openedAt expiresAt } }`;
const REASON = 'Unconscious patient brought in by ambulance, no relatives reachable; need medication and lab history.';
const sessions = (patientId: string) => countRows(api, 'break_glass_session', 'patient_id = $1', [patientId]);

test('without a care relationship, TREATMENT is NOT_FOUND for P-0002', async () => {
  await expectRefused(api, api.gql, treatment, 'P-0002');
});

test('EMERGENCY without an open session is NOT_FOUND too', async () => {
  await expectRefused(api, api.gql, emergency, 'P-0002');
});

test('breakGlass under purpose TREATMENT is FORBIDDEN and writes no session', async () => {
  const res = await api.gql(treatment, BREAK, { p: p2, r: REASON });
  expect(res.body.data).toBeNull();
  expect(errorCodes(res)).toEqual({ breakGlass: 'FORBIDDEN' });
  expect(await sessions(p2)).toBe(0);
});

test('other roles cannot break the glass', async () => {
  for (const who of ['gp-jansen', 'admin-mulder', 'P-0002', 'dpo-01']) {
    const res = await api.gql(who, BREAK, { p: p2, r: REASON });
    expect(errorCodes(res)).toEqual({ breakGlass: 'FORBIDDEN' });
  }
  expect(await sessions(p2)).toBe(0);
});

test('a reason that is too short (also when padded) is BAD_USER_INPUT and writes no session', async () => {
  for (const r of ['short', '      short      ', '']) {
    const res = await api.gql(emergency, BREAK, { p: p2, r });
    expect(errorCodes(res)).toEqual({ breakGlass: 'BAD_USER_INPUT' });
    expect(res.body.data).toBeNull();
  }
  const tooLong = await api.gql(emergency, `mutation($p: ID!, $r: String!) { breakGlass(patientId: $p, reason: $r, minutes: 241) { id } }`, { p: p2, r: REASON });
  expect(errorCodes(tooLong)).toEqual({ breakGlass: 'BAD_USER_INPUT' });
  expect(await sessions(p2)).toBe(0);
  await expectRefused(api, api.gql, emergency, 'P-0002');
});

test('break-the-glass for a nonexistent patient is NOT_FOUND; a malformed id BAD_USER_INPUT; nothing written', async () => {
  const before = await countRows(api, 'break_glass_session');
  const res = await api.gql(emergency, BREAK, { p: randomUUID(), r: REASON });
  expectNotFound(res, 'breakGlass');
  const bad = await api.gql(emergency, BREAK, { p: 'P-0002', r: REASON });
  expect(errorCodes(bad)).toEqual({ breakGlass: 'BAD_USER_INPUT' });
  expect(await countRows(api, 'break_glass_session')).toBe(before);
});

describe('with an open session', () => {
  let session: { id: string; patientId: string; reason: string; openedAt: string; expiresAt: string };

  beforeAll(async () => {
    const res = await api.gql(emergency, BREAK, { p: p2, r: `   ${REASON}   ` });
    expect(res.body.errors).toBeUndefined();
    session = res.body.data.breakGlass;
  });

  test('the session is for P-0002, carries the trimmed reason and lasts 60 minutes', async () => {
    expect(session.patientId).toBe(p2);
    expect(session.reason).toBe(REASON);
    const minutes = (Date.parse(session.expiresAt) - Date.parse(session.openedAt)) / 60_000;
    expect(minutes).toBe(60);
    expect(Math.abs(Date.parse(session.openedAt) - Date.now())).toBeLessThan(60_000);
    const rows = await api.sql(`SELECT clinician_subject, reason FROM break_glass_session WHERE id = $1`, [session.id]);
    expect(rows).toEqual([{ clinician_subject: 'clin-visser', reason: REASON }]);
  });

  test('opening is itself logged as BREAK_GLASS with the reason', async () => {
    const rows = await api.sql(`SELECT actor_subject, purpose, basis, break_glass_reason FROM access_event WHERE patient_id = $1 AND action = 'BREAK_GLASS'`, [p2]);
    expect(rows).toEqual([{ actor_subject: 'clin-visser', purpose: 'EMERGENCY', basis: 'break-the-glass', break_glass_reason: REASON }]);
  });

  test('EMERGENCY reads P-0002\'s labs and medication', async () => {
    const res = await expectReadsLabs(api, api.gql, emergency, 'P-0002');
    expect(res.body.data.patientByNumber.labResults.length).toBe((await labValues(api, 'P-0002')).length);
    const med = await api.gql(emergency, `query($id: ID!) { patient(id: $id) { medications { name } } }`, { id: p2 });
    expect(med.body.data.patient.medications.map((m: { name: string }) => m.name)).toContain('Allopurinol');
  });

  test('the session does not open TREATMENT, nor another clinician\'s EMERGENCY', async () => {
    await expectRefused(api, api.gql, treatment, 'P-0002');
    const dekker = { token: await api.token('clin-dekker', { purpose: 'EMERGENCY' }) };
    await expectRefused(api, api.gql, dekker, 'P-0002');
    await expectRefused(api, api.gql, emergency, 'P-0001'); // the session is for P-0002 only
  });

  test('THIRD_PARTY, PHOTOS and SPECIAL_CATEGORY are FORBIDDEN under EMERGENCY, the values absent', async () => {
    const other = await api.gql(emergency, BREAK, { p: p3, r: 'Child with anaphylaxis at the ED, parents not reachable yet.' });
    expect(other.body.errors).toBeUndefined();
    const res = await api.gql(emergency, `query($id: ID!) { patient(id: $id) {
      labResults { value }
      familyHistory { relationship condition relativeName relativeDetails }
      documents { title thirdPartySection }
      photographs { uri }
      specialCategories { ethnicity religion geneticFindings } } }`, { id: p3 });
    const p = res.body.data.patient;
    expect(p.labResults.length).toBeGreaterThan(0);
    expect(p.familyHistory[0]).toMatchObject({ relationship: 'paternal grandfather', relativeName: null, relativeDetails: null });
    expect(p.photographs).toBeNull();
    expect(p.specialCategories).toBeNull();
    for (const d of p.documents) expect(d.thirdPartySection).toBeNull();
    const codes = errorCodes(res);
    expect(codes['patient.photographs']).toBe('FORBIDDEN');
    expect(codes['patient.specialCategories']).toBe('FORBIDDEN');
    expect(codes['patient.familyHistory.0.relativeName']).toBe('FORBIDDEN');
    expect(codes['patient.familyHistory.0.relativeDetails']).toBe('FORBIDDEN');
    expect(Object.entries(codes).filter(([k]) => /^patient\.documents\.\d+\.thirdPartySection$/.test(k)).map(([, v]) => v)).toEqual(
      p.documents.map(() => 'FORBIDDEN'));
    expect(Object.values(codes).every((c) => c === 'FORBIDDEN')).toBe(true);

    const truth = await api.sql<{ v: string }>(`
      SELECT relative_name AS v FROM family_history_entry WHERE patient_id = $1 AND relative_name IS NOT NULL
      UNION ALL SELECT relative_details FROM family_history_entry WHERE patient_id = $1 AND relative_details IS NOT NULL
      UNION ALL SELECT left(third_party_section, 40) FROM clinical_document WHERE patient_id = $1 AND third_party_section IS NOT NULL
      UNION ALL SELECT uri FROM medical_photo WHERE patient_id = $1
      UNION ALL SELECT religion FROM special_category_data WHERE patient_id = $1 AND religion IS NOT NULL
      UNION ALL SELECT ethnicity FROM special_category_data WHERE patient_id = $1 AND ethnicity IS NOT NULL`, [p3]);
    expect(truth.length).toBeGreaterThanOrEqual(6);
    expectAbsent(res, truth.map((r) => r.v));
    expect(res.text).not.toContain('FLG c.1501C');
  });

  test('every read under the session is logged with basis break-the-glass and the reason', async () => {
    const res = await api.gql(emergency, `query($id: ID!) { patient(id: $id) { labResults { value } photographs { uri } } }`, { id: p2 });
    const rows = await api.sql(`SELECT patient_id, action, basis, break_glass_reason, outcome, categories_granted, categories_denied
      FROM access_event WHERE request_id = $1`, [res.headers.get('x-request-id')]);
    expect(rows).toEqual([{
      patient_id: p2, action: 'READ', basis: 'break-the-glass', break_glass_reason: REASON, outcome: 'PARTIAL',
      categories_granted: ['LAB'], categories_denied: ['PHOTOS'],
    }]);
    const all = await api.sql(`SELECT basis, break_glass_reason FROM access_event
      WHERE actor_subject = 'clin-visser' AND purpose = 'EMERGENCY' AND patient_id = $1 AND outcome <> 'DENIED'`, [p2]);
    expect(all.length).toBeGreaterThanOrEqual(4);
    for (const r of all) expect(r).toEqual({ basis: 'break-the-glass', break_glass_reason: REASON });
  });

  test('reads through the patients() list are flagged with the reason too', async () => {
    const res = await api.gql(emergency, `{ patients(first: 10) { nodes { patientNumber labResults { value } } } }`);
    expect(res.body.data.patients.nodes.map((n: { patientNumber: string }) => n.patientNumber)).toEqual(['P-0002', 'P-0003']);
    const rows = await api.sql(`SELECT patient_id, basis, break_glass_reason FROM access_event WHERE request_id = $1 ORDER BY patient_id = $2 DESC`,
      [res.headers.get('x-request-id'), p2]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ patient_id: p2, basis: 'break-the-glass', break_glass_reason: REASON });
    expect(rows[1]).toMatchObject({ patient_id: p3, basis: 'break-the-glass' });
    expect(rows[1].break_glass_reason).toMatch(/anaphylaxis/);
  });

  test('the privacy officer\'s review queue holds the accesses', async () => {
    const res = await api.gql('dpo-01', `{ breakGlassReviewQueue(first: 50) { nodes { actorSubject patientId action breakGlassReason } } }`);
    expect(res.body.errors).toBeUndefined();
    const mine = res.body.data.breakGlassReviewQueue.nodes.filter((n: { patientId: string }) => n.patientId === p2);
    expect(mine.some((n: { action: string }) => n.action === 'BREAK_GLASS')).toBe(true);
    expect(mine.some((n: { action: string }) => n.action === 'READ')).toBe(true);
  });

  test('once the session has expired, the next request is NOT_FOUND', async () => {
    await api.sql(`UPDATE break_glass_session SET opened_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = $1`, [session.id]);
    await expectRefused(api, api.gql, emergency, 'P-0002');
    const list = await api.gql(emergency, `{ patients(first: 10) { nodes { patientNumber } } }`);
    expect(list.body.data.patients.nodes.map((n: { patientNumber: string }) => n.patientNumber)).toEqual(['P-0003']);
    expectAbsent(list, ['P-0002']);
  });
});
