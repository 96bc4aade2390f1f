import { applyRetention, findDue } from '../../src/record/retention/retention';
import { retentionCommand } from '../../src/record/retention/retention-command';
import { startTestApi, TestApi } from '../support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const NOW = new Date();
const yearsAgo = (n: number) => new Date(NOW.getTime() - n * 365.25 * 86_400_000);

test('nothing of the demo is due; 20 years after the last care ordinary data is, core documents are not', async () => {
  expect(await findDue(api.database.dataSource, NOW)).toEqual([]);
  // Move all of P-0002's care back 25 years.
  const p2 = await api.patientId('P-0002');
  for (const [table, column] of [['encounter', 'start'], ['encounter', '"end"'], ['clinical_document', 'authored_at'], ['lab_result', 'observed_at'], ['diagnosis', 'recorded_at'], ['ecg', 'recorded_at'], ['imaging_report', 'performed_at']]) {
    await api.sql(`UPDATE ${table} SET ${column} = ${column} - interval '25 years' WHERE patient_id = $1 AND ${column} IS NOT NULL`, [p2]);
  }
  await api.sql(`UPDATE medication SET start = start - interval '25 years', "end" = "end" - interval '25 years' WHERE patient_id = $1`, [p2]);
  await api.sql(`INSERT INTO clinical_document (patient_id, type, title, authored_at, body) VALUES ($1, 'DISCHARGE_LETTER', 'Old discharge letter', now() - interval '25 years', 'Core document kept 115 years.')`, [p2]);

  const due = await findDue(api.database.dataSource, NOW);
  expect(new Set(due.map((d) => d.patientNumber))).toEqual(new Set(['P-0002']));
  expect(due.some((d) => d.table === 'lab_result' && d.rule === 'last-care+20y')).toBe(true);
  expect(due.some((d) => d.rule === 'birth+115y')).toBe(false);

  const labsBefore = Number((await api.sql('SELECT count(*) FROM lab_result WHERE patient_id = $1', [p2]))[0].count);
  expect(labsBefore).toBeGreaterThan(0);
  const destroyed = await applyRetention(api.database.dataSource, due, undefined, NOW);
  expect(destroyed).toBe(due.reduce((n, d) => n + d.rows, 0));
  expect(Number((await api.sql('SELECT count(*) FROM lab_result WHERE patient_id = $1', [p2]))[0].count)).toBe(0);
  const kept = await api.sql(`SELECT type FROM clinical_document WHERE patient_id = $1`, [p2]);
  expect(kept.map((d) => d.type)).toEqual(['DISCHARGE_LETTER']);
  const [event] = await api.sql(`SELECT * FROM access_event WHERE patient_id = $1 AND action = 'DELETE'`, [p2]);
  expect(event).toMatchObject({ actor_subject: 'system:retention', basis: 'retention-term-expired' });
  expect(event.detail).toContain('lab_result');
  expect(event.detail).not.toContain('Core document');
  // Other patients untouched.
  expect(await findDue(api.database.dataSource, NOW)).toEqual([]);
});

test('core documents and emergency data go 115 years after birth, ordinary data 20 years after care', async () => {
  const p4 = await api.patientId('P-0004');
  await api.sql(`INSERT INTO clinical_document (patient_id, type, title, authored_at, body) VALUES ($1, 'OPERATION_REPORT', 'Operation', now() - interval '1 year', 'Core.')`, [p4]);
  expect((await findDue(api.database.dataSource, NOW)).filter((d) => d.patientNumber === 'P-0004')).toEqual([]);
  await api.sql(`UPDATE patient SET birth_date = $2 WHERE id = $1`, [p4, yearsAgo(116).toISOString().slice(0, 10)]);
  const due = (await findDue(api.database.dataSource, NOW)).filter((d) => d.patientNumber === 'P-0004');
  expect(due).toEqual([expect.objectContaining({ table: 'clinical_document', rule: 'birth+115y', rows: 1 })]);
});

test('the retention command is a dry run by default and destroys with --apply', async () => {
  const lines: string[] = [];
  await retentionCommand(api.config, [], (l) => lines.push(l));
  expect(lines.join('\n')).toContain('dry run');
  expect(lines.join('\n')).toMatch(/P-0004\tclinical_document\tCLINICAL_NOTES\tbirth\+115y\t1 rows/);
  const count = async () => Number((await api.sql(`SELECT count(*) FROM clinical_document d JOIN patient p ON p.id = d.patient_id WHERE p.patient_number = 'P-0004' AND d.type = 'OPERATION_REPORT'`))[0].count);
  expect(await count()).toBe(1);
  lines.length = 0;
  await retentionCommand(api.config, ['--apply'], (l) => lines.push(l));
  expect(lines.join('\n')).toContain('destroyed 1 rows');
  expect(await count()).toBe(0);
  const verify = await api.gql('dpo-01', '{ verifyAccessLog { ok } }');
  expect(verify.body.data.verifyAccessLog.ok).toBe(true);
});
