/** The TypeORM data source: one PostgreSQL connection pool, entities, hand-reviewed migrations. */
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming';
import { GuardedClient } from './pool-errors';
import { StatementCountingLogger } from './statement-counter';

export interface DatabaseOptions {
  url: string;
  /** PostgreSQL schema to work in (tests give each worker its own); default `public`. */
  schema?: string;
  poolSize?: number;
  /** Server-side statement_timeout of every connection; unset = the database's (or role's) own. */
  statementTimeoutMs?: number;
  /** How long a query waits for a pooled connection before it fails; unset = for ever. */
  poolWaitTimeoutMs?: number;
}

/** A data source for a database URL; call initialize() to connect. */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'all',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // The logger only counts statements per request (see statement-counter.ts); it prints nothing.
    logging: ['query'],
    logger: new StatementCountingLogger(),
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    extra: {
      max: options.poolSize ?? 10,
      // Every connection works in the chosen schema, including migrations and raw SQL.
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
      application_name: 'patient-record-api',
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.poolWaitTimeoutMs ? { connectionTimeoutMillis: options.poolWaitTimeoutMs } : {}),
      // Every pooled connection has an error listener: a lost backend must not crash the process.
      Client: GuardedClient,
    },
  });
}

/** Runs pending migrations under an advisory lock, so replicas booting together do not race. */
export async function migrate(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(751301)');
    await dataSource.runMigrations({ transaction: 'all' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock(751301)').catch(() => undefined);
    await runner.release();
  }
}
