/**
 * The retention command: lists what is past its retention term (a dry run by default); with
 * --apply destroys it, one logged transaction per patient, with a progress bar on stderr.
 */
import { Presets, SingleBar } from 'cli-progress';
import { parseArgs } from 'node:util';
import type { Config } from '../../config';
import { openDatabase } from '../../db/database';
import { applyRetention, findDue } from './retention';

/** Runs the command with its arguments; `out` receives the report. */
export async function retentionCommand(config: Config, args: string[], out: (line: string) => void): Promise<void> {
  const { values } = parseArgs({ args, options: { apply: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    out('usage: npm run retention [-- --apply]\n  without --apply: list what is past its term (nothing changes)');
    return;
  }
  const database = await openDatabase(config, { seed: false });
  try {
    const items = await findDue(database.dataSource);
    const patients = new Set(items.map((i) => i.patientId));
    for (const i of items) out(`${i.patientNumber}\t${i.table}\t${i.category}\t${i.rule}\t${i.rows} rows`);
    out(`${items.reduce((n, i) => n + i.rows, 0)} rows of ${patients.size} patients are past their retention term${values.apply ? '' : ' (dry run: nothing destroyed; use --apply)'}`);
    if (!values.apply || items.length === 0) return;
    const bar = new SingleBar({ format: 'destroying {bar} {value}/{total} patients', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 2000 }, Presets.shades_classic);
    bar.start(patients.size, 0);
    const destroyed = await applyRetention(database.dataSource, items, () => bar.increment());
    bar.stop();
    out(`destroyed ${destroyed} rows; each destruction is in the access log`);
  } finally {
    await database.close();
  }
}
