/**
 * The verifiable access log (docs/access-log.md) through the API, the HTTP endpoints and the
 * standalone verifier: checkpoints, proofs, and every attack the database owner can make —
 * done as the owner with the append-only trigger bypassed (session_replication_role = replica).
 * Each attack is reported at the first bad entry, and undone before the next.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { parseVerifierKey, openCheckpoint, signCheckpoint } from '../../src/audit/tlog/checkpoint';
import { CheckpointRefused, checkpointNow, makeCheckpoint } from '../../src/audit/tlog/checkpointer';
import { exportEvents } from '../../src/audit/tlog/export';
import { EVENT_COLUMNS, eventLeafHash } from '../../src/audit/tlog/leaf';
import { nodeHash, verifyConsistency, verifyInclusion } from '../../src/audit/tlog/merkle';
import { projectRoot } from '../../src/config';
import { startTestApi, TestApi } from '../support/harness';
import { buildOnce } from '../support/processes';

let api: TestApi;
let p1: string;
let origin: string;
let tmp: string;
beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
  origin = new URL(api.server.url).origin;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-log-'));
  await buildOnce();
}, 180_000);
afterAll(async () => {
  await api?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const READ = `query($id: ID!) { patient(id: $id) { labResults { value } } }`;
const VERIFY = `{ verifyAccessLog { ok checked firstBrokenEventId problem firstBrokenLeafIndex missingEventId treeSize pending } }`;
const LOG_WITH_PROOFS = `query($id: ID!) { accessLog(patientId: $id, first: 100) { nodes { id actorSubject proof { leafIndex treeSize leafHash auditPath checkpoint } } } }`;

const verify = async () => {
  const res = await api.gql('dpo-01', VERIFY);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.verifyAccessLog;
};
const get = async (p: string) => {
  const res = await fetch(origin + p);
  return { status: res.status, text: await res.text() };
};
const verifierKey = async () => parseVerifierKey((await get('/access-log/verifier-key')).text);
/** Events in tree order. */
const inTree = () => api.sql<{ id: string; leaf_index: string }>('SELECT l.event_id AS id, l.leaf_index FROM access_log_leaf l ORDER BY l.leaf_index');
const eventRow = async (id: string) => (await api.sql(`SELECT * FROM access_event WHERE id = $1`, [id]))[0];

