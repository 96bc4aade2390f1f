/**
 * Inclusion proofs for events, against the newest checkpoint, from the stored tree. A proof is
 * evidence its holder can check later without trusting the API: leaf hash + audit path lead to
 * the root of a checkpoint signed with the log's key (RFC 9162 §2.1.3).
 */
import type { NodeKey } from './merkle';
import { consistencyProof, inclusionProof, nodesRead } from './merkle';
import { Queryable, StoredCheckpoint, fetchNodes, latestStoredCheckpoint } from './tree-store';

export interface InclusionEvidence {
  leafIndex: number;
  treeSize: number;
  leafHash: Buffer;
  auditPath: Buffer[];
  /** The signed note of the checkpoint the path leads to. */
  checkpoint: string;
}

/** The inclusion evidence for each event (undefined for those not yet in a checkpoint). */
export async function inclusionEvidence(q: Queryable, eventIds: string[], at?: StoredCheckpoint): Promise<Map<string, InclusionEvidence>> {
  const out = new Map<string, InclusionEvidence>();
  const checkpoint = at ?? (await latestStoredCheckpoint(q));
  if (!checkpoint || eventIds.length === 0) return out;
  const leaves: Array<{ event_id: string; leaf_index: string }> = await q.query(
    'SELECT event_id, leaf_index FROM access_log_leaf WHERE event_id = ANY($1::uuid[]) AND leaf_index < $2', [eventIds, checkpoint.size]);
  const size = checkpoint.size;
  const wanted: NodeKey[] = [];
  for (const l of leaves) {
    const index = Number(l.leaf_index);
    wanted.push({ level: 0, index }, ...nodesRead((node) => inclusionProof(index, size, node)));
  }
  const nodes = await fetchNodes(q, wanted);
  const node = (k: NodeKey) => {
    const hash = nodes.get(`${k.level}/${k.index}`);
    if (!hash) throw new Error(`the stored tree lacks node ${k.level}/${k.index}`);
    return hash;
  };
  for (const l of leaves) {
    const index = Number(l.leaf_index);
    out.set(l.event_id, { leafIndex: index, treeSize: size, leafHash: node({ level: 0, index }), auditPath: inclusionProof(index, size, node), checkpoint: checkpoint.note });
  }
  return out;
}

/** The inclusion proof of the leaf at `index` in the tree of `size` (a checkpoint's size). */
export async function storedInclusionProof(q: Queryable, index: number, size: number): Promise<Buffer[]> {
  const nodes = await fetchNodes(q, nodesRead((node) => inclusionProof(index, size, node)));
  return inclusionProof(index, size, (k) => nodes.get(`${k.level}/${k.index}`) ?? missing(k));
}

/** The consistency proof between two tree sizes. */
export async function storedConsistencyProof(q: Queryable, from: number, to: number): Promise<Buffer[]> {
  const nodes = await fetchNodes(q, nodesRead((node) => consistencyProof(from, to, node)));
  return consistencyProof(from, to, (k) => nodes.get(`${k.level}/${k.index}`) ?? missing(k));
}

function missing(k: NodeKey): never {
  throw new Error(`the stored tree lacks node ${k.level}/${k.index}`);
}
