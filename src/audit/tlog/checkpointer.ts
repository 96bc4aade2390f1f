/**
 * Making checkpoints: the events not yet in the tree get the next positions (in insertion order),
 * the tree's new nodes are stored, the new root is signed and the checkpoint is published to
 * ACCESS_LOG_CHECKPOINT_DIR. Any replica may try; an advisory try-lock lets exactly one do it at a
 * time (appends never take it).
 *
 * Which events are new: those not in the tree above `covered`. An event's seq is drawn when it is
 * inserted, so one with a lower seq may commit later; each checkpoint therefore notes the
 * sequence's value and then its snapshot's xmax (the horizons). Once every transaction below that
 * xmax has ended, every seq up to that value is committed or never will be, and `covered` moves
 * up to it. As a safety net, when the table holds more events than the tree (in the same
 * snapshot), the whole table is searched. Before it extends the tree, the
 * checkpointer checks that the stored tree still has the root of the last signed checkpoint,
 * so it never signs over a rewritten history.
 */
import type { DataSource, QueryRunner } from 'typeorm';
import type { Config } from '../../config';
import { describeError, log } from '../../log';
import { CheckpointError, openCheckpoint, signCheckpoint } from './checkpoint';
import { AccessEventContent, EVENT_COLUMNS, eventLeafHash } from './leaf';
import { NodeKey, TreeBuilder, rootHash } from './merkle';
import { leafLine, publishCheckpoint, publishedNote, publishedSizes } from './published';
import { CheckpointSigner, loadCheckpointSigner } from './signing-key';
import { StoredCheckpoint, fetchNodes, insertTreeRows, latestStoredCheckpoint, storedCheckpointsAfter, storedLeaves, withStoredNodes } from './tree-store';

/** Advisory lock held by the one replica making a checkpoint (never by appends). */
export const CHECKPOINT_LOCK = 751303;
/** Events read per statement while extending the tree. */
const BATCH = 5000;

export interface CheckpointOutcome {
  /** Whether this call made a new checkpoint. */
  made: boolean;
  /** The size of the newest checkpoint after the call. */
  size: number;
}

export class CheckpointRefused extends Error {}
/** Another replica held the checkpoint lock for as long as we were willing to wait. */
export class CheckpointBusy extends Error {}

const signers = new Map<string, CheckpointSigner>();
/** The signer for this configuration, loaded once per process. */
export function checkpointSigner(config: Config): CheckpointSigner {
  const id = `${config.accessLogSigningKeyFile ?? config.dataDir}|${config.accessLogOrigin}`;
  let signer = signers.get(id);
  if (!signer) signers.set(id, (signer = loadCheckpointSigner(config)));
  return signer;
}

/** Publishes checkpoints stored after `after` that the directory does not have yet (resume after a crash). */
async function publishStored(q: QueryRunner, config: Config, signer: CheckpointSigner, after: number): Promise<void> {
  let from = after;
  for (const c of await storedCheckpointsAfter(q, from)) {
    const leaves = await storedLeaves(q, from, c.size);
    if (leaves.length !== c.size - from || leaves.some((l) => !l.hash || !l.seq)) throw new CheckpointRefused(`the stored leaves ${from}-${c.size} are incomplete`);
    publishCheckpoint(config.accessLogCheckpointDir, from, c.size, leaves.map((l) => leafLine(l.eventId, l.seq!, l.hash!)), c.note, signer.verifierKeyText);
    from = c.size;
  }
}

/** Refuses to go on from a stored tree that is not the one last signed and published. */
async function checkStoredTree(q: QueryRunner, config: Config, signer: CheckpointSigner, latest: StoredCheckpoint | undefined): Promise<void> {
  const published = publishedSizes(config.accessLogCheckpointDir);
  const newestPublished = published[published.length - 1] ?? 0;
  if (newestPublished > (latest?.size ?? 0)) {
    throw new CheckpointRefused(`the database's tree (${latest?.size ?? 0}) is behind the published checkpoint ${newestPublished}`);
  }
  if (!latest) return;
  let signed;
  try {
    signed = openCheckpoint(latest.note, signer.verifierKey);
  } catch (error) {
    if (error instanceof CheckpointError) throw new CheckpointRefused(`the stored checkpoint ${latest.size} is not signed by this log's key: ${error.message}`);
    throw error;
  }
  if (signed.size !== latest.size || !signed.root.equals(latest.root)) throw new CheckpointRefused('the stored checkpoint does not match its note');
  const publishedText = publishedNote(config.accessLogCheckpointDir, latest.size);
  if (publishedText !== undefined && publishedText !== latest.note) throw new CheckpointRefused(`the stored checkpoint ${latest.size} differs from the published one`);
  const root = await withStoredNodes(q, (node) => rootHash(latest.size, node));
  if (!root.equals(signed.root)) throw new CheckpointRefused(`the stored tree no longer has the root of checkpoint ${latest.size}`);
}

/**
 * Makes a checkpoint when there are events outside the tree. Returns null when another replica is
 * making one right now.
 */
