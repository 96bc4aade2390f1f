/**
 * The verifiable access log across real processes: two API processes append concurrently (no lock
 * per request) while each tries to checkpoint every second; exactly one makes each checkpoint
 * (the published sizes grow strictly, each note once). A checkpointer that stops and starts again
 * resumes from the stored tree, and a checkpoint stored but not yet published (a crash in between)
 * is published on resume.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openCheckpoint } from '../../src/audit/tlog/checkpoint';
import { checkpointNow, checkpointSigner } from '../../src/audit/tlog/checkpointer';
import { verifyConsistency } from '../../src/audit/tlog/merkle';
import { startTestApi, TestApi } from '../support/harness';
import { ApiProcess, buildOnce, gqlTo, sameDatabaseEnv, startApiProcess } from '../support/processes';

let api: TestApi;
let a: ApiProcess;
let b: ApiProcess;

const GP_READ = `query($n: String!) { patientByNumber(patientNumber: $n) { patientNumber labResults { value } } }`;
const VERIFY = `{ verifyAccessLog { ok checked firstBrokenEventId problem treeSize pending } }`;
const env = () => ({ ...sameDatabaseEnv(api.config), ACCESS_LOG_CHECKPOINT_SECONDS: '1' });
const published = () => fs.readdirSync(path.join(api.config.accessLogCheckpointDir, 'checkpoints')).map(Number).sort((x, y) => x - y);
const count = async () => Number((await api.sql('SELECT count(*) AS n FROM access_event'))[0].n);
const until = async (what: () => Promise<boolean>, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
};

beforeAll(async () => {
  api = await startTestApi();
  await buildOnce();
  [a, b] = await Promise.all([startApiProcess(env()), startApiProcess(env())]);
}, 120_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await api?.close();
});

test('two processes append concurrently; their checkpointers take turns and every checkpoint is consistent with the last', async () => {
  const gp = await api.token('gp-jansen');
  for (let round = 0; round < 4; round++) {
    const responses = await Promise.all(Array.from({ length: 40 }, (_, k) => gqlTo(k % 2 ? a.url : b.url, gp, GP_READ, { n: 'P-0001' })));
    for (const r of responses) expect(r.status).toBe(200);
    await new Promise((r) => setTimeout(r, 700));
  }
  const total = await count();
  await until(async () => published().at(-1) === total);
  const sizes = published();
  expect(sizes.length).toBeGreaterThanOrEqual(2);
  // One checkpoint per size, each made by one process: the stored ones are exactly the published ones.
  const stored = (await api.sql('SELECT tree_size::int AS n, note FROM access_log_checkpoint ORDER BY tree_size')).map((r) => r.n);
  expect(stored).toEqual(sizes);
  // Each checkpoint extends the one before it (consistency proofs from the API).
  const key = checkpointSigner(api.config).verifierKey;
  const notes = sizes.map((s) => openCheckpoint(fs.readFileSync(path.join(api.config.accessLogCheckpointDir, 'checkpoints', String(s)), 'utf8'), key));
  for (let k = 1; k < notes.length; k++) {
    const res = (await (await fetch(`${a.origin}/access-log/proof/consistency?from=${notes[k - 1].size}&to=${notes[k].size}`)).json()) as { proof: string[] };
    expect(verifyConsistency(notes[k - 1].size, notes[k].size, notes[k - 1].root, notes[k].root, res.proof.map((h: string) => Buffer.from(h, 'base64')))).toBe(true);
  }
  // Both processes made checkpoints or only one did; either way, the logs show no failure.
  expect(a.output() + b.output()).not.toContain('access log checkpoint failed');
  const dpo = await api.token('dpo-01');
  const verified = await gqlTo(b.url, dpo, VERIFY);
  expect(verified.body.data.verifyAccessLog).toMatchObject({ ok: true, firstBrokenEventId: null, problem: null, pending: 0 });
}, 60_000);

test('after a restart the checkpointer resumes from the stored tree', async () => {
  await Promise.all([a.stop(), b.stop()]);
  const gp = await api.token('gp-jansen');
  const before = published().at(-1)!;
  // Written while no API process runs: the harness's own server appends (its checkpointer waits 60 s).
  for (let i = 0; i < 3; i++) await api.gql({ token: gp }, GP_READ, { n: 'P-0001' });
  a = await startApiProcess(env());
  await until(async () => (published().at(-1) ?? 0) >= before + 3);
  const dpo = await api.token('dpo-01');
  expect((await gqlTo(a.url, dpo, VERIFY)).body.data.verifyAccessLog).toMatchObject({ ok: true, problem: null });
  b = await startApiProcess(env());
}, 60_000);

test('a checkpoint stored but not published (crash in between) is published by the next checkpoint', async () => {
  await Promise.all([a.stop(), b.stop()]);
  await api.gql('gp-jansen', GP_READ, { n: 'P-0001' });
  const made = await checkpointNow(api.database.dataSource, api.config);
  expect(made.made).toBe(true);
  const dir = api.config.accessLogCheckpointDir;
  // Undo the publication, as if the process had died right after COMMIT.
  const leaves = fs.readdirSync(path.join(dir, 'leaves')).find((f) => f.endsWith(`-${made.size}`))!;
  fs.rmSync(path.join(dir, 'checkpoints', String(made.size)));
  fs.rmSync(path.join(dir, 'leaves', leaves));
  await api.gql('gp-jansen', GP_READ, { n: 'P-0001' });
  a = await startApiProcess(env());
  await until(async () => (published().at(-1) ?? 0) > made.size);
  expect(published()).toContain(made.size);
  const dpo = await api.token('dpo-01');
  expect((await gqlTo(a.url, dpo, VERIFY)).body.data.verifyAccessLog).toMatchObject({ ok: true, problem: null, pending: 0 });
}, 60_000);

test('a compiled process verifies with worker threads and still names an edited and a removed event', async () => {
  const dpo = await api.token('dpo-01');
  expect((await gqlTo(a.url, dpo, VERIFY)).body.data.verifyAccessLog).toMatchObject({ ok: true });
  const tree = await api.sql<{ id: string; i: number }>('SELECT event_id AS id, leaf_index::int AS i FROM access_log_leaf ORDER BY leaf_index');
  const edited = tree[Math.floor(tree.length / 2)];
  const removed = tree[tree.length - 2];
  const [before] = await api.sql('SELECT actor_subject FROM access_event WHERE id = $1', [edited.id]);
  const [row] = await api.sql('SELECT * FROM access_event WHERE id = $1', [removed.id]);
  const owner = async (text: string, params: unknown[]) => {
    await api.sql('BEGIN');
    await api.sql('SET LOCAL session_replication_role = replica');
    await api.sql(text, params);
    await api.sql('COMMIT');
  };
  await owner('DELETE FROM access_event WHERE id = $1', [removed.id]);
  expect((await gqlTo(a.url, dpo, VERIFY)).body.data.verifyAccessLog).toMatchObject({ ok: false, problem: 'EVENT_MISSING', firstBrokenEventId: tree[tree.length - 1].id });
  await owner('UPDATE access_event SET actor_subject = $1 WHERE id = $2', ['someone-else', edited.id]);
  expect((await gqlTo(a.url, dpo, VERIFY)).body.data.verifyAccessLog).toMatchObject({ ok: false, problem: 'EVENT_EDITED', firstBrokenEventId: edited.id, checked: edited.i });
  await owner('UPDATE access_event SET actor_subject = $1 WHERE id = $2', [before.actor_subject, edited.id]);
  const columns = Object.keys(row);
  await owner(`INSERT INTO access_event (${columns.join(', ')}) VALUES (${columns.map((_, k) => `$${k + 1}`).join(', ')})`, columns.map((c) => row[c]));
  expect((await gqlTo(a.url, dpo, VERIFY)).body.data.verifyAccessLog).toMatchObject({ ok: true });
}, 60_000);
