/**
 * Opening the database the configuration names: DATABASE_URL, or else the embedded PostgreSQL.
 * Migrations run on every open; the demo directory is seeded when the database is empty.
 */
import path from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { SCHEMA_NAME, type Config } from '../config';
import { log } from '../log';
import { createDataSource, migrate } from './data-source';
import { isDatabaseEmpty, seedDemo } from './demo/seed';
import { installRowSecurity } from './row-security';
import { EmbeddedDatabase, startEmbeddedPostgres } from './embedded';

export interface OpenDatabase {
  dataSource: DataSource;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/** Creates the configured schema if it is missing (tests and multi-tenant set-ups use their own). */
async function ensureSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`DATABASE_SCHEMA is not a plain schema name: ${schema}`);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    await client.end();
  }
}

/** Connects, migrates and (when empty) seeds the demo directory. */
export async function openDatabase(config: Config, options: { seed?: boolean } = {}): Promise<OpenDatabase> {
  let embedded: EmbeddedDatabase | undefined;
  let url = config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dir: path.join(config.dataDir, 'pg'), port: config.embeddedPort, log: (m) => log.warn(m) });
    url = embedded.url;
  }
  if (config.databaseSchema) await ensureSchema(url, config.databaseSchema);
  const dataSource = createDataSource({
    url, schema: config.databaseSchema, statementTimeoutMs: config.dbStatementTimeoutMs, poolWaitTimeoutMs: config.dbPoolWaitTimeoutMs,
  });
  await dataSource.initialize();
  await migrate(dataSource);
  if (options.seed !== false && (await isDatabaseEmpty(dataSource.manager))) {
    await dataSource.transaction((manager) => seedDemo(manager));
    log.info('seeded the demo directory');
  }
  await installRowSecurity(dataSource, { schema: config.databaseSchema, role: config.databaseApiRole });
  return {
    dataSource,
    url,
    embedded: !!embedded,
    close: async () => {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}
