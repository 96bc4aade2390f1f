import { onRequestStatements } from '../../src/db/statement-counter';
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
// The server runs in this process: its statement counts reach this listener, keyed by request id.
const counts = new Map<string, number>();
const unsubscribe = onRequestStatements((statements, requestId) => counts.set(requestId, statements));
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => {
  unsubscribe();
  return api?.close();
});

const FULL_RECORD = `query($n: String!) { patientByNumber(patientNumber: $n) {
  id patientNumber name { given family } birthDate bsn address { city } contacts { name } generalPractitioner { name } careTeam { name }
  encounters { kind } diagnoses { code } allergies { substance } medications { name } labResults { code value } ecgs { rhythm }
  imagingReports { modality } documents { type title author { name } thirdPartySection } familyHistory { relationship relativeName }
  specialCategories { religion } transfusion { aboRh } photographs { uri } consents { channel } objections { kind } } }`;

async function statements(subject: string, query: string, variables: Record<string, unknown>): Promise<number> {
  const res = await api.gql(subject, query, variables);
  expect(res.status).toBe(200);
  return counts.get(res.headers.get('x-request-id')!)!;
}

async function setLabCount(patientNumber: string, n: number): Promise<void> {
  const id = await api.patientId(patientNumber);
  await api.sql('DELETE FROM lab_result WHERE patient_id = $1', [id]);
  await api.sql(
    `INSERT INTO lab_result (patient_id, specimen, code, display, value, unit, observed_at)
     SELECT $1, 'BLOOD', '2345-7', 'Glucose', (4 + i % 30 / 10.0)::text, 'mmol/L', now() - i * interval '1 hour' FROM generate_series(1, $2) i`,
    [id, n],
  );
}

test('a full record costs the same number of statements with 10 and with 1,000 lab results', async () => {
  await setLabCount('P-0003', 10);
  await setLabCount('P-0001', 1000);
  // The first access-log write of a process also reads the chain's tail; count from the second request on.
  await statements('clin-dekker', FULL_RECORD, { n: 'P-0003' });
  const small = await statements('clin-dekker', FULL_RECORD, { n: 'P-0003' });
  const large = await statements('clin-dekker', FULL_RECORD, { n: 'P-0001' });
  const res = await api.gql('clin-dekker', FULL_RECORD, { n: 'P-0001' });
  expect(res.body.data.patientByNumber.labResults).toHaveLength(1000);
  expect(small).toBeGreaterThan(0);
  expect(large).toBe(small);
});

test('a page of patients costs the same number of statements for 1 and for 4 patients', async () => {
  const PAGE = `query($first: Int!) { patients(first: $first) { nodes { patientNumber encounters { kind } contacts { name } insurance { insurerName } financialCodes { dbcCode } consents { channel } } } }`;
  const one = await statements('admin-mulder', PAGE, { first: 1 });
  const four = await statements('admin-mulder', PAGE, { first: 4 });
  const res = await api.gql('admin-mulder', PAGE, { first: 4 });
  expect(res.body.data.patients.nodes).toHaveLength(4);
  expect(four).toBe(one);
});

describe('no existence oracle: a missing patient and one outside the gate cost the same statements', () => {
  const UNKNOWN_ID = '00000000-0000-4000-8000-00000000dead';
  const cases: Array<[string, string, string, (outside: { id: string; number: string; bsn: string }) => Record<string, unknown>, Record<string, unknown>]> = [
    ['patient(id)', 'clin-dekker', 'query($id: ID!) { patient(id: $id) { id } }', (o) => ({ id: o.id }), { id: UNKNOWN_ID }],
    ['patientByNumber', 'clin-dekker', 'query($n: String!) { patientByNumber(patientNumber: $n) { id } }', (o) => ({ n: o.number }), { n: 'P-9999' }],
    ['patientByBsn', 'clin-dekker', 'query($b: String!) { patientByBsn(bsn: $b) { id } }', (o) => ({ b: o.bsn }), { b: '100000009' }],
    ['accessLog', 'P-0001', 'query($id: ID!) { accessLog(patientId: $id) { nodes { id } } }', (o) => ({ id: o.id }), { id: UNKNOWN_ID }],
    ['recordExport', 'P-0001', 'query($id: ID!) { recordExport(patientId: $id, format: JSON) { data } }', (o) => ({ id: o.id }), { id: UNKNOWN_ID }],
    ['setConsent', 'P-0001', 'mutation($id: ID!) { setConsent(input: { patientId: $id, channel: LSP, granted: false }) { id } }', (o) => ({ id: o.id }), { id: UNKNOWN_ID }],
    ['breakGlass (bound to P-0001)', 'clin-visser', 'mutation($id: ID!) { breakGlass(patientId: $id, reason: "statement count probe") { id } }', (o) => ({ id: o.id }), { id: UNKNOWN_ID }],
  ];

  test.each(cases)('%s', async (_name, subject, query, outsideVars, missingVars) => {
    const [o] = await api.sql('SELECT id, patient_number AS number, bsn FROM patient WHERE patient_number = $1', ['P-0002']);
    const as = subject === 'clin-visser' ? { token: await api.token(subject, { purpose: 'EMERGENCY', patient: 'P-0001' }) } : subject;
    const run = async (variables: Record<string, unknown>) => {
      const res = await api.gql(as, query, variables);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      return { statements: counts.get(res.headers.get('x-request-id')!), body: res.body };
    };
    await run(missingVars); // warm the chain tail
    const outside = await run(outsideVars(o));
    const missing = await run(missingVars);
    expect(outside.body).toEqual(missing.body);
    expect(outside.statements).toBeGreaterThan(0);
    expect(outside.statements).toBe(missing.statements);
  });
});
