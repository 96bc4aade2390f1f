/**
 * `npm run bench -- [--patients 1000] [--seconds 8] [--warmup 2] [--connections 1,32] [--scenarios S1,S2] [--smoke] [--render]
 *   [--no-peer | --peer] [--peer-dir DIR] [--peer-seconds N] [--peer-rounds N] [--peer-port-base N]`
 *
 * Seeds the benchmark database (demo + seed:large, resumable), starts the real API and the
 * unauthorised baseline as child processes, drives both over HTTP with autocannon through the
 * scenarios S1–S5 at each concurrency, and writes bench/results/patients-N.json and
 * bench/results.md. `--smoke` runs everything on a tiny fresh database for a second per cell,
 * checks that nothing fails and writes nothing (CI). `--render` only re-renders bench/results.md
 * (after editing bench/notes.md). Afterwards it runs the side-by-side with PostGraphile + RLS
 * (bench/peer.ts) and stores its summary and table in the same run.
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { mintDevToken } from '../src/auth/mint';
import { loadConfig, projectRoot } from '../src/config';
import { openDatabase } from '../src/db/database';
import { seedLarge } from '../src/db/large/seed-large';
import { openBenchDatabase } from './database';
import { TimingCase, TimingResult, measureExistenceTiming } from './existence-timing';
import { LoadSamples, quantile, runLoad } from './load';
import { BenchRun, Measurement, foreignSections, loadRuns, renderResults, resultFile } from './results';
import { SCENARIOS, WITHHELD_PROBE } from './scenarios';
import { PeerRun, defaultPeerDir, runPeer } from './peer';
import { productionEnv } from './production-config';
import { Build, ServerProcess, startServerProcess } from './servers';

interface Options {
  smoke: boolean;
  patients: number;
  seed: number;
  seconds: number;
  warmup: number;
  rounds: number;
  connections: number[];
  scenarios: string[];
  /** The side-by-side with PostGraphile (bench/peer.ts): off with --no-peer, and in a smoke run unless --peer. */
  peer: boolean;
  peerDir: string;
  peerArgs: string[];
}

