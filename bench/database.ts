/**
 * The benchmark's database, created when missing: BENCH_DATABASE_URL if set, else a dedicated
 * database (`bench`, or `bench_smoke` for the smoke run) on the PostgreSQL server of DATABASE_URL
 * or 127.0.0.1:5432, else (no server answers, no URL given) the embedded PostgreSQL.
 */
import path from 'node:path';
import { Client } from 'pg';
import { projectRoot } from '../src/config';
import { EmbeddedDatabase, reachable, startEmbeddedPostgres } from '../src/db/embedded';

export interface BenchDatabase {
  url: string;
  /** What the results call it (no credentials). */
  description: string;
  stop(): Promise<void>;
}

const DEFAULT_SERVER = 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates `name` on the server of `serverUrl` (dropping it first when `fresh`) and returns its URL. */
async function dedicatedDatabase(serverUrl: string, name: string, fresh: boolean): Promise<string> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    if (fresh) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

function withoutPassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** The database to benchmark on; `fresh` drops it first (the smoke run starts from nothing). */
export async function openBenchDatabase(name: string, fresh: boolean): Promise<BenchDatabase> {
  if (process.env.BENCH_DATABASE_URL) {
    // That database, created on its server when missing.
    const wanted = new URL(process.env.BENCH_DATABASE_URL);
    const named = decodeURIComponent(wanted.pathname.slice(1));
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(named)) throw new Error('BENCH_DATABASE_URL must name a plain database, e.g. …/bench_1k');
    wanted.pathname = '/postgres';
    const url = await dedicatedDatabase(wanted.toString(), named, fresh);
    return { url, description: withoutPassword(url), stop: async () => undefined };
  }
  const server = process.env.DATABASE_URL ?? DEFAULT_SERVER;
  if (await reachable(server)) {
    const url = await dedicatedDatabase(server, name, fresh);
    return { url, description: withoutPassword(url), stop: async () => undefined };
  }
  if (process.env.DATABASE_URL) throw new Error(`DATABASE_URL does not answer: ${withoutPassword(server)}`);
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const embedded: EmbeddedDatabase = await startEmbeddedPostgres({ dir: path.join(projectRoot(), '.data', 'bench-pg'), port });
  const url = await dedicatedDatabase(embedded.url, name, fresh);
  return { url, description: `embedded PostgreSQL (.data/bench-pg), database ${name}`, stop: () => embedded.stop() };
}
