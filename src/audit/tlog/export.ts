/**
 * The access log as JSON lines, for the standalone verifier: every event, those in the tree in
 * tree order first, then those written since the last checkpoint. One event per line, the
 * stored fields exactly (the leaf is computed from them).
 */
import fs from 'node:fs';
import { AccessEventContent, EVENT_COLUMNS } from './leaf';
import type { Queryable } from './tree-store';

const BATCH = 10000;

/** Writes the export to `file`; returns the number of events. */
export async function exportEvents(q: Queryable, file: string): Promise<number> {
  const fd = fs.openSync(file, 'wx', 0o600);
  let n = 0;
  try {
    const write = (rows: AccessEventContent[]) => {
      if (rows.length) fs.writeSync(fd, rows.map((r) => JSON.stringify(r) + '\n').join(''));
      n += rows.length;
    };
    for (let from = 0; ; from += BATCH) {
      const rows: AccessEventContent[] = await q.query(
        `SELECT ${EVENT_COLUMNS} FROM access_log_leaf l JOIN access_event e ON e.id = l.event_id
          WHERE l.leaf_index >= $1 AND l.leaf_index < $2 ORDER BY l.leaf_index`, [from, from + BATCH]);
      const [{ more }] = await q.query('SELECT EXISTS (SELECT 1 FROM access_log_leaf WHERE leaf_index >= $1) AS more', [from + BATCH]);
      write(rows);
      if (!more) break;
    }
    for (let after = '0'; ;) {
      const rows: AccessEventContent[] = await q.query(
        `SELECT ${EVENT_COLUMNS} FROM access_event e WHERE e.seq > $1 AND NOT EXISTS (SELECT 1 FROM access_log_leaf l WHERE l.event_id = e.id)
          ORDER BY e.seq LIMIT ${BATCH}`, [after]);
      write(rows);
      if (rows.length < BATCH) break;
      after = rows[rows.length - 1].seq;
    }
  } finally {
    fs.closeSync(fd);
  }
  return n;
}

/** Reads an export back, keyed by event id. */
export function readExport(file: string): Map<string, AccessEventContent> {
  const events = new Map<string, AccessEventContent>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as AccessEventContent & { at: string };
    events.set(e.id, { ...e, at: new Date(e.at) });
  }
  return events;
}
