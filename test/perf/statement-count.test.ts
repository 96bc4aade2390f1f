import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const FULL_RECORD = `query($n: String!) { patientByNumber(patientNumber: $n) {
  id patientNumber name { given family } birthDate bsn address { city } contacts { name } generalPractitioner { name } careTeam { name }
  encounters { kind } diagnoses { code } allergies { substance } medications { name } labResults { code value } ecgs { rhythm }
  imagingReports { modality } documents { type title author { name } thirdPartySection } familyHistory { relationship relativeName }
  specialCategories { religion } transfusion { aboRh } photographs { uri } consents { channel } objections { kind } } }`;

async function statements(subject: string, query: string, variables: Record<string, unknown>): Promise<number> {
  const res = await api.gql(subject, query, variables);
  expect(res.status).toBe(200);
  return Number(res.headers.get('x-sql-statements'));
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
