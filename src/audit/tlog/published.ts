/**
 * The checkpoints as published outside the database, in an append-only directory:
 *
 *   checkpoints/<size>     the signed note of the tree of that size
 *   leaves/<from>-<to>     the leaves it added, one line each: `<event id> <hex leaf hash>`
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
  leafHash: Buffer;
}

/** Writes a file once; an existing file must hold the same text (publishing again is harmless). */
function writeOnce(file: string, chunks: string[]): void {
  if (!createOnce(file, chunks, 0o644) && fs.readFileSync(file, 'utf8') !== chunks.join('')) {
    throw new Error(`${file} is already published with other content; it is never replaced`);
  }
}

/** One published line per leaf. */
export const leafLine = (eventId: string, leafHash: Buffer) => `${eventId} ${leafHash.toString('hex')}\n`;

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

/** The published leaves [from, to), or undefined when the file is missing. */
export function publishedLeaves(dir: string, from: number, to: number): PublishedLeaf[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, 'leaves', `${from}-${to}`), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const leaves: PublishedLeaf[] = [];
  // Fixed-width lines: 36 characters of id, a space, 64 of hex hash.
  const LINE = 36 + 1 + 64 + 1;
  if (text.length % LINE !== 0) return undefined;
  for (let at = 0; at < text.length; at += LINE) {
    const eventId = text.slice(at, at + 36);
    const hex = text.slice(at + 37, at + 101);
    if (text[at + 36] !== ' ' || text[at + 101] !== '\n' || !/^[0-9a-f-]{36}$/.test(eventId) || !/^[0-9a-f]{64}$/.test(hex)) return undefined;
    leaves.push({ eventId, leafHash: Buffer.from(hex, 'hex') });
  }
  return leaves;
}
