/**
 * SPEC §4 consent rules: per-channel consent, withdrawable with effect from the very next
 * request; who decides for a minor (under 12 the parent, 12–15 parent AND child, 16+ the child);
 * administration records paper forms. SPEC §7: invalid input refused, nothing half-written.
 */
import { randomUUID } from 'node:crypto';
import { GqlResponse, TestApi, errorCodes, startTestApi } from '../support/harness';
import { countRows, expectNotFound, expectReadsLabs, expectRefused } from './gate-support';

let api: TestApi;
let p1: string;
let p2: string;
let p3: string;
let p3BirthDate: string;

beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
  p2 = await api.patientId('P-0002');
  p3 = await api.patientId('P-0003');
  [{ birth_date: p3BirthDate }] = await api.sql(`SELECT birth_date::text FROM patient WHERE id = $1`, [p3]);
});
afterAll(() => api?.close());

const SET = `mutation($input: SetConsentInput!) { setConsent(input: $input) { id channel granted decidedAt decidedBy coDecidedBy confirmedAt withdrawnAt } }`;

async function setConsent(as: string, patientId: string, granted: boolean, extra: Record<string, unknown> = {}): Promise<GqlResponse> {
  return api.gql(as, SET, { input: { patientId, channel: 'GP_VIEW', granted, ...extra } });
}
/** A setConsent that must succeed; returns the consent. */
async function decide(as: string, patientId: string, granted: boolean, extra: Record<string, unknown> = {}) {
  const res = await setConsent(as, patientId, granted, extra);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.setConsent;
}
const consentRows = () => countRows(api, 'consent');
const activeGpView = (patientId: string) =>
  countRows(api, 'consent', `patient_id = $1 AND channel = 'GP_VIEW' AND granted AND confirmed_at IS NOT NULL AND withdrawn_at IS NULL`, [patientId]);
const setP3Age = (years: number) => api.sql(`UPDATE patient SET birth_date = (current_date - interval '${years} years')::date WHERE id = $1`, [p3]);

