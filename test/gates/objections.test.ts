/**
 * SPEC §4 objections: GP_PORTAL_BLOCK lodged by the patient, a partner/family member, or a legal
 * representative with evidence; it stays until cancelled and is honoured in both GP models.
 * Each objection records who lodged it and when.
 */
import { randomUUID } from 'node:crypto';
import { TestApi, errorCodes, startTestApi } from '../support/harness';
import { countRows, expectNotFound, expectReadsLabs, expectRefused } from './gate-support';

let api: TestApi;
let optOut: Awaited<ReturnType<TestApi['startAnother']>>;
let p3: string;

const LODGE = `mutation($input: LodgeObjectionInput!) { lodgeObjection(input: $input) { id kind lodgedAt lodgedBy lodgedByRelation evidenceRef withdrawnAt } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawObjection(id: $id) { id kind withdrawnAt } }`;
const objections = () => countRows(api, 'objection');

beforeAll(async () => {
  api = await startTestApi();
  optOut = await api.startAnother({ GP_ACCESS_MODEL: 'opt-out' });
  p3 = await api.patientId('P-0003');
  // Arrange a GP_VIEW consent for the 13-year-old: parent and child both confirm.
  for (const who of ['rep-smit', 'P-0003']) {
    const res = await api.gql(who, `mutation($p: ID!) { setConsent(input: { patientId: $p, channel: GP_VIEW, granted: true }) { confirmedAt } }`, { p: p3 });
    expect(res.body.errors).toBeUndefined();
  }
});
afterAll(() => api?.close());

test('with the consent in place gp-peters reads P-0003', async () => {
  await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0003');
  await expectReadsLabs(api, optOut.gql, 'gp-peters', 'P-0003');
});

test('a representative\'s GP_PORTAL_BLOCK without evidenceRef is BAD_USER_INPUT; nothing written', async () => {
  const before = await objections();
  for (const evidence of [undefined, null, '', '   ']) {
    const input = { patientId: p3, kind: 'GP_PORTAL_BLOCK', lodgedByRelation: 'LEGAL_REPRESENTATIVE', ...(evidence === undefined ? {} : { evidenceRef: evidence }) };
    const res = await api.gql('rep-smit', LODGE, { input });
    expect(errorCodes(res)).toEqual({ lodgeObjection: 'BAD_USER_INPUT' });
    expect(res.body.data).toBeNull();
  }
  expect(await objections()).toBe(before);
  await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0003');
});

