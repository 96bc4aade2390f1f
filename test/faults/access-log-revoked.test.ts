/**
 * Fault: INSERT on the access-log table revoked from the API's database role — as a
 * misconfigured grant or a locked-down table would do, not a trigger. The API connects as a login
 * role of its own with ordinary privileges. While it may not insert into access_event, no request
 * releases patient data (fail closed, 503), writes store nothing, requests that touch no patient
 * still work; after GRANT the same server recovers by itself.
 */
import { Pool } from 'pg';
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
  role = await startServerAsRole(api);
  pool = adminPool(api.config.databaseUrl!, api.config.databaseSchema!);
}, 60_000);
afterAll(async () => {
  await role?.close();
  await pool?.end();
  await api?.close();
});

const READ = 'query($id: ID!) { patient(id: $id) { name { family } bsn labResults { value display } } }';

test('without INSERT on access_event: no patient data leaves, no write is stored; after GRANT it recovers', async () => {
  const p1 = await api.patientId('P-0001');
  const events = async () => Number((await sql('SELECT count(*) AS n FROM access_event'))[0].n);
  // Proof the role may write the log to begin with.
  const before = await post(role.server.url, await api.token('clin-dekker'), READ, { id: p1 });
  expect(before.status).toBe(200);
  expect(before.body.data.patient.name.family).toBe('de Vries');

  // From the login role and from the row-security role it switches to (whose grants it inherits).
  await api.sql(`REVOKE INSERT ON access_event FROM ${role.role}, ${api.config.databaseApiRole}`);
  try {
    const count = await events();
    const read = await post(role.server.url, await api.token('clin-dekker'), READ, { id: p1 });
    expect(read.status).toBe(503);
    expect(read.body.data).toBeNull();
    expect(read.body.errors.map((e: any) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(read.text).not.toMatch(/Vries|111222333|Hemoglobin/);
    expect(read.text).not.toMatch(INTERNALS);

    const own = await post(role.server.url, await api.token('P-0001'), '{ myRecord { name { family } portalNotes { text } } }');
    expect(own.status).toBe(503);
    expect(own.text).not.toContain('Vries');

    const note = `note while the log is closed ${Date.now()}`;
    const write = await post(role.server.url, await api.token('P-0001'), 'mutation($t: String!) { addPortalNote(text: $t) { id text } }', { t: note });
    expect(write.body?.data ?? null).toBeNull();
    expect(write.text).not.toContain(note);
    expect(write.text).not.toMatch(INTERNALS);
    expect(await sql('SELECT id FROM portal_note WHERE text = $1', [note])).toEqual([]);

    const me = await post(role.server.url, await api.token('gp-jansen'), '{ me { subject } }');
    expect(me.status).toBe(200);
    expect(me.body.data.me.subject).toBe('gp-jansen');

    // A whole mixed load: every response clean, nothing with data.
    const next = await mixedSteps(api);
    const started = Date.now();
    const outcomes = await runLoad(role.server.url, next, 4, () => Date.now() - started > 1500);
    const verdict = await verify(outcomes, oracle, sql);
    expect(verdict.problems).toEqual([]);
    expect(verdict.withPatientData).toBe(0);
    expect(await events()).toBe(count);
  } finally {
    await api.sql(`GRANT INSERT ON access_event TO ${role.role}, ${api.config.databaseApiRole}`);
  }

  const token = await api.token('clin-dekker');
  await eventually(async () => {
    const res = await post(role.server.url, token, READ, { id: p1 });
    return res.status === 200 && !res.body.errors && res.body.data.patient.name.family === 'de Vries';
  });
  const next = await mixedSteps(api);
  const started = Date.now();
  const after = await runLoad(role.server.url, next, 4, () => Date.now() - started > 1000);
  const verdict = await verify(after, oracle, sql);
  expect(verdict.problems).toEqual([]);
  expect(verdict.failed).toBe(0);
  expect(verdict.withPatientData).toBeGreaterThan(0);
  // The outage left the chain intact.
  const check = await post(role.server.url, await api.token('dpo-01'), '{ verifyAccessLog { ok firstBrokenEventId } }');
  expect(check.body.data.verifyAccessLog).toEqual({ ok: true, firstBrokenEventId: null });
}, 60_000);
