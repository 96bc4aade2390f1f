/**
 * RFC 9162 §2.1 Merkle tree hashing, inclusion and consistency proofs. Pure functions: the
 * storage underneath hands in the hashes of complete subtrees (`level`, `index`), where the node
 * at level L, index i covers the leaves [i·2^L, (i+1)·2^L).
 */
import { createHash, hash } from 'node:crypto';

/** A complete subtree: its level (log2 of its leaf count) and its position at that level. */
export interface NodeKey {
  level: number;
  index: number;
}

/** Looks up the hash of a complete subtree. */
export type NodeLookup = (key: NodeKey) => Buffer;

const LEAF_PREFIX = Buffer.of(0);
const NODE_PREFIX = Buffer.of(1);

// One-shot hashing (crypto.hash) of one input: a third of the cost of a Hash object with three
// updates, which for a million nodes is seconds.
/** SHA-256(0x00 || leaf): the hash of one entry. */
export function leafHash(leaf: Buffer | string): Buffer {
  return typeof leaf === 'string' ? hash('sha256', '\0' + leaf, 'buffer') : hash('sha256', Buffer.concat([LEAF_PREFIX, leaf]), 'buffer');
}

const pair = Buffer.alloc(65);
/** SHA-256(0x01 || left || right): an interior node. */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  if (left.length !== 32 || right.length !== 32) return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
  pair[0] = 1;
  left.copy(pair, 1);
  right.copy(pair, 33);
  return hash('sha256', pair, 'buffer');
}

/** The hash of the empty tree, SHA-256 of the empty string. */
export const EMPTY_ROOT = createHash('sha256').digest();

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number) => n > 0 && 2 ** Math.round(Math.log2(n)) === n;

/** MTH(D[lo:hi]) from complete subtrees; lo is aligned as in every range the proofs ask for. */
export function rangeHash(lo: number, hi: number, node: NodeLookup): Buffer {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && lo % n === 0) return node({ level: Math.log2(n), index: lo / n });
  const k = split(n);
  return nodeHash(rangeHash(lo, lo + k, node), rangeHash(lo + k, hi, node));
}

/** The root of a tree of `size` leaves. */
export function rootHash(size: number, node: NodeLookup): Buffer {
  return rangeHash(0, size, node);
}

/** PATH(m, D[lo:hi]) of RFC 9162 §2.1.3.1: the inclusion proof of leaf `index` in a tree of `size`. */
export function inclusionProof(index: number, size: number, node: NodeLookup): Buffer[] {
  if (!(index >= 0 && index < size)) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path = (m: number, lo: number, hi: number): Buffer[] => {
    if (hi - lo <= 1) return [];
    const k = split(hi - lo);
    return m < k
      ? [...path(m, lo, lo + k), rangeHash(lo + k, hi, node)]
      : [...path(m - k, lo + k, hi), rangeHash(lo, lo + k, node)];
  };
  return path(index, 0, size);
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1: the consistency proof from a tree of `from` to one of `to` leaves. */
export function consistencyProof(from: number, to: number, node: NodeLookup): Buffer[] {
  if (!(from >= 0 && from <= to)) throw new RangeError(`no consistency proof from ${from} to ${to}`);
  if (from === 0 || from === to) return [];
  const sub = (m: number, lo: number, hi: number, whole: boolean): Buffer[] => {
    if (m === hi - lo) return whole ? [] : [rangeHash(lo, hi, node)];
    const k = split(hi - lo);
    return m <= k
      ? [...sub(m, lo, lo + k, whole), rangeHash(lo + k, hi, node)]
      : [...sub(m - k, lo + k, hi, false), rangeHash(lo, lo + k, node)];
  };
  return sub(from, 0, to, true);
}

/** The complete subtrees a computation reads: run it once with this to learn what to fetch. */
export function nodesRead(compute: (node: NodeLookup) => unknown): NodeKey[] {
  const keys = new Map<string, NodeKey>();
  compute((key) => {
    keys.set(`${key.level}/${key.index}`, key);
    return EMPTY_ROOT;
  });
  return [...keys.values()];
}

/** RFC 9162 §2.1.3.2: whether `proof` shows the leaf with hash `leaf` at `index` in the tree of `size` with `root`. */
export function verifyInclusion(index: number, size: number, leaf: Buffer, proof: Buffer[], root: Buffer): boolean {
  if (!(index >= 0 && index < size)) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree (from, fromRoot) is a prefix of (to, toRoot). */
export function verifyConsistency(from: number, to: number, fromRoot: Buffer, toRoot: Buffer, proof: Buffer[]): boolean {
  if (from < 0 || from > to) return false;
  if (from === to) return proof.length === 0 && fromRoot.equals(toRoot);
  if (from === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(from) ? [fromRoot, ...proof] : proof;
  let fn = from - 1;
  let sn = to - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return fr.equals(fromRoot) && sr.equals(toRoot) && sn === 0;
}

/**
 * A tree grown leaf by leaf, keeping only the right edge (one complete subtree per set bit of the
 * size). `onNode` sees every complete subtree as it is completed, leaves included.
 */
export class TreeBuilder {
  /** edge[level] = the complete subtree at that level waiting for its right sibling. */
  private readonly edge: Array<Buffer | undefined>;

  constructor(public size = 0, edge: Array<Buffer | undefined> = [], private readonly onNode?: (key: NodeKey, hash: Buffer) => void) {
    this.edge = [...edge];
  }

  /** The right edge of a tree of `size` leaves: which complete subtrees it is made of. */
  static edgeKeys(size: number): NodeKey[] {
    const keys: NodeKey[] = [];
    for (let level = 0; 2 ** level <= size; level++) {
      const count = Math.floor(size / 2 ** level);
      if (count % 2 === 1) keys.push({ level, index: count - 1 });
    }
    return keys;
  }

  push(leaf: Buffer): void {
    let hash = leaf;
    let index = this.size;
    let level = 0;
    this.onNode?.({ level, index }, hash);
    while (index % 2 === 1) {
      hash = nodeHash(this.edge[level]!, hash);
      this.edge[level] = undefined;
      level += 1;
      index = Math.floor(index / 2);
      this.onNode?.({ level, index }, hash);
    }
    this.edge[level] = hash;
    this.size += 1;
  }

  root(): Buffer {
    let acc: Buffer | undefined;
    for (let level = 0; level < this.edge.length; level++) {
      const h = this.edge[level];
      if (h) acc = acc ? nodeHash(h, acc) : h;
    }
    return acc ?? EMPTY_ROOT;
  }
}