test('a malformed relation, or a patient lodging as someone else, is BAD_USER_INPUT; nothing written', async () => {
  const before = await objections();
  const bad = await api.gql('rep-smit', LODGE, { input: { patientId: p3, kind: 'GP_PORTAL_BLOCK', lodgedByRelation: 'a parent!', evidenceRef: 'x' } });
  expect(errorCodes(bad)).toEqual({ lodgeObjection: 'BAD_USER_INPUT' });
  const asPartner = await api.gql('P-0003', LODGE, { input: { patientId: p3, kind: 'GP_PORTAL_BLOCK', lodgedByRelation: 'PARTNER', evidenceRef: 'x' } });
  expect(errorCodes(asPartner)).toEqual({ lodgeObjection: 'BAD_USER_INPUT' });
  const unknownKind = await api.gql('P-0003', LODGE, { input: { patientId: p3, kind: 'EVERYTHING', lodgedByRelation: 'SELF' } });
  expect(unknownKind.status).toBe(400);
  expect(unknownKind.body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(await objections()).toBe(before);
});

test('nobody lodges for a patient outside their gate (NOT_FOUND, like a nonexistent one); roles without CONSENTS write get FORBIDDEN', async () => {
  const before = await objections();
  const input = (patientId: string) => ({ patientId, kind: 'GP_PORTAL_BLOCK', lodgedByRelation: 'SELF' });
  const other = await api.gql('P-0001', LODGE, { input: input(p3) });
  const none = await api.gql('P-0001', LODGE, { input: input(randomUUID()) });
  expectNotFound(other, 'lodgeObjection');
  expect(other.body).toEqual(none.body);
  for (const who of ['gp-peters', 'clin-dekker', 'ins-alpha']) {
    expect(errorCodes(await api.gql(who, LODGE, { input: { ...input(p3), lodgedByRelation: 'PARTNER', evidenceRef: 'x' } }))).toEqual({ lodgeObjection: 'FORBIDDEN' });
  }
  expect(await objections()).toBe(before);
});

describe('a block lodged by the representative with evidence', () => {
  let objection: { id: string; lodgedAt: string };

  test('is accepted and records who lodged it and when', async () => {
    const t0 = Date.now();
    const res = await api.gql('rep-smit', LODGE, { input: { patientId: p3, kind: 'GP_PORTAL_BLOCK', lodgedByRelation: 'legal_representative', evidenceRef: ' court-order-2025-0117 ' } });
    expect(res.body.errors).toBeUndefined();
    objection = res.body.data.lodgeObjection;
    expect(res.body.data.lodgeObjection).toMatchObject({
      kind: 'GP_PORTAL_BLOCK', lodgedBy: 'rep-smit', lodgedByRelation: 'LEGAL_REPRESENTATIVE', evidenceRef: 'court-order-2025-0117', withdrawnAt: null,
    });
    expect(Math.abs(Date.parse(objection.lodgedAt) - t0)).toBeLessThan(60_000);
    const rows = await api.sql(`SELECT lodged_by, lodged_by_relation, evidence_ref, lodged_at IS NOT NULL AS has_time FROM objection WHERE id = $1`, [objection.id]);
    expect(rows).toEqual([{ lodged_by: 'rep-smit', lodged_by_relation: 'LEGAL_REPRESENTATIVE', evidence_ref: 'court-order-2025-0117', has_time: true }]);
    const [ev] = await api.sql(`SELECT action, actor_subject, categories_granted FROM access_event WHERE patient_id = $1 ORDER BY seq DESC LIMIT 1`, [p3]);
    expect(ev).toEqual({ action: 'CREATE', actor_subject: 'rep-smit', categories_granted: ['CONSENTS'] });
  });

  test('gp-peters is refused in both models although the consent stands', async () => {
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
    await expectRefused(api, optOut.gql, 'gp-peters', 'P-0003');
    const duty = { token: await api.token('duty-hap-01', { patient: 'P-0003' }) };
    await expectRefused(api, optOut.gql, duty, 'P-0003');
  });

  test('a second active block is refused', async () => {
    const before = await objections();
    const res = await api.gql('P-0003', LODGE, { input: { patientId: p3, kind: 'GP_PORTAL_BLOCK', lodgedByRelation: 'SELF' } });
    expect(errorCodes(res)).toEqual({ lodgeObjection: 'BAD_USER_INPUT' });
    expect(await objections()).toBe(before);
  });

  test('the objection is listed for the patient and representative with lodgedBy and lodgedAt', async () => {
    for (const who of ['P-0003', 'rep-smit']) {
      const res = await api.gql(who, `query($p: ID!) { patient(id: $p) { objections { id kind lodgedBy lodgedAt lodgedByRelation } } }`, { p: p3 });
      expect(res.body.data.patient.objections).toEqual([{ id: objection.id, kind: 'GP_PORTAL_BLOCK', lodgedBy: 'rep-smit', lodgedAt: objection.lodgedAt, lodgedByRelation: 'LEGAL_REPRESENTATIVE' }]);
    }
  });

  test('another patient cannot withdraw it (NOT_FOUND, like an unknown id); a GP cannot either', async () => {
    const other = await api.gql('P-0001', WITHDRAW, { id: objection.id });
    const none = await api.gql('P-0001', WITHDRAW, { id: randomUUID() });
    expect(errorCodes(other)).toEqual({ withdrawObjection: 'NOT_FOUND' });
    expect(other.body).toEqual(none.body);
    expect(errorCodes(await api.gql('gp-peters', WITHDRAW, { id: objection.id }))).toEqual({ withdrawObjection: 'FORBIDDEN' });
    expect(await countRows(api, 'objection', 'id = $1 AND withdrawn_at IS NULL', [objection.id])).toBe(1);
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
  });

  test('withdrawObjection makes P-0003 readable again on the next request (the consent is still there)', async () => {
    const res = await api.gql('rep-smit', WITHDRAW, { id: objection.id });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.withdrawObjection.withdrawnAt).toBeTruthy();
    await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0003');
    await expectReadsLabs(api, optOut.gql, 'gp-peters', 'P-0003');
    const [row] = await api.sql(`SELECT withdrawn_by FROM objection WHERE id = $1`, [objection.id]);
    expect(row.withdrawn_by).toBe('rep-smit');
  });

  test('withdrawing twice is BAD_USER_INPUT', async () => {
    expect(errorCodes(await api.gql('rep-smit', WITHDRAW, { id: objection.id }))).toEqual({ withdrawObjection: 'BAD_USER_INPUT' });
  });
});

test('a block lodged by the patient (SELF) needs no evidence and also refuses the GP; without consent withdrawal does not help in opt-in', async () => {
  const res = await api.gql('P-0003', LODGE, { input: { patientId: p3, kind: 'GP_PORTAL_BLOCK', lodgedByRelation: 'SELF' } });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.lodgeObjection).toMatchObject({ lodgedBy: 'P-0003', lodgedByRelation: 'SELF', evidenceRef: null });
  await expectRefused(api, api.gql, 'gp-peters', 'P-0003');

  const off = await api.gql('P-0003', `mutation($p: ID!) { setConsent(input: { patientId: $p, channel: GP_VIEW, granted: false }) { granted } }`, { p: p3 });
  expect(off.body.errors).toBeUndefined();
  const w = await api.gql('P-0003', WITHDRAW, { id: res.body.data.lodgeObjection.id });
  expect(w.body.errors).toBeUndefined();
  await expectRefused(api, api.gql, 'gp-peters', 'P-0003'); // opt-in: no consent
  await expectReadsLabs(api, optOut.gql, 'gp-peters', 'P-0003'); // opt-out: no block
});
