/**
 * The quick way to verify the whole log, for when nothing is wrong: every event read once in seq
 * order (one COPY, event-stream.ts), hashed and compared with the leaf its checkpoint published,
 * while the tree grows from those leaves and meets every signed root. It checks all that
 * verifyPublishedLog checks — every signature, the published leaves against the signed roots,
 * every event against its leaf — but reads no event by id and hashes nothing twice.
 *
 * It only says "holds": at the first difference of any kind it stops and answers undefined, and
 * verifyPublishedLog (which looks each leaf's event up by id) names the problem and where it is.
 */
import type { VerifierKey } from './checkpoint';
import { AccessEventContent, eventLeafHash } from './leaf';
import { TreeBuilder } from './merkle';
import { openPublishedLeaves, publishedSizes } from './published';
import { LogVerification, signedRoots } from './verify';

/**
 * Events read ahead of their leaf and kept until it comes: one whose transaction committed after
 * later ones were checkpointed sits later in the tree than its seq says. A reordering wider than
 * this is left to the slower verification.
 */
const MAX_AHEAD = 20_000;
const BATCH = 5000;

/** Every event, in seq order, a batch at a time. */
export type EventsBySeq = AsyncIterator<AccessEventContent[]>;

export async function verifyInOnePass(dir: string, key: VerifierKey, events: EventsBySeq): Promise<LogVerification | undefined> {
  const sizes = publishedSizes(dir);
  const treeSize = sizes[sizes.length - 1] ?? 0;
  const roots = signedRoots(dir, sizes, key);
  if (!roots) return undefined;
  let batch: AccessEventContent[] = [];
  let at = 0;
  let ended = false;
  const ahead = new Map<string, AccessEventContent>();
  /** The event with this id, reading on in seq order; undefined when it is not within reach. */
  const find = async (id: string): Promise<AccessEventContent | undefined> => {
    const early = ahead.get(id);
    if (early) {
      ahead.delete(id);
      return early;
    }
    for (;;) {
      while (at === batch.length) {
        if (ended) return undefined;
        const next = await events.next();
        if (next.done) ended = true;
        else [batch, at] = [next.value, 0];
      }
      const e = batch[at++];
      if (e.id === id) return e;
      ahead.set(e.id, e);
      if (ahead.size > MAX_AHEAD) return undefined;
    }
  };
  const tree = new TreeBuilder();
  let from = 0;
  for (const size of sizes) {
    const reader = openPublishedLeaves(dir, from, size);
    if (!reader) return undefined;
    for (;;) {
      const leaves = reader.next(BATCH);
      if (!leaves) return undefined;
      if (leaves.length === 0) break;
      for (const leaf of leaves) {
        // Events come in seq order and nearly always in tree order too: the next one is the one.
        const e = at < batch.length && batch[at].id === leaf.eventId ? batch[at++] : await find(leaf.eventId);
        if (!e || !eventLeafHash(e).equals(leaf.leafHash)) return undefined;
        tree.push(leaf.leafHash);
      }
    }
    if (tree.size !== size || !tree.root().equals(roots.get(size)!)) return undefined;
    from = size;
  }
  return { ok: true, checked: treeSize, firstBrokenEventId: null, firstBrokenLeafIndex: null, missingEventId: null, problem: null, treeSize };
}
