// Gives the test run a PostgreSQL: DATABASE_URL when set, else a fresh embedded PostgreSQL under
// .data/test-pg (real PostgreSQL 15 binaries from npm), started the way `npm start` starts its own.
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded';
import { freePort } from '../support/free-port';

declare global {
  // eslint-disable-next-line no-var
  var __embeddedPostgres: EmbeddedDatabase | undefined;
}

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.stderr.write(`\ntests use DATABASE_URL (${process.env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@')})\n`);
    return;
  }
  // A directory and a free port of this run's own, so that runs side by side do not collide.
  const dir = path.resolve(__dirname, '..', '..', '.data', 'test-pg', String(process.pid));
  const port = Number(process.env.EMBEDDED_TEST_PG_PORT ?? (await freePort()));
  const pg = await startEmbeddedPostgres({
    dir,
    port,
    password: 'embedded-test-only',
    temporary: true,
    settings: { fsync: 'off', max_connections: '200' },
    log: (m) => process.stderr.write(`${m}\n`),
  });
  globalThis.__embeddedPostgres = pg;
  process.env.DATABASE_URL = pg.url;
  process.env.TEST_DATABASE_EMBEDDED = '1';
  process.stderr.write(`\ntests use an embedded PostgreSQL on port ${port}\n`);
}
