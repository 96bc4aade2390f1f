import { errorCodes, startTestApi, TestApi } from '../support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const GP_VIEW = `query($n: String!) { patientByNumber(patientNumber: $n) { patientNumber labResults { code value } diagnoses { code display } } }`;

test('the registered GP sees lab results of P-0001 and is refused its diagnoses', async () => {
  const res = await api.gql('gp-jansen', GP_VIEW, { n: 'P-0001' });
  expect(res.status).toBe(200);
  expect(res.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
  expect(res.body.data.patientByNumber.diagnoses).toBeNull();
  expect(errorCodes(res)).toEqual({ 'patientByNumber.diagnoses': 'FORBIDDEN' });
  const truth = await api.sql<{ display: string }>('SELECT display FROM diagnosis d JOIN patient p ON p.id = d.patient_id WHERE p.patient_number = $1', ['P-0001']);
  for (const d of truth) expect(res.text).not.toContain(d.display);
});
