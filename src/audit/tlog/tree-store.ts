/**
 * The tree as stored in the database: leaf positions (access_log_leaf), the hash of every
 * complete subtree (access_log_node, level 0 = leaves) and the signed checkpoints. Dumb storage:
 * nothing here is trusted by a verifier, which checks it against the published checkpoints.
 */
import { AccessEventContent, EVENT_COLUMNS } from './leaf';
import { NodeKey, NodeLookup, nodesRead } from './merkle';

/** What runs SQL and returns rows: a DataSource or an EntityManager. */
export interface Queryable {
  query(text: string, params?: unknown[]): Promise<any>;
}

export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  note: string;
  /** Every event with a seq up to this is in the tree (the next checkpoint looks above it). */
  coveredSeq: string;
  /** The sequence's value just before this checkpoint's snapshot, and that snapshot's xmax. */
  seqHorizon: string;
  xidHorizon: string;
}

const COLUMNS = 'tree_size, root_hash, note, covered_seq, seq_horizon, xid_horizon::text';
const toCheckpoint = (r: { tree_size: string; root_hash: Buffer; note: string; covered_seq: string; seq_horizon: string; xid_horizon: string }): StoredCheckpoint =>
  ({ size: Number(r.tree_size), root: r.root_hash, note: r.note, coveredSeq: r.covered_seq, seqHorizon: r.seq_horizon, xidHorizon: r.xid_horizon });

/** The newest checkpoint in the database. */
export async function latestStoredCheckpoint(q: Queryable): Promise<StoredCheckpoint | undefined> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM access_log_checkpoint ORDER BY tree_size DESC LIMIT 1`);
  return row ? toCheckpoint(row) : undefined;
}

/** The checkpoint of a given size, if one was made. */
export async function storedCheckpoint(q: Queryable, size: number): Promise<StoredCheckpoint | undefined> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM access_log_checkpoint WHERE tree_size = $1`, [size]);
  return row ? toCheckpoint(row) : undefined;
}

/** All checkpoints with a size above `after`, ascending. */
export async function storedCheckpointsAfter(q: Queryable, after: number): Promise<StoredCheckpoint[]> {
  const rows = await q.query(`SELECT ${COLUMNS} FROM access_log_checkpoint WHERE tree_size > $1 ORDER BY tree_size`, [after]);
  return rows.map(toCheckpoint);
}

const keyOf = (k: NodeKey) => `${k.level}/${k.index}`;

/** Fetches complete subtrees in one statement. */
export async function fetchNodes(q: Queryable, keys: NodeKey[]): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  if (keys.length === 0) return found;
  const rows: Array<{ level: number; idx: string; hash: Buffer }> = await q.query(
    `SELECT n.level, n.idx, n.hash FROM access_log_node n JOIN unnest($1::smallint[], $2::bigint[]) AS k(level, idx) ON n.level = k.level AND n.idx = k.idx`,
    [keys.map((k) => k.level), keys.map((k) => k.index)]);
  for (const r of rows) found.set(`${r.level}/${r.idx}`, r.hash);
  return found;
}

/** Runs a tree computation over the stored nodes: once to learn which it reads, then with them fetched. */
export async function withStoredNodes<T>(q: Queryable, compute: (node: NodeLookup) => T): Promise<T> {
  const nodes = await fetchNodes(q, nodesRead(compute));
  return compute((key) => {
    const hash = nodes.get(keyOf(key));
    if (!hash) throw new Error(`the stored tree lacks node ${keyOf(key)}`);
    return hash;
  });
}

/** Appends leaf positions and node hashes. */
export async function insertTreeRows(q: Queryable, leaves: Array<{ index: number; eventId: string }>, nodes: Array<{ key: NodeKey; hash: Buffer }>): Promise<void> {
  if (leaves.length) {
    await q.query('INSERT INTO access_log_leaf (leaf_index, event_id) SELECT * FROM unnest($1::bigint[], $2::uuid[])',
      [leaves.map((l) => l.index), leaves.map((l) => l.eventId)]);
  }
  if (nodes.length) {
    await q.query('INSERT INTO access_log_node (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])',
      [nodes.map((n) => n.key.level), nodes.map((n) => n.key.index), nodes.map((n) => n.hash)]);
  }
}

/** The stored leaves [from, to) in tree order: which event sits where, with its stored hash. */
export async function storedLeaves(q: Queryable, from: number, to: number): Promise<Array<{ index: number; eventId: string; seq: string | null; hash: Buffer | null }>> {
  const rows: Array<{ leaf_index: string; event_id: string; seq: string | null; hash: Buffer | null }> = await q.query(
    `SELECT l.leaf_index, l.event_id, e.seq::text AS seq, n.hash FROM access_log_leaf l
      LEFT JOIN access_log_node n ON n.level = 0 AND n.idx = l.leaf_index LEFT JOIN access_event e ON e.id = l.event_id
      WHERE l.leaf_index >= $1 AND l.leaf_index < $2 ORDER BY l.leaf_index`, [from, to]);
  return rows.map((r) => ({ index: Number(r.leaf_index), eventId: r.event_id, seq: r.seq, hash: r.hash }));
}

/**
 * The events that published leaves name, by id: one range scan over the seqs they name (tree
 * order follows seq closely), the rest (or all, when the range is wide) by id.
 */
export async function eventsNamed(q: Queryable, ids: string[], seqs: string[]): Promise<Map<string, AccessEventContent>> {
  let [lo, hi] = [Number.MAX_SAFE_INTEGER, 0];
  for (const s of seqs) {
    const seq = Number(s);
    if (seq < lo) lo = seq;
    if (seq > hi) hi = seq;
  }
  const found = new Map<string, AccessEventContent>();
  if (ids.length && hi - lo < ids.length * 2) {
    for (const r of (await q.query(`SELECT ${EVENT_COLUMNS} FROM access_event e WHERE e.seq BETWEEN $1 AND $2`, [lo, hi])) as AccessEventContent[]) found.set(r.id, r);
  }
  const rest = ids.filter((id) => !found.has(id));
  if (rest.length) {
    for (const r of (await q.query(`SELECT ${EVENT_COLUMNS} FROM access_event e WHERE e.id = ANY($1::uuid[])`, [rest])) as AccessEventContent[]) found.set(r.id, r);
  }
  return found;
}
