/**
 * SPEC §4, GP gate: only the currently registered GP; model opt-in (default) needs an active
 * GP_VIEW consent, model opt-out only the absence of a GP_PORTAL_BLOCK; the block is honoured in
 * both models and survives a change of GP. SPEC §7: refused looks exactly like nonexistent.
 */
import { randomUUID } from 'node:crypto';
import { TestApi, startTestApi } from '../support/harness';
import { BY_BSN, BY_ID, BY_NUMBER, UNKNOWN_BSN, expectAbsent, expectNotFound, expectReadsLabs, expectRefused, labValues } from './gate-support';

let api: TestApi;
let optOut: Awaited<ReturnType<TestApi['startAnother']>>;

beforeAll(async () => {
  api = await startTestApi();
  optOut = await api.startAnother({ GP_ACCESS_MODEL: 'opt-out' });
});
afterAll(() => api?.close());

const LIST = `query { patients(first: 10) { nodes { id patientNumber } pageInfo { hasNextPage } } }`;

describe('opt-in (default)', () => {
  test('gp-jansen reads P-0001 (registered, GP_VIEW consent)', async () => {
    await expectReadsLabs(api, api.gql, 'gp-jansen', 'P-0001');
  });

  test('P-0002 (registered, no consent) is NOT_FOUND exactly like a nonexistent patient', async () => {
    await expectRefused(api, api.gql, 'gp-jansen', 'P-0002');

    const [{ bsn }] = await api.sql<{ bsn: string }>(`SELECT bsn FROM patient WHERE patient_number = 'P-0002'`);
    const byBsn = await api.gql('gp-jansen', BY_BSN, { bsn });
    const unknownBsn = await api.gql('gp-jansen', BY_BSN, { bsn: UNKNOWN_BSN });
    expectNotFound(byBsn, 'patientByBsn');
    expect(byBsn.body).toEqual(unknownBsn.body);
    expectAbsent(byBsn, await labValues(api, 'P-0002'));
  });

  test('P-0004 (consent AND block) is NOT_FOUND: the block beats the consent', async () => {
    await expectRefused(api, api.gql, 'gp-jansen', 'P-0004');
  });

  test('gp-peters never sees P-0001 (not registered)', async () => {
    await expectRefused(api, api.gql, 'gp-peters', 'P-0001');
  });

  test('patients() lists only patients inside the gate', async () => {
    const res = await api.gql('gp-jansen', LIST);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.patients.nodes.map((n: { patientNumber: string }) => n.patientNumber)).toEqual(['P-0001']);
    for (const other of ['P-0002', 'P-0003', 'P-0004']) {
      expect(res.text).not.toContain(other);
      expect(res.text).not.toContain(await api.patientId(other));
    }
    const peters = await api.gql('gp-peters', LIST);
    expect(peters.body.data.patients.nodes).toEqual([]); // P-0003 has no GP_VIEW consent yet
  });
});

describe('opt-out', () => {
  test('P-0002 (no consent, no block) is readable by gp-jansen', async () => {
    await expectReadsLabs(api, optOut.gql, 'gp-jansen', 'P-0002');
  });

  test('P-0004 (block) stays NOT_FOUND; gp-peters still never sees P-0001', async () => {
    await expectRefused(api, optOut.gql, 'gp-jansen', 'P-0004');
    await expectRefused(api, optOut.gql, 'gp-peters', 'P-0001');
  });

  test('patients() lists P-0001, P-0002 only for gp-jansen, P-0003 only for gp-peters', async () => {
    const res = await optOut.gql('gp-jansen', LIST);
    expect(res.body.data.patients.nodes.map((n: { patientNumber: string }) => n.patientNumber)).toEqual(['P-0001', 'P-0002']);
    expect(res.text).not.toContain('P-0003');
    expect(res.text).not.toContain('P-0004');
    const peters = await optOut.gql('gp-peters', LIST);
    expect(peters.body.data.patients.nodes.map((n: { patientNumber: string }) => n.patientNumber)).toEqual(['P-0003']);
  });

  test('the refusal of the opt-in server is unaffected by the opt-out server on the same database', async () => {
    await expectRefused(api, api.gql, 'gp-jansen', 'P-0002');
  });
});

describe('a block survives a change of GP', () => {
  let p4: string;
  beforeAll(async () => {
    p4 = await api.patientId('P-0004');
    await api.sql(`UPDATE gp_registration SET valid_to = now()
      WHERE patient_id = $1 AND valid_to IS NULL AND practitioner_id = (SELECT id FROM practitioner WHERE subject = 'gp-jansen')`, [p4]);
    await api.sql(`INSERT INTO gp_registration (id, patient_id, practitioner_id, valid_from, valid_to)
      VALUES (gen_random_uuid(), $1, (SELECT id FROM practitioner WHERE subject = 'gp-peters'), now() - interval '1 second', NULL)`, [p4]);
  });

  test('the new GP gp-peters is refused in both models while the block stands', async () => {
    await expectRefused(api, api.gql, 'gp-peters', 'P-0004');
    await expectRefused(api, optOut.gql, 'gp-peters', 'P-0004');
  });

  test('after P-0004 withdraws the block, gp-peters reads it in both models; the former GP gp-jansen does not', async () => {
    const own = await api.gql('P-0004', `{ myRecord { objections { id kind withdrawnAt } } }`);
    const block = own.body.data.myRecord.objections.find((o: { kind: string; withdrawnAt: string | null }) => o.kind === 'GP_PORTAL_BLOCK' && !o.withdrawnAt);
    expect(block).toBeDefined();
    const w = await api.gql('P-0004', `mutation($id: ID!) { withdrawObjection(id: $id) { id withdrawnAt } }`, { id: block.id });
    expect(w.body.errors).toBeUndefined();
    expect(w.body.data.withdrawObjection.withdrawnAt).toBeTruthy();

    await expectReadsLabs(api, api.gql, 'gp-peters', 'P-0004'); // opt-in: the GP_VIEW consent is still there
    await expectReadsLabs(api, optOut.gql, 'gp-peters', 'P-0004');
    await expectRefused(api, api.gql, 'gp-jansen', 'P-0004');
    await expectRefused(api, optOut.gql, 'gp-jansen', 'P-0004');
  });

  test('gp-peters still never sees P-0001', async () => {
    await expectRefused(api, api.gql, 'gp-peters', 'P-0001');
    await expectRefused(api, optOut.gql, 'gp-peters', 'P-0001');
    const res = await api.gql('gp-peters', BY_ID, { id: randomUUID() });
    expectNotFound(res, 'patient');
  });
});

test('a refused GP lookup is logged as DENIED, with no categories released', async () => {
  const res = await api.gql('gp-jansen', BY_NUMBER, { n: 'P-0002' });
  const requestId = res.headers.get('x-request-id');
  const rows = await api.sql(`SELECT outcome, categories_granted FROM access_event WHERE request_id = $1`, [requestId]);
  expect(rows).toEqual([{ outcome: 'DENIED', categories_granted: [] }]);
});
