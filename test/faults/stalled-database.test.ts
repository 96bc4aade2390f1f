/**
 * Fault: the database stalls (a transaction of the test's holds `patient` locked) while requests
 * keep arriving. With DB_STATEMENT_TIMEOUT_MS, DB_POOL_WAIT_TIMEOUT_MS and MAX_IN_FLIGHT set,
 * every request is answered within a bounded time while the lock lasts — 503 with Retry-After
 * and no data — requests beyond the bound are refused at once, /readyz answers 503 within 2 s
 * from its own connection, and once the lock is gone the same server answers normally.
 */
import { Client } from 'pg';
import { startTestApi, TestApi } from '../support/harness';
import { INTERNALS } from './support/faults';

const STATEMENT_TIMEOUT_MS = 1500;
const POOL_WAIT_MS = 500;
const MAX_IN_FLIGHT = 20;
let api: TestApi;
let p1: string;

beforeAll(async () => {
  api = await startTestApi({ DB_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS), DB_POOL_WAIT_TIMEOUT_MS: String(POOL_WAIT_MS), MAX_IN_FLIGHT: String(MAX_IN_FLIGHT) });
  p1 = await api.patientId('P-0001');
}, 60_000);
afterAll(() => api?.close());

interface Timed { status: number; ms: number; text: string; body: any; retryAfter: string | null }

async function timed(url: string, init?: RequestInit): Promise<Timed> {
  const started = Date.now();
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown;
  try { body = JSON.parse(text); } catch { body = undefined; }
  return { status: res.status, ms: Date.now() - started, text, body, retryAfter: res.headers.get('retry-after') };
}

const READ = 'query($id: ID!) { patient(id: $id) { name { family } labResults { value } } }';
const read = async (token: string) => timed(api.server.url, {
  method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: READ, variables: { id: p1 } }),
});
const readyz = () => timed(api.server.url.replace(/graphql$/, 'readyz'));

async function lockPatients(): Promise<{ release(): Promise<void> }> {
  const client = new Client({ connectionString: api.config.databaseUrl, options: `-c search_path=${api.config.databaseSchema}` });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE patient IN ACCESS EXCLUSIVE MODE');
  return { release: async () => { await client.query('ROLLBACK'); await client.end(); } };
}

function expectCleanUnavailable(answer: Timed): void {
  expect(answer.status).toBe(503);
  expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  expect(answer.body.data ?? null).toBeNull();
  expect(answer.text).not.toContain('Vries');
  expect(answer.text).not.toMatch(INTERNALS);
}

test('patient locked under load: every answer is a bounded, clean 503; beyond MAX_IN_FLIGHT refused at once; /readyz 503 fast; then recovery', async () => {
  const tokens = await Promise.all(['clin-dekker', 'gp-jansen', 'P-0001', 'dpo-01'].map((s) => api.token(s)));
  expect((await read(tokens[0])).status).toBe(200);
  const lock = await lockPatients();
  let answers: Timed[];
  let ready: Timed;
  try {
    // 4 waves of 40 requests at once, 2.5 s apart: more than MAX_IN_FLIGHT, for longer than the timeouts.
    const waves: Promise<Timed[]>[] = [];
    for (let wave = 0; wave < 4; wave++) {
      waves.push(Promise.all(Array.from({ length: 40 }, (_, i) => read(tokens[i % tokens.length]))));
      if (wave === 1) ready = await readyz();
      await new Promise((resolve) => setTimeout(resolve, 2500));
    }
    answers = (await Promise.all(waves)).flat();
  } finally {
    await lock.release();
  }
  const slowest = Math.max(...answers.map((a) => a.ms));
  process.stderr.write(`\nstalled database: ${answers.length} requests, ${answers.filter((a) => a.status === 503).length} × 503, slowest ${slowest} ms, /readyz ${ready!.status} in ${ready!.ms} ms\n`);
  for (const answer of answers) expectCleanUnavailable(answer);
  // Bounded: a statement timeout plus a pool wait, with room for a loaded machine — never the length of the lock.
  expect(slowest).toBeLessThan(STATEMENT_TIMEOUT_MS + POOL_WAIT_MS + 2500);
  // Load shedding: the requests beyond the bound were refused without waiting.
  expect(answers.filter((a) => a.ms < 300).length).toBeGreaterThan(0);
  expect(ready!.status).toBe(503);
  expect(ready!.ms).toBeLessThan(2000);
  expect(ready!.body.status).toMatch(/overloaded|database unavailable/);

  // The same server recovers by itself.
  const deadline = Date.now() + 15_000;
  let after = await read(tokens[0]);
  while (after.status !== 200 && Date.now() < deadline) after = await read(tokens[0]);
  expect(after.status).toBe(200);
  expect(after.body.data.patient.name.family).toBe('de Vries');
  let readyAgain = await readyz();
  while (readyAgain.status !== 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    readyAgain = await readyz();
  }
  expect(readyAgain.status).toBe(200);
}, 60_000);

test('a write that times out is 503 and leaves nothing behind', async () => {
  const lock = await lockPatients();
  const before = await api.sql('SELECT count(*)::int AS n FROM objection');
  let answer: Timed;
  try {
    answer = await timed(api.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await api.token('P-0001')}` },
      body: JSON.stringify({ query: 'mutation($p: ID!) { lodgeObjection(input: { patientId: $p, kind: RESEARCH, lodgedByRelation: "SELF" }) { id } }', variables: { p: p1 } }),
    });
  } finally {
    await lock.release();
  }
  expectCleanUnavailable(answer);
  expect(await api.sql('SELECT count(*)::int AS n FROM objection')).toEqual(before);
}, 30_000);
