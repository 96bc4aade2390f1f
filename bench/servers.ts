/**
 * The servers under test, each in its own child process so that its memory can be read from
 * /proc: the real API (dist/src/main.js) and the unauthorised baseline.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config';
import { freePort } from '../test/support/free-port';

export type Build = 'authorised' | 'unauthorised';

export interface ServerProcess {
  build: Build;
  url: string;
  pid: number;
  /** Resident memory now, in MB (VmRSS). */
  rssMb(): number;
  /** The highest resident memory of the process so far, in MB (VmHWM). */
  peakRssMb(): number;
  /** How many requests took how many SQL statements since the last call (bench/statement-probe.ts). */
  statements(): Promise<Map<number, number>>;
  stop(): Promise<void>;
}

const ENTRY: Record<Build, string> = {
  authorised: path.join('dist', 'src', 'main.js'),
  unauthorised: path.join('dist', 'bench', 'unauthorised-server.js'),
};

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Starts one build on a free port against `databaseUrl` (with `env`: the production configuration) and waits until it answers. */
export async function startServerProcess(build: Build, databaseUrl: string, logFile: string, env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const out = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, ['--require', path.join(projectRoot(), 'dist', 'bench', 'statement-probe.js'), ENTRY[build]], {
    cwd: projectRoot(),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...env,
      // A load test sends hundreds of requests per second as one subject; per-subject limiting
      // would answer 429. (Both builds run the same limiter code path with limiting off.)
      RATE_LIMIT_REQUESTS: '0',
    },
    stdio: ['ignore', out, out, 'ipc'],
  });
  fs.closeSync(out);
  child.channel?.unref();
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${build} server did not start; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = child.pid!;
  return {
    build,
    url: `${url}/graphql`,
    pid,
    rssMb: () => statusField(pid, 'VmRSS'),
    peakRssMb: () => statusField(pid, 'VmHWM'),
    statements: () => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${build} server did not report its statement counts`)), 5_000);
      child.once('message', (message: { statements: Record<string, number> }) => {
        clearTimeout(timer);
        resolve(new Map(Object.entries(message.statements).map(([k, v]) => [Number(k), v])));
      });
      child.send('statements');
    }),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
