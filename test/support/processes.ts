/**
 * Real API processes for tests that need more than one (replicas) or need a process's own output
 * (logs): the compiled server, `node dist/src/main.js`, started as a child process on the test
 * database. The build is shared by all test files of a run (a lock keeps two jest workers from
 * compiling into dist/ at once).
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadDevSigningKey } from '../../src/auth/keys';
import { Config, projectRoot } from '../../src/config';

const ROOT = projectRoot();
const MAIN = path.join(ROOT, 'dist', 'src', 'main.js');

/** Compiles the project into dist/ once per test run (as `npm start` does). */
export async function buildOnce(): Promise<void> {
  const dataDir = path.join(ROOT, '.data');
  fs.mkdirSync(dataDir, { recursive: true });
  const lock = path.join(dataDir, 'test-build.lock');
  const stamp = path.join(dataDir, 'test-build.stamp');
  // jest workers of one run share a parent; a run in band is its own parent's only child.
  const run = String(process.env.JEST_WORKER_ID ? process.ppid : process.pid);
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // A lock left behind by a run that died is taken over after two minutes.
      const held = fs.statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 120_000) fs.rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another test file to build dist/');
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (fs.existsSync(MAIN) && fs.readFileSync(stamp, { encoding: 'utf8', flag: 'a+' }) === run) return;
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', ROOT], { cwd: ROOT, stdio: 'pipe' });
    } catch (error) {
      // Type errors still emit JavaScript; `npm test` reports them in its own tsc step.
      if (!fs.existsSync(MAIN)) throw error;
    }
    fs.writeFileSync(stamp, run);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export interface ApiProcess {
  /** The /graphql URL it listens on. */
  url: string;
  /** Base URL (http://127.0.0.1:port). */
  origin: string;
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, and resolves when it has exited. */
  stop(): Promise<void>;
}

/** Starts `node dist/src/main.js` with this environment and resolves once it listens. */
export async function startApiProcess(env: Record<string, string>): Promise<ApiProcess> {
  const child = spawn(process.execPath, [MAIN], {
    cwd: ROOT,
    // At info at least: the process is seen to be up by its "listening" line. Any document as any
    // principal outside production, as in the harness (support/harness.ts).
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...(env.NODE_ENV === 'production' ? {} : { TRUSTED_DOCUMENTS: 'off' }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`API process did not start:\n${output}`)), 60_000);
    const check = () => {
      for (const line of output.split('\n')) {
        try {
          const entry = JSON.parse(line);
          if (entry.msg === 'patient record API listening') {
            clearTimeout(timer);
            child.stderr!.off('data', check);
            return resolve(entry.url);
          }
        } catch {
          // not a JSON line
        }
      }
    };
    child.stderr!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`API process exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The environment that puts a child process on the harness's database schema and keys. */
export function sameDatabaseEnv(config: Config): Record<string, string> {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: config.databaseUrl!,
    DATABASE_SCHEMA: config.databaseSchema!,
    DATA_DIR: config.dataDir,
    GP_ACCESS_MODEL: config.gpAccessModel,
    ACCESS_LOG_CHECKPOINT_DIR: config.accessLogCheckpointDir,
  };
}

/** The DEVELOPMENT public key as a PEM file, to run a process as production with the test's tokens. */
export async function devPublicKeyFile(config: Config, dir: string): Promise<string> {
  const { key } = await loadDevSigningKey(config);
  const file = path.join(dir, 'idp-public.pem');
  fs.writeFileSync(file, createPublicKey(KeyObject.from(key)).export({ type: 'spki', format: 'pem' }) as string);
  return file;
}

/** A fresh Ed25519 checkpoint key for a production process (production refuses the development one). */
export function checkpointKeyFile(dir: string): string {
  const file = path.join(dir, 'checkpoint.pem');
  fs.writeFileSync(file, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  return file;
}

/** POSTs a GraphQL request to a process with a bearer token. */
export async function gqlTo(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}
