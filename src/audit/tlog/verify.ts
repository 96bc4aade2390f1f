/**
 * Verifying the access log against the published checkpoints: every checkpoint's signature, the
 * published leaves against the signed roots, and then every event against its published leaf.
 * The events come from the database (verifyAccessLog) or from an export (npm run verify-log);
 * neither is trusted — only the directory's signatures under the verifier key are.
 */
import { CheckpointError, VerifierKey, openCheckpoint } from './checkpoint';
import { AccessEventContent, eventLeafHash } from './leaf';
import { TreeBuilder, verifyInclusion } from './merkle';
import type { LeafHasher } from './parallel-hashing';
import { PublishedLeaf, openPublishedLeaves, publishedNote, publishedSizes } from './published';

/** What went wrong first. */
export enum LogProblem {
  /** A checkpoint's signature does not verify under the verifier key (forged or altered). */
  CHECKPOINT_SIGNATURE = 'CHECKPOINT_SIGNATURE',
  /** The published leaves of a checkpoint are missing or do not hash to its signed root. */
  PUBLISHED_LEAVES = 'PUBLISHED_LEAVES',
  /** An event differs from the leaf its checkpoint signed. */
  EVENT_EDITED = 'EVENT_EDITED',
  /** An event in a signed checkpoint is gone. */
  EVENT_MISSING = 'EVENT_MISSING',
  /** The stored tree (positions or hashes) is not the one the checkpoints signed. */
  TREE_REWRITTEN = 'TREE_REWRITTEN',
}

export interface LogVerification {
  ok: boolean;
  /** Events verified in tree order before the first problem (all of them when ok). */
  checked: number;
  /**
   * The first entry that is not as signed: the edited event, or for a removed one the entry that
   * now follows it (the removed one itself when nothing follows).
   */
  firstBrokenEventId: string | null;
  /** The tree position of the first problem. */
  firstBrokenLeafIndex: number | null;
  /** The id of the first removed event, as its checkpoint names it. */
  missingEventId: string | null;
  problem: LogProblem | null;
  /** The size of the newest published checkpoint: what the verification covers. */
  treeSize: number;
}

/** Where the events to check come from. */
export interface EventSource {
  /** The events these published leaves name, by id (missing ones absent). */
  events(leaves: PublishedLeaf[]): Promise<Map<string, AccessEventContent>>;
  /** Computes the events' leaf hashes elsewhere (worker threads), in place of `events`, when given. */
  hasher?: LeafHasher;
  /** The stored tree's leaves [from, to), when there is a stored tree to check. */
  storedLeaves?(from: number, to: number): Promise<Array<{ index: number; eventId: string; hash: Buffer | null }>>;
}

const BATCH = 5000;

type StoredLeaf = { index: number; eventId: string; hash: Buffer | null };

/** The signed root of each published checkpoint, or undefined when one is not validly signed by `key`. */
export function signedRoots(dir: string, sizes: number[], key: VerifierKey): Map<number, Buffer> | undefined {
  const roots = new Map<number, Buffer>();
  for (const size of sizes) {
    try {
      const c = openCheckpoint(publishedNote(dir, size)!, key);
      if (c.size !== size) throw new CheckpointError(`checkpoints/${size} is of a tree of ${c.size}`);
      roots.set(size, c.root);
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      return undefined;
    }
  }
  return roots;
}