function parseOptions(args: string[]): Options {
  const value = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const num = (name: string, fallback: number) => {
    const text = value(name);
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const smoke = args.includes('--smoke');
  return {
    smoke,
    // The smoke run needs 50 INS-ALPHA patients for S3: 200 generated patients give about 70.
    patients: num('patients', smoke ? 200 : 1000),
    seed: num('seed', 42),
    seconds: num('seconds', smoke ? 1 : 8),
    warmup: smoke ? 0 : num('warmup', 2),
    rounds: smoke ? 1 : 2,
    connections: (value('connections') ?? (smoke ? '4' : '1,32')).split(',').map(Number),
    scenarios: (value('scenarios') ?? SCENARIOS.map((s) => s.id).join(',')).split(','),
    peer: !args.includes('--no-peer') && (!smoke || args.includes('--peer')),
    peerDir: path.resolve(value('peer-dir') ?? defaultPeerDir()),
    peerArgs: peerArgs(args, value, smoke),
  };
}

/**
 * The harness's options: its own per-round --seconds (--peer-seconds, else --seconds split over
 * the rounds when given, else its default of 10) and --rounds (--peer-rounds), and --warmup,
 * --connections and the scenarios it knows (S1, S3) as given to the bench.
 */
function peerArgs(args: string[], value: (name: string) => string | undefined, smoke: boolean): string[] {
  const out: string[] = [];
  const rounds = value('peer-rounds') ?? (smoke ? '1' : undefined);
  if (rounds) out.push('--rounds', rounds);
  const seconds = value('peer-seconds') ?? (value('seconds') ? String(Math.max(1, Math.round(Number(value('seconds')) / Number(rounds ?? 2)))) : undefined);
  if (seconds) out.push('--seconds', seconds);
  const warmup = smoke ? '0' : value('warmup');
  if (warmup) out.push('--warmup', warmup);
  const connections = value('connections') ?? (smoke ? '4' : undefined);
  if (connections) out.push('--connections', connections);
  const scenarios = value('scenarios')?.split(',').filter((x) => x === 'S1' || x === 'S3');
  if (scenarios?.length) out.push('--scenarios', scenarios.join(','));
  const portBase = value('peer-port-base');
  if (portBase) out.push('--port-base', portBase);
  return out;
}

const ALL_BUILDS: Build[] = ['authorised', 'unauthorised'];

async function post(server: ServerProcess, token: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

/** Lookups of a patient outside gp-jansen's gate (P-0003, gp-peters' patient) and of none at all. */
async function timingCases(url: string): Promise<TimingCase[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const [outside] = (await client.query(`SELECT id, bsn FROM patient WHERE patient_number = 'P-0003'`)).rows;
    return [
      { name: 'patientByNumber', query: 'query($n: String!) { patientByNumber(patientNumber: $n) { id } }', outside: { n: 'P-0003' }, missing: { n: 'P-0999' } },
      { name: 'patient(id)', query: 'query($id: ID!) { patient(id: $id) { id } }', outside: { id: outside.id }, missing: { id: '00000000-0000-4000-8000-00000000dead' } },
      { name: 'patientByBsn', query: 'query($b: String!) { patientByBsn(bsn: $b) { id } }', outside: { b: outside.bsn }, missing: { b: '100000009' } },
    ];
  } finally {
    await client.end();
  }
}

/** Every scenario answers correctly on both builds, and the baseline really skips the policy. */
async function probe(servers: Record<Build, ServerProcess>, tokens: Map<string, string>, withheldToken: string): Promise<void> {
  for (const s of SCENARIOS) {
    for (const build of ALL_BUILDS) {
      const res = await post(servers[build], tokens.get(s.id)!, s.query, s.variables);
      const problem = res.status !== 200 ? `HTTP ${res.status}` : res.body.errors ? JSON.stringify(res.body.errors).slice(0, 300) : build === 'authorised' ? s.check(res.body.data) : null;
      if (problem) throw new Error(`${s.id} on the ${build} build: ${problem}`);
    }
  }
  const policed = await post(servers.authorised, withheldToken, WITHHELD_PROBE.query, WITHHELD_PROBE.variables);
  const open = await post(servers.unauthorised, withheldToken, WITHHELD_PROBE.query, WITHHELD_PROBE.variables);
  if (policed.body.data?.patientByNumber?.diagnoses !== null || policed.body.errors?.[0]?.extensions?.code !== 'FORBIDDEN') {
    throw new Error('the authorised build released a withheld field: is it really the policed server?');
  }
  if (!Array.isArray(open.body.data?.patientByNumber?.diagnoses)) {
    throw new Error('the baseline withheld a field: the unauthorised substitution did not take effect');
  }
}

function measurement(scenario: string, build: Build, connections: number, parts: LoadSamples[]): Measurement {
  const latencies = parts.flatMap((p) => p.latenciesMs);
  const statements = parts.flatMap((p) => p.statements);
  const seconds = parts.reduce((n, p) => n + p.seconds, 0);
  const sum = (f: (p: LoadSamples) => number) => parts.reduce((n, p) => n + f(p), 0);
  const errorDetail = { non2xx: sum((p) => p.non2xx), failedBodies: sum((p) => p.failedBodies), connectionErrors: sum((p) => p.connectionErrors), timeouts: sum((p) => p.timeouts) };
  return {
    scenario, build, connections,
    requests: latencies.length,
    rps: latencies.length / seconds,
    p50: quantile(latencies, 0.5), p90: quantile(latencies, 0.9), p99: quantile(latencies, 0.99),
    mean: latencies.reduce((a, b) => a + b, 0) / latencies.length,
    statements: { min: Math.min(...statements), median: quantile(statements, 0.5), max: Math.max(...statements) },
    bytesPerResponse: sum((p) => p.bytes) / latencies.length,
    peakRssMb: Math.max(...parts.map((p) => p.peakRssMb)),
    errors: errorDetail.non2xx + errorDetail.failedBodies + errorDetail.connectionErrors + errorDetail.timeouts,
    errorDetail,
  };
}

async function dataFacts(url: string): Promise<Omit<BenchRun['data'], 'seedSeconds'>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const one = async (text: string) => Number((await client.query(text)).rows[0].n);
    // Exact counts of big tables take seconds; the planner's estimate (fresh after ANALYZE) is enough.
    const estimate = (table: string) => one(`SELECT greatest(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = '${table}'::regclass`);
    return {
      generatedPatients: await one(`SELECT count(*) AS n FROM patient WHERE patient_number ~ '^P-[1-8][0-9]{5}$'`),
      patients: await one('SELECT count(*) AS n FROM patient'),
      labResults: await estimate('lab_result'),
      documents: await estimate('clinical_document'),
      accessEvents: await one('SELECT max(seq) AS n FROM access_event'),
      databaseMb: await one('SELECT (pg_database_size(current_database()) / 1048576)::bigint AS n'),
    };
  } finally {
    await client.end();
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

function commit(): string {
  try {
    const sha = execSync('git rev-parse --short HEAD', { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    const dirty = execSync('git status --porcelain', { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim().length > 0;
    return dirty ? `${sha} + uncommitted changes` : sha;
  } catch {
    return 'unknown';
  }
}

async function seed(url: string, options: Options): Promise<number | null> {
  const config = loadConfig({ ...process.env, DATABASE_URL: url, DATABASE_SCHEMA: '' });
  const database = await openDatabase(config);
  const client = new Client({ connectionString: url, application_name: 'bench-seed' });
  await client.connect();
  const bar = new SingleBar({ format: 'seed |{bar}| {value}/{total} patients | {duration_formatted}', noTTYOutput: true, notTTYSchedule: 10000 });
  try {
    let started = false;
    const result = await seedLarge(client, {
      patients: options.patients, seed: options.seed,
      onProgress: (p) => (started ? bar.update(p.done) : (bar.start(p.total, p.done), (started = true))),
    });
    bar.stop();
    return result.inserted > 0 ? result.seconds : null;
  } finally {
    bar.stop();
    await client.end();
    await database.close();
  }
}

/** Renders bench/results.md from the stored runs, bench/notes.md and the sections other tools keep there. */
function writeResultsMarkdown(dir: string): void {
  const notesFile = path.join(projectRoot(), 'bench', 'notes.md');
  const notes = fs.existsSync(notesFile) ? fs.readFileSync(notesFile, 'utf8') : '';
  const resultsFile = path.join(projectRoot(), 'bench', 'results.md');
  const keep = fs.existsSync(resultsFile) ? foreignSections(fs.readFileSync(resultsFile, 'utf8')) : [];
  fs.writeFileSync(resultsFile, renderResults(loadRuns(dir), notes, keep));
}

async function main(): Promise<void> {
  const resultsDir = path.join(projectRoot(), 'bench', 'results');
  if (process.argv.includes('--render')) {
    writeResultsMarkdown(resultsDir);
    return;
  }
  const options = parseOptions(process.argv.slice(2));
  const say = (m: string) => process.stderr.write(`bench: ${m}\n`);
  const databaseName = options.smoke ? 'bench_smoke' : 'bench';
  const db = await openBenchDatabase(databaseName, options.smoke);
  const logDir = path.join(projectRoot(), '.data', 'bench-logs');
  fs.mkdirSync(logDir, { recursive: true });
  const servers: Partial<Record<Build, ServerProcess>> = {};
  try {
    say(`database ${db.description}; ensuring ${options.patients} generated patients (seed ${options.seed})`);
    const seedSeconds = await seed(db.url, options);

    const config = loadConfig({ ...process.env, DATABASE_URL: db.url, DATABASE_SCHEMA: '' });
    const tokens = new Map<string, string>();
    // Minted before the servers start, so both read the development key this creates.
    for (const s of SCENARIOS) tokens.set(s.id, await mintDevToken(config, { ...s.token, ttl: '12h' }));
    const withheldToken = await mintDevToken(config, { ...WITHHELD_PROBE.token, ttl: '12h' });

    // Both builds run as a hospital runs the API: NODE_ENV=production, with keys of the bench's own.
    const timing = await timingCases(db.url);
    const documents = [...SCENARIOS.map((s) => s.query), WITHHELD_PROBE.query, ...timing.map((t) => t.query)];
    const serverEnv = await productionEnv(config, databaseName, options.smoke, documents);
    say(`servers run with NODE_ENV=${serverEnv.NODE_ENV} (keys under ${path.relative(projectRoot(), path.dirname(serverEnv.ACCESS_LOG_SIGNING_KEY_FILE))})`);
    for (const build of ALL_BUILDS) servers[build] = await startServerProcess(build, db.url, path.join(logDir, `${build}.log`), serverEnv);
    const running = servers as Record<Build, ServerProcess>;
    await probe(running, tokens, withheldToken);
    say('both builds answer every scenario; the baseline releases what the policy withholds');
    const existenceTiming = await measureExistenceTiming(running.authorised.url, withheldToken, timing, options.smoke ? 100 : 1000);
    for (const t of existenceTiming) {
      say(`existence timing ${t.name}: outside the gate ${t.outsideMedianMs.toFixed(3)} ms, missing ${t.missingMedianMs.toFixed(3)} ms (median of ${t.pairs}), p = ${t.p.toFixed(3)}`);
    }

    const loadAtStart = os.loadavg()[0];
    const measurements: Measurement[] = [];
    for (const s of SCENARIOS.filter((x) => options.scenarios.includes(x.id))) {
      const body = JSON.stringify({ query: s.query, variables: s.variables });
      for (const connections of options.connections) {
        const load = (build: Build, seconds: number) => runLoad({
          url: running[build].url, token: tokens.get(s.id)!, body, connections, seconds, sampleRssMb: running[build].rssMb,
          statementCounts: running[build].statements,
        });
        if (options.warmup > 0) for (const build of ALL_BUILDS) await load(build, options.warmup);
        const parts: Record<Build, LoadSamples[]> = { authorised: [], unauthorised: [] };
        for (let round = 0; round < options.rounds; round++) {
          for (const build of ALL_BUILDS) parts[build].push(await load(build, options.seconds / options.rounds));
        }
        for (const build of ALL_BUILDS) {
          const m = measurement(s.id, build, connections, parts[build]);
          measurements.push(m);
          say(`${s.id} c=${connections} ${build.padEnd(12)} ${m.rps.toFixed(0).padStart(5)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  ${m.statements.median} statements  ${m.peakRssMb.toFixed(0)} MB  ${m.errors} errors`);
        }
      }
    }
    const processPeakRssMb = { authorised: running.authorised.peakRssMb(), unauthorised: running.unauthorised.peakRssMb() };
    for (const build of ALL_BUILDS) await running[build].stop();

    // After the bench's own servers stopped, so that the two runs do not share the cores.
    let peer: PeerRun | undefined;
    if (options.peer) {
      peer = await runPeer({ dir: options.peerDir, args: options.peerArgs, say });
      say(peer.ran ? `peer comparison: ${peer.summary}` : `peer comparison not run: ${peer.reason}`);
    } else {
      say(`peer comparison skipped (${options.smoke ? '--smoke without --peer' : '--no-peer'})`);
    }

    const run: BenchRun = {
      smoke: options.smoke,
      date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
      commit: commit(),
      machine: {
        cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, ramGb: Math.round(os.totalmem() / 2 ** 30),
        node: process.version, os: `${os.type()} ${os.release()}`, postgres: await postgresVersion(db.url),
      },
      database: db.description,
      nodeEnv: serverEnv.NODE_ENV,
      data: { ...(await dataFacts(db.url)), seedSeconds },
      settings: { seconds: options.seconds, warmupSeconds: options.warmup, rounds: options.rounds, connections: options.connections, seed: options.seed },
      scenarios: SCENARIOS.map((s) => ({ id: s.id, title: s.title })),
      measurements,
      processPeakRssMb,
      existenceTiming,
      loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
      ...(peer ? { peer } : {}),
    };
    const errors = measurements.reduce((n, m) => n + m.errors, 0);
    if (options.smoke || options.scenarios.length < SCENARIOS.length) {
      say(`done: ${measurements.length} cells, ${errors} errors${options.smoke ? '' : ' (a subset of the scenarios: nothing written)'}`);
      if (errors > 0) throw new Error(`${errors} failed requests; see ${logDir}`);
      if (peer && !peer.ran && fs.existsSync(options.peerDir)) throw new Error(`the peer comparison failed: ${peer.reason}`);
      return;
    }
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(resultFile(resultsDir, run), JSON.stringify(run, null, 2) + '\n');
    writeResultsMarkdown(resultsDir);
    say(`wrote ${path.relative(projectRoot(), resultFile(resultsDir, run))} and bench/results.md`);
    if (peer && !peer.ran && fs.existsSync(options.peerDir)) throw new Error(`the peer comparison failed: ${peer.reason}`);
  } finally {
    for (const server of Object.values(servers)) await server?.stop();
    await db.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
