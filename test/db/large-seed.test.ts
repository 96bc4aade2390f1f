import { Client } from 'pg';
import { verifyAccessLog } from '../../src/audit/access-log';
import { largePatientId, largePatientNumber, SCENARIO_PATIENTS } from '../../src/db/large/large-patients';
import { patientSelect } from '../../src/db/large/record-tables';
import { seedLarge } from '../../src/db/large/seed-large';
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let client: Client;
beforeAll(async () => {
  api = await startTestApi();
  client = new Client({ connectionString: api.database.url });
  await client.connect();
  await client.query(`SET search_path TO ${api.config.databaseSchema}`);
});
afterAll(async () => {
  await client?.end();
  await api?.close();
});

const count = async (table: string) => Number((await api.sql(`SELECT count(*) AS n FROM ${table}`))[0].n);

test('generates whole batches and resumes where it stopped', async () => {
  const eventsBefore = await count('access_event');
  const first = await seedLarge(client, { patients: 12, seed: 42, batchSize: 5 });
  expect(first).toMatchObject({ inserted: 12, skipped: 0 });
  const again = await seedLarge(client, { patients: 20, seed: 42, batchSize: 5 });
  expect(again).toMatchObject({ inserted: 8, skipped: 12 });
  expect(await count('access_event')).toBe(eventsBefore + first.events + again.events);
  expect(await seedLarge(client, { patients: 20, seed: 42, batchSize: 5 })).toMatchObject({ inserted: 0, skipped: 20, events: 0 });
}, 60_000);

test('the stored patients are exactly what the seed generates, with valid BSNs and unique numbers', async () => {
  const stored = await api.sql(`SELECT patient_number, given_name, family_name, birth_date::text, gender, bsn, bsn_is_valid(bsn) AS valid
    FROM patient WHERE patient_number LIKE 'P-1_____' ORDER BY patient_number`);
  expect(stored.length).toBeGreaterThanOrEqual(10);
  expect(stored.every((p) => p.valid && /^P-[0-9]{4,}$/.test(p.patient_number))).toBe(true);
  const generated = (await client.query(`SELECT s.bsn FROM (${patientSelect(42)}) s`, [1, stored.length])).rows.map((r) => r.bsn);
  expect(stored.map((p) => p.bsn)).toEqual(generated);
  const otherSeed = (await client.query(`SELECT s.bsn FROM (${patientSelect(7)}) s`, [1, 3])).rows.map((r) => r.bsn);
  expect(otherSeed).not.toEqual(generated.slice(0, 3));
  await expect(seedLarge(client, { patients: 12, seed: 7, batchSize: 5 })).rejects.toThrow(/another seed/);
});

test('the generated access events enter the verifiable log', async () => {
  const log = await api.sql('SELECT count(*) AS n FROM access_event WHERE patient_id = $1', [largePatientId(SCENARIO_PATIENTS.accessLog.index)]);
  expect(Number(log[0].n)).toBe(SCENARIO_PATIENTS.accessLog.accessEvents);
  expect(await verifyAccessLog(api.database.dataSource, api.config)).toMatchObject({ ok: true, firstBrokenEventId: null });
});

test('the scenario patients sit inside the gates the benchmark relies on', async () => {
  const gp = await api.gql('gp-jansen', `query($n: String!) { patientByNumber(patientNumber: $n) { patientNumber labResults { code } documents { type } } }`,
    { n: largePatientNumber(SCENARIO_PATIENTS.gpPortal.index) });
  expect(gp.body.errors).toBeUndefined();
  expect(gp.body.data.patientByNumber.labResults).toHaveLength(SCENARIO_PATIENTS.gpPortal.labResults);
  const clinician = await api.gql('clin-dekker', `query($n: String!) { patientByNumber(patientNumber: $n) { labResults { code } documents { type } } }`,
    { n: largePatientNumber(SCENARIO_PATIENTS.fullRecord.index) });
  expect(clinician.body.errors).toBeUndefined();
  expect(clinician.body.data.patientByNumber.labResults).toHaveLength(SCENARIO_PATIENTS.fullRecord.labResults);
  expect(clinician.body.data.patientByNumber.documents).toHaveLength(SCENARIO_PATIENTS.fullRecord.documents);
});
