/**
 * The checkpoints as published outside the database, in an append-only directory:
 *
 *   checkpoints/<size>     the signed note of the tree of that size
 *   leaves/<from>-<to>     the leaves it added, one line each: `<event id> <seq> <hex leaf hash>`
 *   verifier-key           the key auditors check the notes with
 *
 * Files are written once (link() never replaces one) and never changed: whoever wants to rewrite
 * history must also rewrite every copy of this directory, and still cannot sign.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createOnce } from './write-once';

export interface PublishedLeaf {
  eventId: string;
  /** The event's seq: where to find it (the leaf hash covers it). */
  seq: string;
  leafHash: Buffer;
}

/** Writes a file once; an existing file must hold the same text (publishing again is harmless). */
function writeOnce(file: string, chunks: string[]): void {
  if (!createOnce(file, chunks, 0o644) && fs.readFileSync(file, 'utf8') !== chunks.join('')) {
    throw new Error(`${file} is already published with other content; it is never replaced`);
  }
}

/** One published line per leaf. */
export const leafLine = (eventId: string, seq: string, leafHash: Buffer) => `${eventId} ${seq} ${leafHash.toString('hex')}\n`;

/** Publishes one checkpoint: its leaves (as leafLine chunks) first, then the note that commits to them. */
export function publishCheckpoint(dir: string, from: number, to: number, leafLines: string[], note: string, verifierKey: string): void {
  writeOnce(path.join(dir, 'verifier-key'), [verifierKey + '\n']);
  writeOnce(path.join(dir, 'leaves', `${from}-${to}`), leafLines);
  writeOnce(path.join(dir, 'checkpoints', String(to)), [note]);
}

/** The sizes of the published checkpoints, ascending. */
export function publishedSizes(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync(path.join(dir, 'checkpoints'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((n) => /^[1-9][0-9]*$/.test(n)).map(Number).sort((a, b) => a - b);
}

/** The note of a published checkpoint, or undefined. */
export function publishedNote(dir: string, size: number): string | undefined {
  try {
    return fs.readFileSync(path.join(dir, 'checkpoints', String(size)), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Reads the published leaves of one checkpoint a batch at a time. */
export interface LeafReader {
  /** Up to `max` more leaves ([] at the end), or undefined when the file is malformed. */
  next(max: number): PublishedLeaf[] | undefined;
}

const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEQ = /^[1-9][0-9]{0,18}$/;

/**
 * The published leaves [from, to), or undefined when the file is missing. Read in chunks, so a
 * checkpoint of a million leaves never sits in memory as one string.
 */
export function openPublishedLeaves(dir: string, from: number, to: number): LeafReader | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path.join(dir, 'leaves', `${from}-${to}`), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const chunk = Buffer.alloc(1 << 20);
  let text = '';
  let at = 0;
  let eof = false;
  const close = () => {
    if (!eof) fs.closeSync(fd);
    eof = true;
  };
  /** The next line, without its newline; null at the end, undefined for a last line without one. */
  const line = (): string | null | undefined => {
    for (;;) {
      const end = text.indexOf('\n', at);
      if (end >= 0) {
        const l = text.slice(at, end);
        at = end + 1;
        return l;
      }
      if (eof) return at < text.length ? undefined : null;
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      text = text.slice(at) + chunk.toString('utf8', 0, n);
      at = 0;
      if (n === 0) close();
    }
  };
  return {
    next(max) {
      const leaves: PublishedLeaf[] = [];
      const hashes = Buffer.alloc(32 * max);
      while (leaves.length < max) {
        const l = line();
        if (l === null) break;
        if (l === undefined) return undefined;
        const [eventId, seq, hex, extra] = l.split(' ');
        const offset = 32 * leaves.length;
        // A hash that is not 64 hex digits decodes to fewer than 32 bytes.
        if (extra !== undefined || hex?.length !== 64 || hashes.write(hex, offset, 'hex') !== 32 || !EVENT_ID.test(eventId) || !SEQ.test(seq ?? '')) {
          close();
          return undefined;
        }
        leaves.push({ eventId, seq, leafHash: hashes.subarray(offset, offset + 32) });
      }
      if (leaves.length === 0) close();
      return leaves;
    },
  };
}
