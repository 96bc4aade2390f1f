/**
 * Creating a file that is never replaced: written to a temporary name, flushed, then link()ed to
 * its name, which fails if the name exists — so concurrent writers cannot overwrite each other.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Creates `file` from `chunks` unless it exists; returns whether this call created it. */
export function createOnce(file: string, chunks: string[], mode: number): boolean {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  const fd = fs.openSync(tmp, 'wx', mode);
  try {
    for (const chunk of chunks) fs.writeSync(fd, chunk);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
