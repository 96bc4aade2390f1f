/**
 * The side-by-side with PostGraphile + row-level security (and a one-SQL floor), run by its own
 * harness outside the repository (`<peer dir>/run.sh`, default ../shared/peers/postgraphile
 * beside the checkout, or PEER_DIR / --peer-dir). It runs the project's servers with
 * NODE_ENV=production; the keys production needs that the harness does not make (the access
 * log's checkpoint key and directory) go to it through the environment, which it passes on.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../src/config';
import { benchCheckpointDir, benchCheckpointKeyFile, benchTrustedDocumentsDir } from './production-config';

export interface PeerRow { scenario: string; server: string; connections: number; rps: number; p50: number; p99: number; peakRssMb: number; errors: number }
export interface PeerRatio { scenario: string; connections: number; ratio: string; rps: number; p50: number }

export interface PeerRun {
  ran: boolean;
  /** Why it did not run or did not finish. */
  reason?: string;
  command: string;
  /** The harness's last line: `peer: S1 c=1 project/postgraphile rps ratio …`. */
  summary?: string;
  /** Its out/results-table.md. */
  table?: string;
  rows?: PeerRow[];
  ratios?: PeerRatio[];
}

export interface PeerOptions {
  dir: string;
  args: string[];
  say(message: string): void;
}

export function defaultPeerDir(): string {
  return path.resolve(process.env.PEER_DIR ?? path.join(projectRoot(), '..', 'shared', 'peers', 'postgraphile'));
}

/** A native ESM import (the compiled bench is CommonJS, whose import() would become require()). */
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

/** Runs the harness in production mode; never throws for a missing folder (it says so instead). */
export async function runPeer(options: PeerOptions): Promise<PeerRun> {
  const script = path.join(options.dir, 'run.sh');
  const command = `bash ${script} ${['--production', ...options.args].join(' ')}`;
  if (!fs.existsSync(script)) return { ran: false, reason: `${script} not found`, command };
  const database = process.env.PEER_DATABASE || 'peer_bench';
  // The harness sends its own project documents (queries.mjs) as the GP and the insurer: they are the bench's trusted documents there.
  const queries = await importModule(pathToFileURL(path.join(options.dir, 'queries.mjs')).href) as { PROJECT: Record<string, string> };
  const env = {
    ...process.env,
    TRUSTED_DOCUMENTS_DIR: benchTrustedDocumentsDir(Object.values(queries.PROJECT)),
    ACCESS_LOG_SIGNING_KEY_FILE: benchCheckpointKeyFile(),
    ACCESS_LOG_CHECKPOINT_DIR: benchCheckpointDir(`peer-${database}`, false),
    ...(process.env.PEER_PG_URL || !process.env.DATABASE_URL ? {} : { PEER_PG_URL: process.env.DATABASE_URL }),
  };
  const workDir = path.resolve(process.env.PEER_WORK_DIR ?? path.join(projectRoot(), '.data', 'peer-postgraphile'));
  options.say(`peer: ${command} (work directory ${path.relative(projectRoot(), workDir)})`);
  const lines: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('bash', [script, '--production', ...options.args], { cwd: projectRoot(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let rest = '';
    const take = (chunk: Buffer) => {
      const text = rest + chunk.toString();
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        process.stderr.write(`  ${line}\n`);
      }
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.once('error', () => resolve(null));
    child.once('close', (exit) => {
      if (rest) lines.push(rest);
      resolve(exit);
    });
  });
  const last = lines.filter((l) => l.trim()).at(-1) ?? '';
  if (code !== 0) return { ran: false, reason: `the harness failed (exit ${code}): ${last}`, command };
  const out = path.join(workDir, 'out');
  const json = JSON.parse(fs.readFileSync(path.join(out, 'results.json'), 'utf8')) as { rows: PeerRow[]; ratios: PeerRatio[] };
  return {
    ran: true,
    command,
    summary: last.startsWith('peer: ') ? last : json && (json as { summary?: string }).summary,
    table: fs.readFileSync(path.join(out, 'results-table.md'), 'utf8'),
    rows: json.rows.map(({ scenario, server, connections, rps, p50, p99, peakRssMb, errors }) => ({ scenario, server, connections, rps, p50, p99, peakRssMb, errors })),
    ratios: json.ratios.map(({ scenario, connections, ratio, rps, p50 }) => ({ scenario, connections, ratio, rps, p50 })),
  };
}