/** Statements as the database owner with every trigger off, in one transaction. */
async function asOwner(...statements: Array<[string, unknown[]?]>) {
  await api.sql('BEGIN');
  try {
    await api.sql('SET LOCAL session_replication_role = replica');
    for (const [text, params] of statements) await api.sql(text, params);
    await api.sql('COMMIT');
  } catch (error) {
    await api.sql('ROLLBACK');
    throw error;
  }
}
/** Puts a removed row back as it was. */
const reinsertInto = (table: string, row: Record<string, unknown>): [string, unknown[]] => {
  const columns = Object.keys(row);
  return [`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, columns.map((c) => row[c])];
};
const reinsert = (row: Record<string, unknown>) => reinsertInto('access_event', row);

const verifyLogCli = (...args: string[]) => promisify(execFile)(process.execPath, [path.join(projectRoot(), 'dist/src/cli/verify-log.js'), ...args])
  .then((r) => ({ code: 0, out: JSON.parse(r.stdout) }), (e) => ({ code: e.code as number, out: e.stdout ? JSON.parse(e.stdout) : e.stderr }));

describe('checkpoints and proofs', () => {
  test('verifying makes a checkpoint first: every event so far is covered and checked', async () => {
    for (let i = 0; i < 5; i++) await api.gql('gp-jansen', READ, { id: p1 });
    const result = await verify();
    const [{ n }] = await api.sql('SELECT count(*)::int AS n FROM access_event');
    expect(result).toEqual({ ok: true, checked: n, firstBrokenEventId: null, problem: null, firstBrokenLeafIndex: null, missingEventId: null, treeSize: n, pending: 0 });
    const dir = api.config.accessLogCheckpointDir;
    expect(fs.readdirSync(path.join(dir, 'checkpoints'))).toContain(String(n));
    expect(fs.readFileSync(path.join(dir, 'verifier-key'), 'utf8')).toBe((await get('/access-log/verifier-key')).text);
  });

  test('the checkpoint endpoint serves signed notes; consistency proofs between any two verify', async () => {
    const key = await verifierKey();
    const first = openCheckpoint((await get('/access-log/checkpoint')).text, key);
    for (let i = 0; i < 3; i++) await api.gql('gp-jansen', READ, { id: p1 });
    expect((await checkpointNow(api.database.dataSource, api.config)).made).toBe(true);
    const latest = await get('/access-log/checkpoint');
    const second = openCheckpoint(latest.text, key);
    expect(second.origin).toBe(api.config.accessLogOrigin);
    expect(second.size).toBe(first.size + 3);
    expect((await get(`/access-log/checkpoints/${first.size}`)).text).toBe(fs.readFileSync(path.join(api.config.accessLogCheckpointDir, 'checkpoints', String(first.size)), 'utf8'));
    const res = JSON.parse((await get(`/access-log/proof/consistency?from=${first.size}&to=${second.size}`)).text);
    const proof = res.proof.map((h: string) => Buffer.from(h, 'base64'));
    expect(verifyConsistency(first.size, second.size, first.root, second.root, proof)).toBe(true);
    expect(verifyConsistency(first.size, second.size, Buffer.alloc(32), second.root, proof)).toBe(false);
    const inclusion = JSON.parse((await get(`/access-log/proof/inclusion?index=2&size=${second.size}`)).text);
    expect(verifyInclusion(2, second.size, Buffer.from(inclusion.leafHash, 'base64'), inclusion.auditPath.map((h: string) => Buffer.from(h, 'base64')), second.root)).toBe(true);
    expect((await get('/access-log/proof/consistency?from=2&to=1')).status).toBe(400);
    expect((await get(`/access-log/checkpoints/${second.size + 1}`)).status).toBe(404);
    expect((await get('/access-log/nothing')).status).toBe(404);
  });

  test("the patient gets, for each event of its own log, an inclusion proof and the checkpoint it is in", async () => {
    await api.gql('gp-jansen', READ, { id: p1 });
    await checkpointNow(api.database.dataSource, api.config);
    const key = await verifierKey();
    const res = await api.gql('P-0001', LOG_WITH_PROOFS, { id: p1 });
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.accessLog.nodes;
    expect(nodes.length).toBeGreaterThan(5);
    for (const n of nodes) {
      expect(n.proof).not.toBeNull();
      const c = openCheckpoint(n.proof.checkpoint, key);
      expect(c.size).toBe(n.proof.treeSize);
      const [row] = await api.sql(`SELECT ${EVENT_COLUMNS} FROM access_event e WHERE e.id = $1`, [n.id]);
      expect(n.proof.leafHash).toBe(eventLeafHash(row).toString('base64'));
      expect(verifyInclusion(n.proof.leafIndex, n.proof.treeSize, Buffer.from(n.proof.leafHash, 'base64'), n.proof.auditPath.map((h: string) => Buffer.from(h, 'base64')), c.root)).toBe(true);
    }
    // The standalone verifier checks a held proof, with and without the event it is for.
    const gpEvent = nodes.find((n: { actorSubject: string }) => n.actorSubject === 'gp-jansen');
    const proofFile = path.join(tmp, 'proof.json');
    fs.writeFileSync(proofFile, JSON.stringify(gpEvent.proof));
    const [row] = await api.sql(`SELECT ${EVENT_COLUMNS} FROM access_event e WHERE e.id = $1`, [gpEvent.id]);
    const eventFile = path.join(tmp, 'event.json');
    fs.writeFileSync(eventFile, JSON.stringify(row));
    const keyText = (await get('/access-log/verifier-key')).text.trim();
    expect(await verifyLogCli('--proof', proofFile, '--key', keyText, '--event', eventFile)).toEqual({ code: 0, out: { ok: true } });
    fs.writeFileSync(eventFile, JSON.stringify({ ...row, actorSubject: 'someone-else' }));
    expect((await verifyLogCli('--proof', proofFile, '--key', keyText, '--event', eventFile)).code).toBe(1);
    fs.writeFileSync(proofFile, JSON.stringify({ ...gpEvent.proof, leafIndex: gpEvent.proof.leafIndex + 1 }));
    expect((await verifyLogCli('--proof', proofFile, '--key', keyText)).code).toBe(1);
  });

  test('an event not yet in a checkpoint has no proof yet; the clinician gets no log at all', async () => {
    const fresh = await api.gql('gp-jansen', READ, { id: p1 });
    const requestId = fresh.headers.get('x-request-id');
    const res = await api.gql('P-0001', `query($id: ID!) { accessLog(patientId: $id, first: 100) { nodes { requestId proof { leafIndex } } } }`, { id: p1 });
    expect(res.body.data.accessLog.nodes.find((n: { requestId: string }) => n.requestId === requestId).proof).toBeNull();
    const clinician = await api.gql('clin-dekker', LOG_WITH_PROOFS, { id: p1 });
    expect(clinician.body.data).toBeNull();
    expect(clinician.text).not.toContain('auditPath');
  });

  test('an event whose transaction commits after later events were checkpointed still enters the tree', async () => {
    const slow = new Client({ connectionString: api.database.url });
    await slow.connect();
    try {
      await slow.query(`SET search_path TO ${api.config.databaseSchema}`);
      await slow.query('BEGIN');
      const [late] = (await slow.query(`INSERT INTO access_event (at, actor_subject, actor_role, purpose, action, categories_granted, categories_denied, outcome, request_id)
        VALUES (now(), 'retention', 'SERVICE', 'RETENTION', 'DELETE', '{}', '{}', 'GRANTED', 'slow-transaction') RETURNING id, seq`)).rows;
      await api.gql('gp-jansen', READ, { id: p1 });
      await checkpointNow(api.database.dataSource, api.config);
      await api.gql('gp-jansen', READ, { id: p1 });
      await checkpointNow(api.database.dataSource, api.config);
      await slow.query('COMMIT');
      const [higher] = await api.sql('SELECT max(l.leaf_index)::int AS i FROM access_log_leaf l');
      await checkpointNow(api.database.dataSource, api.config);
      const [placed] = await api.sql('SELECT leaf_index::int AS i FROM access_log_leaf WHERE event_id = $1', [late.id]);
      expect(placed.i).toBe(higher.i + 1);
      expect(await verify()).toMatchObject({ ok: true, pending: 0 });
    } finally {
      await slow.end();
    }
  });

  test('the standalone verifier checks an export against the published checkpoints', async () => {
    await checkpointNow(api.database.dataSource, api.config);
    const file = path.join(tmp, 'export-ok.jsonl');
    await exportEvents(api.database.dataSource, file);
    const keyFile = path.join(api.config.accessLogCheckpointDir, 'verifier-key');
    const { code, out } = await verifyLogCli('--events', file, '--checkpoints', api.config.accessLogCheckpointDir, '--key', keyFile);
    expect(code).toBe(0);
    expect(out).toMatchObject({ ok: true, firstBrokenEventId: null, pending: 0 });
    expect(out.checked).toBe(out.treeSize);
  });
});

describe('attacks by the database owner, each named at the first bad entry', () => {
  beforeEach(async () => {
    await api.gql('gp-jansen', READ, { id: p1 });
    expect((await verify()).ok).toBe(true);
  });

  test('an edited event', async () => {
    const tree = await inTree();
    const target = tree[Math.floor(tree.length / 2)];
    const row = await eventRow(target.id);
    await asOwner(['UPDATE access_event SET actor_subject = $1 WHERE id = $2', ['clin-visser', target.id]]);
    expect(await verify()).toMatchObject({ ok: false, problem: 'EVENT_EDITED', firstBrokenEventId: target.id, checked: Number(target.leaf_index), firstBrokenLeafIndex: Number(target.leaf_index) });
    // The standalone verifier, given an export of the tampered database, says the same.
    const file = path.join(tmp, 'export-edited.jsonl');
    await exportEvents(api.database.dataSource, file);
    const cli = await verifyLogCli('--events', file, '--checkpoints', api.config.accessLogCheckpointDir, '--key', path.join(api.config.accessLogCheckpointDir, 'verifier-key'));
    expect(cli).toMatchObject({ code: 1, out: { ok: false, problem: 'EVENT_EDITED', firstBrokenEventId: target.id } });
    await asOwner(['UPDATE access_event SET actor_subject = $1 WHERE id = $2', [row.actor_subject, target.id]]);
  });

  test('an edited event with the stored tree and checkpoint rewritten to match', async () => {
    const tree = await inTree();
    const target = tree[3];
    const row = await eventRow(target.id);
    const index = Number(target.leaf_index);
    // Recompute the leaf, every stored node above it and the checkpoint (signed with a key of one's own).
    const [edited] = await api.sql(`SELECT ${EVENT_COLUMNS} FROM access_event e WHERE e.id = $1`, [target.id]);
    const nodes = new Map((await api.sql<{ level: number; idx: string; hash: Buffer }>('SELECT level, idx, hash FROM access_log_node')).map((n) => [`${n.level}/${n.idx}`, n.hash]));
    let hash = eventLeafHash({ ...edited, outcome: 'DENIED' });
    const updates: Array<[string, unknown[]]> = [['UPDATE access_event SET outcome = $1 WHERE id = $2', ['DENIED', target.id]]];
    for (let level = 0, i = index; nodes.has(`${level}/${i}`); level++, i = Math.floor(i / 2)) {
      updates.push(['UPDATE access_log_node SET hash = $1 WHERE level = $2 AND idx = $3', [hash, level, i]]);
      const sibling = nodes.get(`${level}/${i ^ 1}`);
      if (!sibling) break;
      hash = i % 2 ? nodeHash(sibling, hash) : nodeHash(hash, sibling);
    }
    const [latest] = await api.sql('SELECT tree_size, note FROM access_log_checkpoint ORDER BY tree_size DESC LIMIT 1');
    const forged = signCheckpoint({ origin: api.config.accessLogOrigin, size: Number(latest.tree_size), root: Buffer.alloc(32, 1) }, api.config.accessLogOrigin, generateKeyPairSync('ed25519').privateKey);
    updates.push(['UPDATE access_log_checkpoint SET note = $1 WHERE tree_size = $2', [forged, latest.tree_size]]);
    await asOwner(...updates);
    expect(await verify()).toMatchObject({ ok: false, problem: 'EVENT_EDITED', firstBrokenEventId: target.id, firstBrokenLeafIndex: index, checked: index });
    // The checkpointer refuses to sign on top of the rewritten tree.
    await api.gql('gp-jansen', READ, { id: p1 });
    await expect(makeCheckpoint(api.database.dataSource, api.config)).rejects.toThrow(CheckpointRefused);
    // Only the event put back, the stored tree still is not the signed one.
    await asOwner(['UPDATE access_event SET outcome = $1 WHERE id = $2', [row.outcome, target.id]]);
    expect(await verify()).toMatchObject({ ok: false, problem: 'TREE_REWRITTEN', firstBrokenEventId: target.id });
    await asOwner(
      ...[...nodes].filter(([k]) => updates.some(([, p]) => p[1] !== undefined && `${p[1]}/${p[2]}` === k)).map(([k, h]): [string, unknown[]] => {
        const [level, idx] = k.split('/');
        return ['UPDATE access_log_node SET hash = $1 WHERE level = $2 AND idx = $3', [h, Number(level), idx]];
      }),
      ['UPDATE access_log_checkpoint SET note = $1 WHERE tree_size = $2', [latest.note, latest.tree_size]],
    );
  });

  test('a deleted event in the middle, named by the signed checkpoint and reported at the entry after it', async () => {
    const tree = await inTree();
    const i = Math.floor(tree.length / 3);
    const row = await eventRow(tree[i].id);
    await asOwner(['DELETE FROM access_event WHERE id = $1', [tree[i].id]]);
    expect(await verify()).toMatchObject({ ok: false, problem: 'EVENT_MISSING', checked: i, firstBrokenLeafIndex: i, missingEventId: tree[i].id, firstBrokenEventId: tree[i + 1].id });
    await asOwner(reinsert(row));
  });

  test('a deleted event with its tree position removed and the later ones moved up', async () => {
    const tree = await inTree();
    const i = 2;
    const row = await eventRow(tree[i].id);
    const far = 1_000_000_000;
    await asOwner(
      ['DELETE FROM access_event WHERE id = $1', [tree[i].id]],
      ['DELETE FROM access_log_leaf WHERE leaf_index = $1', [i]],
      ['UPDATE access_log_leaf SET leaf_index = leaf_index + $1 WHERE leaf_index > $2', [far, i]],
      ['UPDATE access_log_leaf SET leaf_index = leaf_index - $1 - 1 WHERE leaf_index > $1', [far]],
    );
    expect(await verify()).toMatchObject({ ok: false, problem: 'EVENT_MISSING', checked: i, missingEventId: tree[i].id, firstBrokenEventId: tree[i + 1].id });
    await asOwner(
      reinsert(row),
      ['UPDATE access_log_leaf SET leaf_index = leaf_index + $1 + 1 WHERE leaf_index >= $2', [far, i]],
      ['UPDATE access_log_leaf SET leaf_index = leaf_index - $1 WHERE leaf_index > $1', [far]],
      ['INSERT INTO access_log_leaf VALUES ($1, $2)', [i, tree[i].id]],
    );
  });

  test('the newest events deleted (the tail of the log)', async () => {
    const tree = await inTree();
    const tail = tree.slice(-3);
    const rows = await Promise.all(tail.map((t) => eventRow(t.id)));
    await asOwner(...tail.map((t): [string, unknown[]] => ['DELETE FROM access_event WHERE id = $1', [t.id]]));
    expect(await verify()).toMatchObject({ ok: false, problem: 'EVENT_MISSING', checked: tree.length - 3, firstBrokenLeafIndex: tree.length - 3, firstBrokenEventId: tail[0].id, missingEventId: tail[0].id });
    await asOwner(...rows.map(reinsert));
  });

  test('the tail deleted together with its tree rows and checkpoints: the published checkpoint still has it', async () => {
    const tree = await inTree();
    const [latest] = await api.sql('SELECT tree_size FROM access_log_checkpoint ORDER BY tree_size DESC LIMIT 1');
    const [previous] = await api.sql('SELECT tree_size FROM access_log_checkpoint WHERE tree_size < $1 ORDER BY tree_size DESC LIMIT 1', [latest.tree_size]);
    const dropped = tree.slice(Number(previous.tree_size));
    const rows = await Promise.all(dropped.map((t) => eventRow(t.id)));
    const saved = {
      leaves: await api.sql('SELECT * FROM access_log_leaf WHERE leaf_index >= $1', [previous.tree_size]),
      nodes: await api.sql('SELECT * FROM access_log_node n WHERE (n.idx + 1) * (2 ^ n.level)::bigint > $1', [previous.tree_size]),
      checkpoints: await api.sql('SELECT * FROM access_log_checkpoint WHERE tree_size > $1', [previous.tree_size]),
    };
    await asOwner(
      ['DELETE FROM access_event WHERE id = ANY($1::uuid[])', [dropped.map((t) => t.id)]],
      ['DELETE FROM access_log_leaf WHERE leaf_index >= $1', [previous.tree_size]],
      ['DELETE FROM access_log_node n WHERE (n.idx + 1) * (2 ^ n.level)::bigint > $1', [previous.tree_size]],
      ['DELETE FROM access_log_checkpoint WHERE tree_size > $1', [previous.tree_size]],
    );
    expect(await verify()).toMatchObject({ ok: false, problem: 'EVENT_MISSING', firstBrokenEventId: dropped[0].id, checked: Number(previous.tree_size) });
    await expect(makeCheckpoint(api.database.dataSource, api.config)).rejects.toThrow(/behind the published checkpoint/);
    await asOwner(
      ...rows.map(reinsert),
      ...saved.leaves.map((l): [string, unknown[]] => ['INSERT INTO access_log_leaf VALUES ($1, $2)', [l.leaf_index, l.event_id]]),
      ...saved.nodes.map((n): [string, unknown[]] => ['INSERT INTO access_log_node VALUES ($1, $2, $3)', [n.level, n.idx, n.hash]]),
      ...saved.checkpoints.map((c) => reinsertInto('access_log_checkpoint', c)),
    );
  });

  test('a forged checkpoint in the published directory is refused', async () => {
    const dir = api.config.accessLogCheckpointDir;
    const [latest] = await api.sql('SELECT tree_size FROM access_log_checkpoint ORDER BY tree_size DESC LIMIT 1');
    const size = Number(latest.tree_size) + 10;
    const forger = generateKeyPairSync('ed25519').privateKey;
    const file = path.join(dir, 'checkpoints', String(size));
    fs.writeFileSync(file, signCheckpoint({ origin: api.config.accessLogOrigin, size, root: Buffer.alloc(32, 2) }, api.config.accessLogOrigin, forger));
    try {
      expect(await verify()).toMatchObject({ ok: false, problem: 'CHECKPOINT_SIGNATURE' });
      const altered = path.join(dir, 'checkpoints', String(latest.tree_size));
      const original = fs.readFileSync(altered, 'utf8');
      fs.rmSync(file);
      fs.writeFileSync(altered, original.replace(`\n${latest.tree_size}\n`, `\n${Number(latest.tree_size) - 1}\n`));
      expect(await verify()).toMatchObject({ ok: false, problem: 'CHECKPOINT_SIGNATURE' });
      fs.writeFileSync(altered, original);
    } finally {
      fs.rmSync(file, { force: true });
    }
    expect((await verify()).ok).toBe(true);
  });

  test('published leaves altered to match an edit no longer hash to the signed root', async () => {
    const dir = api.config.accessLogCheckpointDir;
    const leavesFile = fs.readdirSync(path.join(dir, 'leaves')).sort((a, b) => Number(a.split('-')[0]) - Number(b.split('-')[0]))[0];
    const file = path.join(dir, 'leaves', leavesFile);
    const original = fs.readFileSync(file, 'utf8');
    const lines = original.split('\n');
    lines[1] = lines[1].replace(/ [0-9a-f]{64}$/, ' ' + 'ab'.repeat(32));
    fs.writeFileSync(file, lines.join('\n'));
    expect(await verify()).toMatchObject({ ok: false, problem: 'PUBLISHED_LEAVES', firstBrokenLeafIndex: Number(leavesFile.split('-')[0]) });
    fs.writeFileSync(file, original);
    expect((await verify()).ok).toBe(true);
  });
});
