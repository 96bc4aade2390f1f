/**
 * Fault: statements cancelled by a statement timeout. The API's role has
 * `statement_timeout = 400ms` (ALTER ROLE, as an operator would set it); a transaction of the
 * test's holds an exclusive lock on a table so that statements on it wait and are cancelled.
 *
 * - Lab results locked: the whole answer is 503 with Retry-After and no data (no internals); a
 *   half answer ("labResults: null") could be read as "no lab results".
 * - The access log locked: the log cannot be written in time, so nothing is released (503).
 * Once the lock is gone the same server answers normally.
 */
import { Client, Pool } from 'pg';
import { startTestApi, TestApi } from '../support/harness';
import type { LeakOracle } from '../support/leak-oracle';
import { adminPool, eventually, faultOracle, INTERNALS, mixedSteps, post, RoleServer, runLoad, startServerAsRole, verify } from './support/faults';

let api: TestApi;
let role: RoleServer;
let oracle: LeakOracle;
let pool: Pool;
const sql = async (text: string, params?: unknown[]) => (await pool.query(text, params)).rows;

beforeAll(async () => {
  api = await startTestApi();
  oracle = await faultOracle(api);
  role = await startServerAsRole(api, { statement_timeout: '400ms' });
  pool = adminPool(api.config.databaseUrl!, api.config.databaseSchema!);
}, 60_000);
afterAll(async () => {
  await role?.close();
  await pool?.end();
  await api?.close();
});

/** Holds an ACCESS EXCLUSIVE lock on a table until release() is called. */
async function lockTable(table: string): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: api.config.databaseUrl, options: `-c search_path=${api.config.databaseSchema}` });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return { release: async () => { await client.query('ROLLBACK'); await client.end(); } };
}

const READ = 'query($id: ID!) { patient(id: $id) { name { family } diagnoses { display } labResults { value } } }';

test('a timed-out field withholds the whole answer: 503, Retry-After, no data; then it answers again', async () => {
  const p1 = await api.patientId('P-0001');
  const token = await api.token('clin-dekker');
  const lock = await lockTable('lab_result');
  let res;
  try {
    const started = Date.now();
    res = await post(role.server.url, token, READ, { id: p1 });
    expect(Date.now() - started).toBeLessThan(5000);
  } finally {
    await lock.release();
  }
  expect(res.status).toBe(503);
  expect(res.body.data).toBeNull();
  expect(res.body.errors).toEqual([{ message: 'The service is temporarily unavailable', extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
  expect(res.text).not.toContain('Vries');
  expect(res.text).not.toMatch(INTERNALS);
  const raw = await fetch(role.server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: READ, variables: { id: p1 } }) });
  expect(raw.status).toBe(200);
  const after = (await raw.json()) as { data: { patient: { name: { family: string }; labResults: unknown[] } } };
  expect(after.data.patient.name.family).toBe('de Vries');
  expect(after.data.patient.labResults.length).toBeGreaterThan(0);
});

test('the access log cannot be written in time: nothing is released (503); then it recovers', async () => {
  const p1 = await api.patientId('P-0001');
  const next = await mixedSteps(api);
  const lock = await lockTable('access_event');
  let outcomes;
  try {
    const res = await post(role.server.url, await api.token('gp-jansen'), READ, { id: p1 });
    expect(res.status).toBe(503);
    expect(res.body.data).toBeNull();
    expect(res.text).not.toContain('Vries');
    expect(res.text).not.toMatch(INTERNALS);
    const started = Date.now();
    outcomes = await runLoad(role.server.url, next, 4, () => Date.now() - started > 2000);
  } finally {
    await lock.release();
  }
  const verdict = await verify(outcomes, oracle, sql);
  expect(verdict.problems).toEqual([]);
  expect(verdict.withPatientData).toBe(0);
  expect(verdict.failed).toBeGreaterThan(0);

  const token = await api.token('clin-dekker');
  await eventually(async () => {
    const res = await post(role.server.url, token, READ, { id: p1 });
    return res.status === 200 && !res.body.errors;
  });
  const started = Date.now();
  const after = await runLoad(role.server.url, next, 4, () => Date.now() - started > 1000);
  const clean = await verify(after, oracle, sql);
  expect(clean.problems).toEqual([]);
  expect(clean.failed).toBe(0);
}, 60_000);