export async function makeCheckpoint(db: DataSource, config: Config): Promise<CheckpointOutcome | null> {
  const signer = checkpointSigner(config);
  const q = db.createQueryRunner();
  await q.connect();
  let locked = false;
  try {
    // A session lock, taken before the transaction's snapshot, so the snapshot sees the last checkpoint.
    [{ locked }] = await q.query('SELECT pg_try_advisory_lock($1) AS locked', [CHECKPOINT_LOCK]);
    if (!locked) return null;
    const [{ seq_horizon: seqHorizon }] = await q.query(
      'SELECT (CASE WHEN is_called THEN last_value ELSE last_value - 1 END)::text AS seq_horizon FROM access_event_seq_seq');
    await q.startTransaction('REPEATABLE READ');
    const [{ xid_horizon: xidHorizon, xmin }] = await q.query(
      'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS xid_horizon, pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
    const latest = await latestStoredCheckpoint(q);
    const newestPublished = publishedSizes(config.accessLogCheckpointDir).at(-1) ?? 0;
    if (latest && latest.size > newestPublished) await publishStored(q, config, signer, newestPublished);
    await checkStoredTree(q, config, signer, latest);

    const size = latest?.size ?? 0;
    const edgeKeys = TreeBuilder.edgeKeys(size);
    const edgeNodes = await fetchNodes(q, edgeKeys);
    const edge: Array<Buffer | undefined> = [];
    for (const k of edgeKeys) edge[k.level] = edgeNodes.get(`${k.level}/${k.index}`);
    let nodes: Array<{ key: NodeKey; hash: Buffer }> = [];
    const tree = new TreeBuilder(size, edge, (key, hash) => nodes.push({ key, hash }));
    const lines: string[] = [];
    let covered = BigInt(latest?.coveredSeq ?? '0');
    if (latest && BigInt(xmin) >= BigInt(latest.xidHorizon) && BigInt(latest.seqHorizon) > covered) covered = BigInt(latest.seqHorizon);
    const extend = async (above: bigint) => {
      for (let after = above.toString(); ;) {
        const batch: AccessEventContent[] = await q.query(
          `SELECT ${EVENT_COLUMNS} FROM access_event e
            WHERE e.seq > $1 AND NOT EXISTS (SELECT 1 FROM access_log_leaf l WHERE l.event_id = e.id)
            ORDER BY e.seq LIMIT ${BATCH}`, [after]);
        if (batch.length === 0) return;
        const leaves = batch.map((e) => {
          const index = tree.size;
          const hash = eventLeafHash(e);
          tree.push(hash);
          lines.push(leafLine(e.id, e.seq, hash));
          return { index, eventId: e.id };
        });
        await insertTreeRows(q, leaves, nodes);
        nodes = [];
        after = batch[batch.length - 1].seq;
        if (batch.length < BATCH) return;
      }
    };
    await extend(covered);
    const [{ n }] = await q.query('SELECT count(*)::bigint AS n FROM access_event');
    if (Number(n) > tree.size) await extend(0n);
    if (tree.size === size) {
      await q.rollbackTransaction();
      return { made: false, size };
    }
    const root = tree.root();
    const note = signCheckpoint({ origin: signer.name, size: tree.size, root, time: new Date() }, signer.name, signer.privateKey);
    await q.query('INSERT INTO access_log_checkpoint (tree_size, root_hash, note, covered_seq, seq_horizon, xid_horizon) VALUES ($1, $2, $3, $4, $5, $6::xid8)',
      [tree.size, root, note, covered.toString(), seqHorizon, xidHorizon]);
    await q.commitTransaction();
    // Published once committed: a crash in between is repaired by the next checkpoint (publishStored).
    publishCheckpoint(config.accessLogCheckpointDir, size, tree.size, lines, note, signer.verifierKeyText);
    return { made: true, size: tree.size };
  } catch (error) {
    if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
    throw error;
  } finally {
    if (locked) await q.query('SELECT pg_advisory_unlock($1)', [CHECKPOINT_LOCK]).catch(() => undefined);
    await q.release();
  }
}

/** Makes a checkpoint now, waiting (briefly) for a replica that is making one to finish. */
export async function checkpointNow(db: DataSource, config: Config, attempts = 100): Promise<CheckpointOutcome> {
  for (let k = 0; k < attempts; k++) {
    const outcome = await makeCheckpoint(db, config);
    if (outcome) return outcome;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new CheckpointBusy('another replica kept the checkpoint lock');
}

export interface Checkpointer {
  /** Stops the timer; resolves once a checkpoint in progress is done. */
  stop(): Promise<void>;
}

/** Tries to make a checkpoint every ACCESS_LOG_CHECKPOINT_SECONDS; a failure is logged and retried next time. */
export function startCheckpointer(db: DataSource, config: Config): Checkpointer {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running || !db.isInitialized) return;
    running = makeCheckpoint(db, config)
      .then((outcome) => { if (outcome?.made) log.info('access log checkpoint made', { treeSize: outcome.size }); })
      .catch((error) => log.error('access log checkpoint failed', describeError(error)))
      .finally(() => { running = undefined; });
  }, config.accessLogCheckpointSeconds * 1000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
