/** `npm run export-log -- --out <file.jsonl>`: the access log's events for `npm run verify-log` (audit/tlog/export.ts). */
import 'reflect-metadata';
import { exportEvents } from '../audit/tlog/export';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { describeError, log } from '../log';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const out = args[args.indexOf('--out') + 1];
  if (!args.includes('--out') || !out) throw new Error('usage: npm run export-log -- --out <file.jsonl> (the file must not exist)');
  const config = loadConfig();
  const database = await openDatabase(config, { seed: false });
  try {
    const n = await exportEvents(database.dataSource, out);
    log.info('access log exported', { events: n, file: out, checkpoints: config.accessLogCheckpointDir });
  } finally {
    await database.close();
  }
}

main().catch((error) => {
  log.error('export-log failed', describeError(error));
  process.exit(1);
});
