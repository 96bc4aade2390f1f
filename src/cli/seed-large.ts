/**
 * `npm run seed:large -- --patients 100000 [--seed 42] [--batch 2000]`: hospital-scale data on top
 * of the demo directory (migrated and seeded first), in the database `npm start` would use.
 */
import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { checkpointNow } from '../audit/tlog/checkpointer';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { seedLarge } from '../db/large/seed-large';
import { describeError, log } from '../log';

function option(args: string[], name: string, fallback?: number): number {
  const at = args.indexOf(`--${name}`);
  const text = at >= 0 ? args[at + 1] : undefined;
  if (text === undefined) {
    if (fallback === undefined) throw new Error(`--${name} is required, e.g. --${name} 100000`);
    return fallback;
  }
  if (!/^[0-9]+$/.test(text)) throw new Error(`--${name} must be a whole number`);
  return Number(text);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    process.stdout.write('npm run seed:large -- --patients N [--seed 42] [--batch 2000]\n');
    return;
  }
  const patients = option(args, 'patients');
  const seed = option(args, 'seed', 42);
  const batchSize = option(args, 'batch', 2000);
  const config = loadConfig();
  if (config.production) throw new Error('seed:large generates fictitious patients; refusing to run with NODE_ENV=production');

  const database = await openDatabase(config);
  const client = new Client({ connectionString: database.url, application_name: 'seed-large' });
  await client.connect();
  const bar = new SingleBar({
    format: 'seed:large |{bar}| {value}/{total} patients | {events} access events | {duration_formatted} (ETA {eta_formatted})',
    noTTYOutput: true,
    notTTYSchedule: 5000,
    etaBuffer: 5,
  });
  try {
    if (config.databaseSchema) await client.query(`SET search_path TO ${config.databaseSchema}`);
    let started = false;
    const result = await seedLarge(client, {
      patients, seed, batchSize,
      onProgress: (p) => {
        if (!started) {
          bar.start(p.total, p.done, { events: 0 });
          started = true;
        } else bar.update(p.done, { events: p.events.toLocaleString('en') });
      },
    });
    bar.stop();
    log.info('seed:large done', { patients, seed, inserted: result.inserted, alreadyPresent: result.skipped, accessEvents: result.events, seconds: result.seconds });
    // The generated events enter the verifiable log now rather than at the API's next checkpoint.
    const checkpoint = await checkpointNow(database.dataSource, config);
    log.info('access log checkpoint made', { treeSize: checkpoint.size, checkpoints: config.accessLogCheckpointDir });
  } finally {
    bar.stop();
    await client.end();
    await database.close();
  }
}

main().catch((error) => {
  log.error('seed:large failed', describeError(error));
  process.exit(1);
});
