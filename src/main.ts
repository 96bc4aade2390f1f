/** Process entry: configuration → database (migrated, demo seeded when empty) → server. */
import 'reflect-metadata';
import { loadConfig } from './config';
import { openDatabase } from './db/database';
import { describeError, log } from './log';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config);
  const server = await startServer(config, database.dataSource);
  log.info('patient record API listening', { url: server.url, database: database.embedded ? 'embedded PostgreSQL (.data/pg)' : 'DATABASE_URL', gpAccessModel: config.gpAccessModel });
  if (!config.production) {
    process.stderr.write(
      `\nPatient record API: ${server.url}\n` +
        `Get a development token:  TOKEN=$(npm run -s token -- gp-jansen)\n` +
        `Then:  curl -s ${server.url} -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' \\\n` +
        `         -d '{"query":"{ patientByNumber(patientNumber: \\"P-0001\\") { name { family } labResults { display value } diagnoses { code } } }"}'\n\n`,
    );
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  log.error('start-up failed', describeError(error));
  process.exit(1);
});
