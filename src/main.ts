/** Process entry: configuration → database (migrated, demo seeded when empty) → server. */
import 'reflect-metadata';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/database';
import { EmbeddedPostgresError } from './db/embedded';
import { describeError, log } from './log';
import { GRAPHIQL_PATH } from './http/graphiql';
import { checkStartup } from './preflight';
import { startServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  await checkStartup(config);
  const database = await openDatabase(config).catch((error) => {
    throw databaseProblem(config, error) ?? error;
  });
  const server = await startServer(config, database.dataSource);
  log.info('patient record API listening', { url: server.url, database: database.embedded ? 'embedded PostgreSQL (.data/pg)' : 'DATABASE_URL', gpAccessModel: config.gpAccessModel });
  if (!config.production) {
    process.stderr.write(
      `\nPatient record API: ${server.url}\n` +
        `GraphiQL (paste a token):  ${new URL(GRAPHIQL_PATH, server.url).href}\n` +
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

/**
 * A connection failure in the words of the setting that caused it (`database "x" does not exist`,
 * an unknown host, a refused port). These messages quote configuration, never patient data, so
 * they are kept whole; any other failure goes through the log scrubber.
 */
function databaseProblem(config: Config, error: unknown): ConfigError | undefined {
  if (error instanceof EmbeddedPostgresError) return new ConfigError([error.message]);
  const code = String((error as { code?: unknown })?.code ?? '');
  if (!/^(08|28|3D|3F)[0-9A-Z]{3}$|^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ECONNRESET)$/.test(code)) return undefined;
  let target = 'the embedded PostgreSQL';
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    const user = url.username ? `${url.username}${url.password ? ':…' : ''}@` : '';
    target = `DATABASE_URL ${url.protocol}//${user}${url.host}${url.pathname}`;
  }
  return new ConfigError([`The database at ${target} cannot be used: ${(error as Error).message} (${code})`]);
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    // Every problem at once, unscrubbed: configuration is not patient data (secrets are never quoted).
    log.error(`the API does not start: ${error.problems.join('; ')}`, { problems: error.problems });
  } else {
    log.error('start-up failed', describeError(error));
  }
  process.exit(1);
});
