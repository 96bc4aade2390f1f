/**
 * Fault: the database stops and starts again during a load. The shared test cluster
 * cannot be stopped, so this file runs the API on a throwaway PostgreSQL of its own (real
 * PostgreSQL 15 binaries, its own data directory and port), stops it while requests run, and
 * starts it again. Every response stays clean (200 or 503, no internals) and carries no patient
 * data without its access event; /readyz reports 503 while the database is away and 200 once it is
 * back; the API recovers by itself — the same process, no restart.
 */
import { Pool } from 'pg';
import { startTestApi, TestApi } from '../support/harness';
import type { LeakOracle } from '../support/leak-oracle';
import {
  adminPool, eventually, faultOracle, mixedSteps, post, runLoad, startThrowawayPostgres, ThrowawayPostgres, verify,
} from './support/faults';

let pg: ThrowawayPostgres;
let api: TestApi;
let oracle: LeakOracle;
let pool: Pool;

beforeAll(async () => {
  pg = await startThrowawayPostgres();
  api = await startTestApi({ DATABASE_URL: pg.url });
  oracle = await faultOracle(api);
  pool = adminPool(pg.url, api.config.databaseSchema!);
}, 120_000);
afterAll(async () => {
  await pool?.end().catch(() => undefined);
  await api?.close().catch(() => undefined);
  await pg?.exit();
}, 60_000);

const readiness = async () => (await fetch(api.server.url.replace(/graphql$/, 'readyz'))).status;

test('stopped under load: clean 503s, /readyz 503, nothing unlogged; started again: recovery without restart', async () => {
  expect(await readiness()).toBe(200);
  const p1 = await api.patientId('P-0001');
  const next = await mixedSteps(api);
  const phases: string[] = [];
  let done = false;
  const readinessSeen = new Set<number>();
  const load = runLoad(api.server.url, next, 6, () => done);

  await new Promise((resolve) => setTimeout(resolve, 800));
  await pg.stop();
  phases.push('stopped');
  // While it is down: readiness says so, and requests fail cleanly (the load keeps running).
  await eventually(async () => (await readiness()) === 503, 10_000, 3);
  readinessSeen.add(503);
  const whileDown = await post(api.server.url, await api.token('clin-dekker'), 'query($id: ID!) { patient(id: $id) { name { family } } }', { id: p1 });
  expect(whileDown.status).toBe(503);
  expect(whileDown.body.data ?? null).toBeNull();
  expect(whileDown.text).not.toContain('Vries');
  await new Promise((resolve) => setTimeout(resolve, 1500));

  await pg.start();
  phases.push('started');
  const recoveredIn = await eventually(async () => (await readiness()) === 200, 30_000, 3);
  readinessSeen.add(200);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  done = true;
  const outcomes = await load;

  const verdict = await verify(outcomes, oracle, async (text, params) => (await pool.query(text, params as unknown[])).rows);
  process.stderr.write(`\ndatabase down: ${outcomes.length} requests, ${verdict.ok} ok, ${verdict.failed} failed (503), ${verdict.withPatientData} with patient data; ready again ${recoveredIn} ms after the start\n`);
  expect(phases).toEqual(['stopped', 'started']);
  expect([...readinessSeen]).toEqual([503, 200]);
  expect(verdict.problems).toEqual([]);
  expect(verdict.failed).toBeGreaterThan(0);
  expect(verdict.ok).toBeGreaterThan(0);

  // Every kind of request works again on the same server.
  const token = await api.token('clin-dekker');
  await eventually(async () => {
    const res = await post(api.server.url, token, 'query($id: ID!) { patient(id: $id) { name { family } labResults { value } } }', { id: p1 });
    return res.status === 200 && !res.body.errors && res.body.data.patient.name.family === 'de Vries';
  });
  const after = await runLoad(api.server.url, next, 4, (() => { const t = Date.now(); return () => Date.now() - t > 1000; })());
  const clean = await verify(after, oracle, async (text, params) => (await pool.query(text, params as unknown[])).rows);
  expect(clean.problems).toEqual([]);
  expect(clean.failed).toBe(0);
}, 120_000);