describe('withdrawal takes effect on the very next request', () => {
  test('gp-jansen reads P-0001; P-0001 withdraws GP_VIEW; the next gp-jansen request is NOT_FOUND; re-grant restores', async () => {
    await expectReadsLabs(api, api.gql, 'gp-jansen', 'P-0001');
    const off = await decide('P-0001', p1, false);
    expect(off).toMatchObject({ channel: 'GP_VIEW', granted: false, decidedBy: 'P-0001', withdrawnAt: null });
    expect(off.confirmedAt).toBeTruthy();
    await expectRefused(api, api.gql, 'gp-jansen', 'P-0001');
    const list = await api.gql('gp-jansen', `{ patients(first: 10) { nodes { patientNumber } } }`);
    expect(list.body.data.patients.nodes).toEqual([]);

    const on = await decide('P-0001', p1, true);
    expect(on).toMatchObject({ granted: true, decidedBy: 'P-0001', withdrawnAt: null });
    await expectReadsLabs(api, api.gql, 'gp-jansen', 'P-0001');
  });

  test('a tight loop of withdraw/read/grant/read never serves a stale decision', async () => {
    for (let i = 0; i < 3; i++) {
      await decide('P-0001', p1, false);
      expectNotFound(await api.gql('gp-jansen', `{ patientByNumber(patientNumber: "P-0001") { labResults { value } } }`));
      await decide('P-0001', p1, true);
      const res = await api.gql('gp-jansen', `{ patientByNumber(patientNumber: "P-0001") { labResults { value } } }`);
      expect(res.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
    }
  });

  test('the history is kept: earlier decisions are marked withdrawn, exactly one is in force', async () => {
    const res = await api.gql('P-0001', `{ myRecord { consents { channel granted withdrawnAt decidedBy } } }`);
    const gpView = res.body.data.myRecord.consents.filter((c: { channel: string }) => c.channel === 'GP_VIEW');
    expect(gpView.length).toBeGreaterThan(2);
    expect(gpView.filter((c: { withdrawnAt: string | null }) => c.withdrawnAt === null)).toEqual([
      { channel: 'GP_VIEW', granted: true, withdrawnAt: null, decidedBy: 'P-0001' },
    ]);
    expect(await activeGpView(p1)).toBe(1);
  });
});

describe('a minor of 12–15 (P-0003 is 13): parent AND child', () => {
  test('the parent\'s grant alone is pending (confirmedAt null) and gp-peters stays NOT_FOUND', async () => {
    const c = await decide('rep-smit', p3, true);
    expect(c).toMatchObject({ granted: true, decidedBy: 'rep-smit', coDecidedBy: null, confirmedAt: null, withdrawnAt: null });
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
  });

  test('the child confirming makes it effective: confirmedAt set, coDecidedBy P-0003, gp-peters reads', async () => {
    const c = await decide('P-0003', p3, true);
    expect(c).toMatchObject({ granted: true, decidedBy: 'rep-smit', coDecidedBy: 'P-0003', withdrawnAt: null });
    expect(c.confirmedAt).toBeTruthy();
    await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0003');
  });

  test('the child withdrawing ends it at once', async () => {
    const c = await decide('P-0003', p3, false);
    expect(c).toMatchObject({ granted: false, decidedBy: 'P-0003' });
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
  });

  test('child first, parent confirms; then the parent withdrawing ends it at once', async () => {
    const pending = await decide('P-0003', p3, true);
    expect(pending).toMatchObject({ decidedBy: 'P-0003', confirmedAt: null });
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
    const confirmed = await decide('rep-smit', p3, true);
    expect(confirmed).toMatchObject({ decidedBy: 'P-0003', coDecidedBy: 'rep-smit' });
    expect(confirmed.confirmedAt).toBeTruthy();
    await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0003');

    await decide('rep-smit', p3, false);
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
    expect(await activeGpView(p3)).toBe(0);
  });

  test('the same party granting twice does not confirm its own decision', async () => {
    await decide('rep-smit', p3, true);
    const again = await decide('rep-smit', p3, true);
    expect(again.confirmedAt).toBeNull();
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
    await decide('rep-smit', p3, false); // clean up: nothing pending, nothing in force
    expect(await countRows(api, 'consent', `patient_id = $1 AND withdrawn_at IS NULL AND confirmed_at IS NULL`, [p3])).toBe(0);
  });
});

describe('under 12: the parent alone', () => {
  beforeAll(() => setP3Age(11));
  afterAll(() => api.sql(`UPDATE patient SET birth_date = $2::date WHERE id = $1`, [p3, p3BirthDate]));

  test('the child\'s own setConsent is FORBIDDEN and writes nothing', async () => {
    const before = await consentRows();
    const res = await setConsent('P-0003', p3, true);
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ setConsent: 'FORBIDDEN' });
    expect(await consentRows()).toBe(before);
  });

  test('the parent alone is effective at once, and withdraws at once', async () => {
    const c = await decide('rep-smit', p3, true);
    expect(c).toMatchObject({ decidedBy: 'rep-smit', coDecidedBy: null });
    expect(c.confirmedAt).toBeTruthy();
    await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0003');
    await decide('rep-smit', p3, false);
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
  });
});

describe('16 and over: the patient alone', () => {
  beforeAll(() => setP3Age(16));
  afterAll(() => api.sql(`UPDATE patient SET birth_date = $2::date WHERE id = $1`, [p3, p3BirthDate]));

  test('the patient alone is effective at once', async () => {
    const c = await decide('P-0003', p3, true);
    expect(c).toMatchObject({ decidedBy: 'P-0003', coDecidedBy: null });
    expect(c.confirmedAt).toBeTruthy();
    await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0003');
  });

  test('the parent (no longer a representative at 16) gets NOT_FOUND and writes nothing', async () => {
    const before = await consentRows();
    const res = await setConsent('rep-smit', p3, false);
    expectNotFound(res, 'setConsent');
    expect(await consentRows()).toBe(before);
    await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0003');
  });

  test('the patient withdraws at once', async () => {
    await decide('P-0003', p3, false);
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
  });
});

describe('administration records a paper form', () => {
  test('for the 13-year-old without coDecidedBy: BAD_USER_INPUT, nothing written', async () => {
    const before = await consentRows();
    for (const co of [undefined, null, '', '   ']) {
      const res = await setConsent('admin-mulder', p3, true, co === undefined ? {} : { coDecidedBy: co });
      expect(errorCodes(res)).toEqual({ setConsent: 'BAD_USER_INPUT' });
      expect(res.body.data).toBeNull();
    }
    expect(await consentRows()).toBe(before);
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
  });

  test('with coDecidedBy: effective at once', async () => {
    const c = await decide('admin-mulder', p3, true, { coDecidedBy: 'P-0003' });
    expect(c).toMatchObject({ granted: true, decidedBy: 'admin-mulder', coDecidedBy: 'P-0003', withdrawnAt: null });
    expect(c.confirmedAt).toBeTruthy();
    await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0003');
    const [row] = await api.sql(`SELECT e.action, e.categories_granted, e.actor_subject FROM access_event e
      WHERE e.patient_id = $1 AND e.actor_subject = 'admin-mulder' ORDER BY e.seq DESC LIMIT 1`, [p3]);
    expect(row).toEqual({ action: 'CREATE', categories_granted: ['CONSENTS'], actor_subject: 'admin-mulder' });
  });

  test('a withdrawal on paper needs no second signature and is effective at once', async () => {
    await decide('admin-mulder', p3, false);
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
  });
});