/** Verifies the events of `source` against the checkpoints published in `dir`. */
export async function verifyPublishedLog(dir: string, key: VerifierKey, source: EventSource): Promise<LogVerification> {
  const sizes = publishedSizes(dir);
  const treeSize = sizes[sizes.length - 1] ?? 0;
  const result = (fields: Partial<LogVerification>): LogVerification => ({
    ok: false, checked: 0, firstBrokenEventId: null, firstBrokenLeafIndex: null, missingEventId: null, problem: null, treeSize, ...fields,
  });
  // Every signature first: a forged checkpoint anywhere makes the directory untrustworthy.
  const roots = signedRoots(dir, sizes, key);
  if (!roots) return result({ problem: LogProblem.CHECKPOINT_SIGNATURE, firstBrokenLeafIndex: null });
  const tree = new TreeBuilder();
  let checked = 0;
  let missing: { index: number; eventId: string } | undefined;
  let from = 0;
  for (const size of sizes) {
    // One pass per checkpoint: its leaves grow the tree while the events are compared with them;
    // an event found wrong counts only once the leaves are shown to hash to the signed root.
    const reader = openPublishedLeaves(dir, from, size);
    let found: LogVerification | undefined;
    let malformed = !reader;
    let index = from;
    let done = !reader;
    // Batches are looked up ahead (several at once when worker threads hash), compared in order.
    const ahead: Array<{ slice: PublishedLeaf[]; first: number; lookup: Promise<[Array<Buffer | undefined>, StoredLeaf[] | undefined]> }> = [];
    const lookup = async (slice: PublishedLeaf[], first: number): Promise<[Array<Buffer | undefined>, StoredLeaf[] | undefined]> => {
      const stored = missing ? undefined : source.storedLeaves?.(first, first + slice.length);
      let hashes: Array<Buffer | undefined>;
      if (source.hasher) hashes = await source.hasher.hashes(slice);
      else {
        const events = await source.events(slice);
        hashes = slice.map((l) => {
          const e = events.get(l.eventId);
          return e ? eventLeafHash(e) : undefined;
        });
      }
      return [hashes, await stored];
    };
    for (;;) {
      while (!done && ahead.length < (source.hasher ? 8 : 2)) {
        const slice = reader!.next(BATCH);
        if (!slice || slice.length === 0) {
          malformed = !slice;
          done = true;
          break;
        }
        for (const l of slice) tree.push(l.leafHash);
        const item = { slice, first: index, lookup: found ? Promise.resolve([[], undefined] as [Array<Buffer | undefined>, undefined]) : lookup(slice, index) };
        item.lookup.catch(() => undefined);
        ahead.push(item);
        index += slice.length;
      }
      const item = ahead.shift();
      if (!item) break;
      if (found) continue;
      const { slice, first } = item;
      const [hashes, stored] = await item.lookup;
      for (let k = 0; k < slice.length && !found; k++) {
        const at = first + k;
        const leaf = slice[k];
        const hash = hashes[k];
        if (missing) {
          // A removed event is reported at the entry that now follows it, as the chain did.
          if (hash) found = result({ checked, problem: LogProblem.EVENT_MISSING, firstBrokenEventId: leaf.eventId, firstBrokenLeafIndex: missing.index, missingEventId: missing.eventId });
          continue;
        }
        if (!hash) {
          missing = { index: at, eventId: leaf.eventId };
          continue;
        }
        if (!hash.equals(leaf.leafHash)) {
          found = result({ checked, problem: LogProblem.EVENT_EDITED, firstBrokenEventId: leaf.eventId, firstBrokenLeafIndex: at });
          continue;
        }
        const s = stored?.[k];
        if (stored && (!s || s.index !== at || s.eventId !== leaf.eventId || !s.hash?.equals(leaf.leafHash))) {
          found = result({ checked, problem: LogProblem.TREE_REWRITTEN, firstBrokenEventId: leaf.eventId, firstBrokenLeafIndex: at });
          continue;
        }
        checked += 1;
      }
    }
    if (malformed || index !== size || !tree.root().equals(roots.get(size)!)) {
      if (missing && !found) break;
      return result({ checked: Math.min(checked, from), problem: LogProblem.PUBLISHED_LEAVES, firstBrokenLeafIndex: from });
    }
    if (found) return found;
    from = size;
  }
  if (missing) {
    return result({ checked, problem: LogProblem.EVENT_MISSING, firstBrokenEventId: missing.eventId, firstBrokenLeafIndex: missing.index, missingEventId: missing.eventId });
  }
  return { ok: true, checked, firstBrokenEventId: null, firstBrokenLeafIndex: null, missingEventId: null, problem: null, treeSize };
}

/** An inclusion proof as the API hands it out (AccessEventProof), base64 hashes. */
export interface InclusionProofDocument {
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  auditPath: string[];
  checkpoint: string;
}

/**
 * Checks a held inclusion proof: the checkpoint is signed by the key, of the stated size, and the
 * audit path leads from the leaf hash to its root. With `event`, the leaf hash must be that event's.
 */
export function verifyInclusionDocument(proof: InclusionProofDocument, key: VerifierKey, event?: AccessEventContent): { ok: boolean; reason?: string } {
  let root: Buffer;
  try {
    const c = openCheckpoint(proof.checkpoint, key);
    if (c.size !== proof.treeSize) return { ok: false, reason: `the checkpoint is of a tree of ${c.size}, not ${proof.treeSize}` };
    root = c.root;
  } catch (error) {
    if (error instanceof CheckpointError) return { ok: false, reason: error.message };
    throw error;
  }
  const leaf = Buffer.from(proof.leafHash, 'base64');
  if (event && !eventLeafHash(event).equals(leaf)) return { ok: false, reason: 'the event does not have this leaf hash' };
  const path = proof.auditPath.map((h) => Buffer.from(h, 'base64'));
  return verifyInclusion(proof.leafIndex, proof.treeSize, leaf, path, root) ? { ok: true } : { ok: false, reason: 'the audit path does not lead to the checkpoint\'s root' };
}
