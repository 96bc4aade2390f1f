/**
 * The embedded PostgreSQL names what to do when it cannot start, in one sentence and without a
 * stack; a cluster of its own (not the test run's) on a port another process holds.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../../src/db/embedded';
import { freePort } from '../support/free-port';

test('a taken port is refused with the setting to change, and the cluster starts on a free one', async () => {
  const dir = path.join(projectRoot(), '.data', 'embedded-test', String(process.pid));
  const port = await freePort();
  const holder = net.createServer().listen(port, '127.0.0.1');
  await new Promise((resolve) => holder.once('listening', resolve));
  try {
    const refused = await startEmbeddedPostgres({ dir, port, temporary: true }).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(EmbeddedPostgresError);
    expect((refused as Error).message).toBe(`The embedded PostgreSQL cannot listen on port ${port}, which is taken; set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to a PostgreSQL server.`);
  } finally {
    holder.close();
  }
  const cluster = await startEmbeddedPostgres({ dir, port: await freePort(), temporary: true });
  try {
    expect(fs.existsSync(path.join(cluster.dir, 'PG_VERSION'))).toBe(true);
  } finally {
    await cluster.stop();
  }
  expect(fs.existsSync(cluster.dir)).toBe(false);
}, 60_000);