describe('refused writes leave nothing behind', () => {
  test('an unknown channel is a validation error (inline and as a variable); nothing written', async () => {
    const before = await consentRows();
    const inline = await api.gql('P-0001', `mutation($p: ID!) { setConsent(input: { patientId: $p, channel: TELEPATHY, granted: true }) { id } }`, { p: p1 });
    expect(inline.status).toBe(400);
    expect(inline.body.data).toBeUndefined();
    expect(inline.body.errors![0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const variable = await api.gql('P-0001', SET, { input: { patientId: p1, channel: 'TELEPATHY', granted: true } });
    expect(variable.status).toBe(400);
    expect(variable.body.data).toBeUndefined();
    expect(variable.body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    const missing = await api.gql('P-0001', SET, { input: { patientId: p1, channel: 'GP_VIEW' } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await consentRows()).toBe(before);
  });

  test('a malformed patientId is BAD_USER_INPUT; nothing written', async () => {
    const before = await consentRows();
    for (const id of ['P-0001', 'not-a-uuid', `${p1}'; DROP TABLE consent; --`]) {
      const res = await setConsent('P-0001', id, false);
      expect(errorCodes(res)).toEqual({ setConsent: 'BAD_USER_INPUT' });
      expect(res.body.data).toBeNull();
    }
    expect(await consentRows()).toBe(before);
  });

  test('roles that may not write consents get FORBIDDEN; nothing written', async () => {
    const before = await consentRows();
    for (const who of ['gp-jansen', 'clin-dekker', 'ins-alpha', 'dpo-01', 'lab-trix-01']) {
      const res = await setConsent(who, p1, false);
      expect(errorCodes(res)).toEqual({ setConsent: 'FORBIDDEN' });
      expect(res.body.data).toBeNull();
    }
    const duty = await api.gql({ token: await api.token('duty-hap-01', { patient: 'P-0001' }) }, SET, { input: { patientId: p1, channel: 'GP_VIEW', granted: false } });
    expect(errorCodes(duty)).toEqual({ setConsent: 'FORBIDDEN' });
    expect(await consentRows()).toBe(before);
    await expectReadsLabs(api, api.gql, 'gp-jansen', 'P-0001');
  });

  test('a patient setting consent for another patient gets NOT_FOUND, as for a nonexistent one; nothing written', async () => {
    const before = await consentRows();
    const other = await setConsent('P-0001', p2, true);
    const none = await setConsent('P-0001', randomUUID(), true);
    expectNotFound(other, 'setConsent');
    expect(other.body).toEqual(none.body);
    expect(await consentRows()).toBe(before);
    expect(await activeGpView(p2)).toBe(0);
    await expectRefused(api, api.gql, 'gp-jansen', 'P-0002');
  });

  test('a representative setting consent outside their authority gets NOT_FOUND; nothing written', async () => {
    const before = await consentRows();
    expectNotFound(await setConsent('rep-smit', p1, true), 'setConsent');
    await api.sql(`UPDATE representation SET agreed_by_child = false WHERE patient_id = $1`, [p3]);
    try {
      expectNotFound(await setConsent('rep-smit', p3, true), 'setConsent');
    } finally {
      await api.sql(`UPDATE representation SET agreed_by_child = true WHERE patient_id = $1`, [p3]);
    }
    expect(await consentRows()).toBe(before);
  });

  test('coDecidedBy from a patient or representative is BAD_USER_INPUT; nothing written', async () => {
    const before = await consentRows();
    expect(errorCodes(await setConsent('P-0003', p3, true, { coDecidedBy: 'rep-smit' }))).toEqual({ setConsent: 'BAD_USER_INPUT' });
    expect(errorCodes(await setConsent('rep-smit', p3, true, { coDecidedBy: 'P-0003' }))).toEqual({ setConsent: 'BAD_USER_INPUT' });
    expect(await consentRows()).toBe(before);
    await expectRefused(api, api.gql, 'gp-peters', 'P-0003');
  });
});
