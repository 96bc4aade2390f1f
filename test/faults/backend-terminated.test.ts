/**
 * Fault: PostgreSQL backends terminated mid-request. While a mixed load runs, every
 * connection of the API's pool is killed with pg_terminate_backend, over and over. Every response
 * must still be clean (200 or 503, no internals), carry no patient data without its access event,
 * and the API must recover by itself once the killing stops — no restart.
 */
import { Pool } from 'pg';
import { startTestApi, TestApi } from '../support/harness';
import type { LeakOracle } from '../support/leak-oracle';
import { adminPool, eventually, faultOracle, mixedSteps, post, RoleServer, runLoad, startServerAsRole, verify } from './support/faults';

let api: TestApi;
let role: RoleServer;
let oracle: LeakOracle;
let pool: Pool;

beforeAll(async () => {
  api = await startTestApi();
  oracle = await faultOracle(api);
  role = await startServerAsRole(api);
  pool = adminPool(api.config.databaseUrl!, api.config.databaseSchema!);
}, 60_000);
afterAll(async () => {
  await role?.close();
  await pool?.end();
  await api?.close();
});

test('connections killed under load: clean errors, nothing unlogged, recovery without restart', async () => {
  const next = await mixedSteps(api);
  let stop = false;
  let killed = 0;
  const killer = (async () => {
    while (!stop) {
      const rows = await pool.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE usename = $1', [role.role]);
      killed += rows.rows.filter((r) => r.ok).length;
      await new Promise((resolve) => setTimeout(resolve, 15 + Math.random() * 40));
    }
  })();
  const started = Date.now();
  const outcomes = await runLoad(role.server.url, next, 8, () => Date.now() - started > 4000);
  stop = true;
  await killer;

  const verdict = await verify(outcomes, oracle, async (text, params) => (await pool.query(text, params as unknown[])).rows);
  process.stderr.write(`\nbackends terminated: ${killed} connections killed, ${outcomes.length} requests, ${verdict.ok} ok, ${verdict.failed} failed, ${verdict.withPatientData} with patient data\n`);
  expect(verdict.problems).toEqual([]);
  // The fault really happened, and requests really ran through it.
  expect(killed).toBeGreaterThan(20);
  expect(verdict.failed).toBeGreaterThan(0);
  expect(verdict.ok).toBeGreaterThan(0);

  // Recovery: the same server answers every kind of request again.
  const p1 = await api.patientId('P-0001');
  const token = await api.token('clin-dekker');
  await eventually(async () => {
    const res = await post(role.server.url, token, 'query($id: ID!) { patient(id: $id) { name { family } labResults { value } } }', { id: p1 });
    return res.status === 200 && !res.body.errors && res.body.data.patient.name.family === 'de Vries';
  });
  const ready = await fetch(role.server.url.replace(/graphql$/, 'readyz'));
  expect(ready.status).toBe(200);
  const after = await runLoad(role.server.url, next, 4, (() => { const t = Date.now(); return () => Date.now() - t > 1000; })());
  const clean = await verify(after, oracle, async (text, params) => (await pool.query(text, params as unknown[])).rows);
  expect(clean.problems).toEqual([]);
  expect(clean.failed).toBe(0);
}, 60_000);
