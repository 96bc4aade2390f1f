/** `npm run db:reset`: drops everything in the configured database, migrates and seeds the demo. */
import 'reflect-metadata';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { describeError, log } from '../log';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.production && process.env.CONFIRM_RESET !== 'yes') {
    throw new Error('refusing to reset a production database without CONFIRM_RESET=yes');
  }
  // Open without seeding to learn the URL (and start the embedded server if needed), then wipe.
  const first = await openDatabase(config, { seed: false });
  const schema = config.databaseSchema ?? 'public';
  await first.dataSource.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await first.dataSource.query(`CREATE SCHEMA ${schema}`);
  const reopened = await openDatabase({ ...config, databaseUrl: first.url });
  log.info('database reset: migrated and seeded');
  await reopened.close();
  await first.close();
}

main().catch((error) => {
  log.error('db:reset failed', describeError(error));
  process.exit(1);
});
