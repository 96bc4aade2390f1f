/**
 * `npm run soak -- --minutes N [--concurrency 32] [--sample-seconds 10]`
 *
 * A soak test of the real API (dist/src/main.js in a child process, on 127.0.0.1 only) against a
 * dedicated database (`soak`, dropped and recreated; see bench/database.ts): `concurrency` clients
 * (bounded, at most 256) send mixed requests for N minutes — every role of the matrix, random
 * scopes and bindings, a few expired tokens, random valid operations generated from the schema
 * (test/support/operations.ts) and portal-note writes. It reports:
 *
 * - 5xx responses (target 0) and other statuses;
 * - leaks: values the principal may not see, judged by the leak test's oracle (target 0);
 * - responses carrying patient data, patient touches, and the access events found for exactly those
 *   (request id, patient) pairs (target: equal), plus writes without their CREATE event;
 * - the server's resident memory (VmRSS) every `sample-seconds`, and its trend after warm-up.
 *
 * With `--heap-snapshots <dir>` (opt-in; the server has no such switch of its own) the API runs with
 * bench/memory-probe.ts preloaded: heap figures every `sample-seconds`, and a full collection plus a
 * heap snapshot at the start, every `--snapshot-minutes` under load, right after the load and after
 * `--idle-seconds` (default 120) of idling. Compare the snapshots with bench/heap-compare.ts.
 *
 * The figures go to bench/soak.md and into the "Soak" section of bench/results.md.
 */
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { Pool } from 'pg';
import { mintDevToken } from '../src/auth/mint';
import { loadConfig, projectRoot } from '../src/config';
import { createDataSource } from '../src/db/data-source';
import { COLUMNS } from '../src/policy/vocabulary';
import { insertGeneratedPatients, ORACLE_CLINICIAN } from '../test/support/generated-patients';
import { buildLeakOracle, LeakOracle, Viewer } from '../test/support/leak-oracle';
import { generateOperation, Operation } from '../test/support/operations';
import { DrawnPrincipal, drawPrincipal, viewerOf } from '../test/support/principals';
import { openBenchDatabase } from './database';
import { freePort } from '../test/support/free-port';

interface Options {
  minutes: number;
  concurrency: number;
  sampleSeconds: number;
  heapSnapshots?: string;
  snapshotMinutes: number;
  idleSeconds: number;
}

function parseOptions(args: string[]): Options {
  const num = (name: string, fallback: number, max: number) => {
    const at = args.indexOf(`--${name}`);
    if (at < 0) return fallback;
    const n = Number(args[at + 1]);
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new Error(`--${name} must be a number from 0 to ${max}`);
    return n;
  };
  const snapshotsAt = args.indexOf('--heap-snapshots');
  const heapSnapshots = snapshotsAt >= 0 ? path.resolve(args[snapshotsAt + 1] ?? '') : undefined;
  if (snapshotsAt >= 0 && !args[snapshotsAt + 1]) throw new Error('--heap-snapshots needs a directory');
  return {
    minutes: num('minutes', 1, 24 * 60), concurrency: Math.round(num('concurrency', 32, 256)), sampleSeconds: num('sample-seconds', 10, 600),
    heapSnapshots, snapshotMinutes: num('snapshot-minutes', Infinity, 24 * 60), idleSeconds: num('idle-seconds', heapSnapshots ? 120 : 0, 3600),
  };
}

const say = (message: string) => process.stderr.write(`[soak] ${message}\n`);

/** The process's resident memory, NaN once it is gone (the summary then shows it). */
function rssMb(pid: number): number {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return NaN;
  }
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return match ? Number(match[1]) / 1024 : NaN;
}

/** Starts the API on a free loopback port and waits for /readyz. */
async function startApi(databaseUrl: string, logFile: string, probe?: { dir: string; seconds: number }): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const port = await freePort();
  const out = fs.openSync(logFile, 'w');
  const probeArgs = probe ? ['--expose-gc', '--require', path.join(projectRoot(), 'dist', 'bench', 'memory-probe.js')] : [];
  const child: ChildProcess = spawn(process.execPath, [...probeArgs, path.join('dist', 'src', 'main.js')], {
    cwd: projectRoot(),
    env: {
      ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: '', PORT: String(port), HOST: '127.0.0.1', NODE_ENV: 'development', RATE_LIMIT_REQUESTS: '1000000', TRUSTED_DOCUMENTS: 'off',
      ...(probe ? { MEMORY_PROBE_DIR: probe.dir, MEMORY_PROBE_SECONDS: String(probe.seconds) } : {}),
    },
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${base}/readyz`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the API did not start; see ${logFile}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: `${base}/graphql`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

interface Case {
  drawn: DrawnPrincipal;
  viewer: Viewer;
  operation: Operation;
  write: boolean;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxy / sxx;
}

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

interface ProbeLine { minute: number; rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number; afterGc?: boolean; snapshot?: number; phase?: string }

const probeLines = (dir: string): ProbeLine[] => {
  const file = path.join(dir, 'memory.jsonl');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
};

/** Asks the probe for a collection and a heap snapshot and waits until it is written. */
async function heapSnapshot(pid: number, dir: string, label: string, snapshots: Array<ProbeLine & { label: string }>): Promise<void> {
  const n = snapshots.length + 1;
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 180_000;
  for (;;) {
    const lines = probeLines(dir);
    const collected = lines.find((l) => l.snapshot === n && l.phase === 'collected');
    if (collected && lines.some((l) => l.snapshot === n && l.phase === 'written')) {
      snapshots.push({ ...collected, label });
      say(`heap snapshot ${n} (${label}): heap used after GC ${collected.heapUsed} MB, RSS ${collected.rss} MB`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`heap snapshot ${n} was not written`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const database = await openBenchDatabase('soak', true);
  say(`database: ${database.description}`);
  const logFile = path.join(os.tmpdir(), `soak-api-${process.pid}.log`);
  if (options.heapSnapshots) fs.rmSync(options.heapSnapshots, { recursive: true, force: true });
  const probe = options.heapSnapshots ? { dir: options.heapSnapshots, seconds: options.sampleSeconds } : undefined;
  const api = await startApi(database.url, logFile, probe);
  say(`API ${api.url} (pid ${api.pid}, log ${logFile})`);
  const pool = new Pool({ connectionString: database.url, max: 4 });
  const config = loadConfig({ ...process.env, NODE_ENV: 'development' });

  try {
    // Extra patients and the oracle clinician, as in the leak test.
    const ds = createDataSource({ url: database.url, poolSize: 2 });
    await ds.initialize();
    await ds.transaction((manager) => insertGeneratedPatients(manager, 8));
    await ds.destroy();
    const token = (subject: string, opts: { purpose?: string; patient?: string; scope?: string[]; ttl?: string } = {}) => {
      if (subject === ORACLE_CLINICIAN) return mintDevToken(config, { subject: 'clin-dekker', ...opts, claims: { sub: ORACLE_CLINICIAN } });
      if (/^P-01\d\d$/.test(subject)) return mintDevToken(config, { subject: 'P-0001', ...opts, patient: undefined, claims: { sub: subject, patient: subject } });
      return mintDevToken(config, { subject, ...opts });
    };
    const gql = async (bearer: string, query: string, variables?: Record<string, unknown>) => {
      const res = await fetch(api.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify({ query, variables }) });
      const text = await res.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, body, text, requestId: res.headers.get('x-request-id') };
    };
    const sql = async (text: string, params?: unknown[]) => (await pool.query(text, params)).rows;
    const oracle: LeakOracle = await buildLeakOracle({ sql, gql, patientToken: (n) => token(n), clinicianToken: () => token(ORACLE_CLINICIAN) });
    const facts = [...oracle.facts.values()];
    const patientNumbers = facts.map((f) => f.patientNumber).sort();
    const bsnOf = new Map((await sql('SELECT id, bsn FROM patient')).map((r) => [r.id, r.bsn]));
    const pool0 = { patientIds: facts.map((f) => f.id), patientNumbers, bsns: [...bsnOf.values()] };

    // A fixed, seeded mix of cases, sent in random order: reads of every kind, 5 % writes.
    const cases: Case[] = fc.sample(fc.gen().map((g): Case => {
      const drawn = drawPrincipal(g, patientNumbers, 50);
      const viewer = viewerOf(drawn.column, drawn.subject, drawn);
      const write = drawn.column === 'PATIENT' && !drawn.expired && g(fc.integer, { min: 0, max: 3 }) === 0;
      const gate = [...oracle.gateOf(viewer)].map((id) => oracle.facts.get(id)!);
      const operation = write
        ? { query: 'mutation($t: String!) { addPortalNote(text: $t) { id text } }', variables: {} }
        : generateOperation(g, { ...pool0, column: drawn.column, preferred: { patientIds: gate.map((f) => f.id), patientNumbers: gate.map((f) => f.patientNumber), bsns: gate.map((f) => bsnOf.get(f.id)!) } });
      return { drawn, viewer, operation, write };
    }), { numRuns: 3000, seed: 20251122 });
    const tokens = new Map<number, string>();
    const tokenOf = async (i: number) => {
      let t = tokens.get(i);
      if (!t) {
        const { drawn } = cases[i];
        t = await token(drawn.subject, { purpose: COLUMNS[drawn.column].purpose, patient: drawn.bound, scope: drawn.scope, ttl: drawn.expired ? '-5m' : `${drawn.ttlSeconds}s` });
        // Tokens are reused for the whole soak: the 12-hour ones outlive it, the 15-minute ones are re-minted below.
        tokens.set(i, t);
      }
      return t;
    };

    const totals = {
      requests: 0, status: {} as Record<string, number>, serverErrors: 0, networkErrors: 0, leaks: 0, leakExamples: [] as string[],
      withPatientData: 0, patientTouches: 0, writes: 0, writesStored: 0,
    };
    const touches: Array<{ requestId: string; patientId: string }> = [];
    const writes: Array<{ requestId: string; text: string }> = [];
    const rss: Array<[number, number]> = [];
    const snapshots: Array<ProbeLine & { label: string }> = [];
    if (probe) await heapSnapshot(api.pid, probe.dir, 'start', snapshots);
    const started = Date.now();
    const deadline = started + options.minutes * 60_000;
    const sampler = setInterval(() => rss.push([(Date.now() - started) / 60_000, rssMb(api.pid)]), options.sampleSeconds * 1000);
    rss.push([0, rssMb(api.pid)]);
    let mintedAt = Date.now();
    let counter = 0;
    // Snapshots under load, taken by one timer while the clients keep going.
    let snapshotting = Promise.resolve();
    const snapshotTimer = probe && Number.isFinite(options.snapshotMinutes)
      ? setInterval(() => {
        const label = `load ${round((Date.now() - started) / 60_000)} min`;
        snapshotting = snapshotting.then(() => heapSnapshot(api.pid, probe.dir, label, snapshots));
      }, options.snapshotMinutes * 60_000)
      : undefined;

    await Promise.all(Array.from({ length: options.concurrency }, async (_, worker) => {
      let rng = worker * 7919 + 1;
      while (Date.now() < deadline) {
        // Re-mint the short-lived tokens every 10 minutes.
        if (Date.now() - mintedAt > 10 * 60_000) {
          mintedAt = Date.now();
          tokens.clear();
        }
        rng = (rng * 1103515245 + 12345) % 2147483648;
        const i = rng % cases.length;
        const c = cases[i];
        const variables = c.write ? { t: `soak note ${process.pid}-${counter++}` } : c.operation.variables;
        let res;
        try {
          res = await gql(await tokenOf(i), c.operation.query, variables);
        } catch {
          totals.networkErrors += 1;
          continue;
        }
        totals.requests += 1;
        totals.status[res.status] = (totals.status[res.status] ?? 0) + 1;
        if (res.status >= 500) totals.serverErrors += 1;
        if (res.body === undefined) continue;
        const { leaks, touched } = oracle.judge(c.viewer, res.body);
        if (leaks.length) {
          totals.leaks += leaks.length;
          if (totals.leakExamples.length < 5) totals.leakExamples.push(`${c.drawn.column}/${c.drawn.subject}: ${leaks.map((l) => l.value).join(', ')} in ${c.operation.query.slice(0, 200)}`);
        }
        if (touched.size > 0 && res.requestId) {
          totals.withPatientData += 1;
          totals.patientTouches += touched.size;
          for (const patientId of touched) touches.push({ requestId: res.requestId, patientId });
        }
        if (c.write && res.requestId) {
          totals.writes += 1;
          if (res.status === 200 && res.body?.data?.addPortalNote) {
            totals.writesStored += 1;
            writes.push({ requestId: res.requestId, text: String(variables.t) });
          }
        }
      }
    }));
    clearInterval(sampler);
    if (snapshotTimer) clearInterval(snapshotTimer);
    await snapshotting;
    rss.push([(Date.now() - started) / 60_000, rssMb(api.pid)]);
    const elapsedMinutes = (Date.now() - started) / 60_000;
    // Idle: does memory come back once the load stops?
    const idleRss: Array<[number, number]> = [];
    if (probe) await heapSnapshot(api.pid, probe.dir, 'after the load', snapshots);
    if (options.idleSeconds > 0) {
      const idleUntil = Date.now() + options.idleSeconds * 1000;
      while (Date.now() < idleUntil) {
        await new Promise((r) => setTimeout(r, Math.min(options.sampleSeconds * 1000, Math.max(0, idleUntil - Date.now()))));
        idleRss.push([(Date.now() - started) / 60_000, rssMb(api.pid)]);
      }
    }
    if (probe) await heapSnapshot(api.pid, probe.dir, `after ${options.idleSeconds} s idle`, snapshots);

    // Access events for exactly the (request, patient) pairs whose data left, and for every write.
    let eventsFound = 0;
    let duplicateEvents = 0;
    for (let k = 0; k < touches.length; k += 5000) {
      const chunk = touches.slice(k, k + 5000);
      // One hash join per chunk (access_event has no index on request_id; the API never looks events up by it).
      const rows = await sql(
        `SELECT t.request_id, t.patient_id, count(e.id)::int AS n
           FROM unnest($1::text[], $2::uuid[]) AS t(request_id, patient_id)
           LEFT JOIN access_event e ON e.request_id = t.request_id AND e.patient_id = t.patient_id
          GROUP BY t.request_id, t.patient_id`,
        [chunk.map((t) => t.requestId), chunk.map((t) => t.patientId)]);
      for (const r of rows) {
        if (r.n >= 1) eventsFound += 1;
        if (r.n > 1) duplicateEvents += 1;
      }
    }
    let writesLogged = 0;
    for (let k = 0; k < writes.length; k += 5000) {
      const chunk = writes.slice(k, k + 5000);
      const [row] = await sql(`SELECT count(*)::int AS n FROM access_event WHERE action = 'CREATE' AND request_id = ANY($1::text[])`, [chunk.map((w) => w.requestId)]);
      writesLogged += row.n;
    }

    const afterWarmup = rss.filter(([minute]) => minute >= Math.min(1, elapsedMinutes / 3));
    const summary = {
      date: new Date().toISOString(),
      minutes: round(elapsedMinutes, 2),
      concurrency: options.concurrency,
      extraOptions: [
        ...(probe ? [`--heap-snapshots <dir>`] : []),
        ...(probe && Number.isFinite(options.snapshotMinutes) ? [`--snapshot-minutes ${options.snapshotMinutes}`] : []),
        ...(options.idleSeconds > 0 ? [`--idle-seconds ${options.idleSeconds}`] : []),
      ].join(' '),
      requests: totals.requests,
      rps: round(totals.requests / (elapsedMinutes * 60)),
      status: totals.status,
      serverErrors: totals.serverErrors,
      networkErrors: totals.networkErrors,
      leaks: totals.leaks,
      leakExamples: totals.leakExamples,
      responsesWithPatientData: totals.withPatientData,
      patientTouches: totals.patientTouches,
      accessEventsForTouches: eventsFound,
      duplicateEvents,
      writes: totals.writes,
      writesStored: totals.writesStored,
      writesLogged,
      rssMb: { start: round(rss[0][1]), end: round(rss[rss.length - 1][1]), max: round(Math.max(...rss.map(([, y]) => y))), samples: rss.map(([x, y]) => [round(x, 2), round(y)]) },
      rssSlopeMbPerMinuteAfterWarmup: round(slope(afterWarmup), 2),
      idleSeconds: options.idleSeconds,
      idleRssMb: idleRss.map(([x, y]) => [round(x, 2), round(y)]),
      heap: probe ? {
        snapshots: snapshots.map((p) => ({ label: p.label, minute: p.minute, heapUsedAfterGc: p.heapUsed, heapTotal: p.heapTotal, external: p.external, arrayBuffers: p.arrayBuffers, rss: p.rss })),
        // Heap after a full collection under load (the snapshots between the first minute and the end): a leak shows as a slope.
        heapAfterGcSlopeMbPerMinute: round(slope(snapshots.filter((p) => p.label.startsWith('load') || p.label === 'after the load').filter((p) => p.minute >= 1).map((p) => [p.minute, p.heapUsed])), 2),
        mallocArenaMax: process.env.MALLOC_ARENA_MAX ?? 'default',
        loadAverage: os.loadavg().map((l) => round(l, 2)),
      } : undefined,
      loadAverage: os.loadavg().map((l) => round(l, 2)),
      database: database.description,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version },
    };
    process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    writeReport(summary);
    const failed = summary.serverErrors > 0 || summary.leaks > 0 || summary.accessEventsForTouches !== summary.patientTouches
      || summary.duplicateEvents > 0 || summary.writesLogged !== summary.writesStored;
    if (failed) {
      say('FAILED: see the summary above');
      process.exitCode = 1;
    }
  } finally {
    await api.stop();
    await pool.end();
    await database.stop();
  }
}

type Summary = Record<string, any>;

/** bench/soak.md, and the Soak section of bench/results.md (replaced between its markers, appended when missing). */
function writeReport(s: Summary): void {
  const lines = [
    '## Soak',
    '',
    `\`npm run soak -- --minutes ${s.minutes >= 1 ? Math.round(s.minutes) : s.minutes} --concurrency ${s.concurrency}${s.extraOptions ? ` ${s.extraOptions}` : ''}\`${process.env.MALLOC_ARENA_MAX ? ` (MALLOC_ARENA_MAX=${process.env.MALLOC_ARENA_MAX})` : ''} on ${s.date.slice(0, 10)}: the real API (one process, loopback) against ${s.database}; `
      + `${s.machine.cpus} × ${s.machine.cpu}, Node ${s.machine.node}. ${s.concurrency} concurrent clients; every role of the matrix with random scopes and bindings, some expired tokens (the 401s), random valid operations generated from the schema, and portal-note writes by patients (${s.writes} requests); every response judged by the leak test's oracle.`,
    '',
    '| measure | result | target |',
    '|---|---|---|',
    `| requests (rate) | ${s.requests} in ${s.minutes} min (${s.rps}/s) | — |`,
    `| statuses | ${Object.entries(s.status).map(([k, v]) => `${k}: ${v}`).join(', ')} | — |`,
    `| 5xx responses | ${s.serverErrors} | 0 |`,
    `| leaks (values the principal may not see) | ${s.leaks} | 0 |`,
    `| responses carrying patient data | ${s.responsesWithPatientData} (${s.patientTouches} patient touches) | — |`,
    `| access events for those touches | ${s.accessEventsForTouches} of ${s.patientTouches} (duplicates: ${s.duplicateEvents}) | equal |`,
    `| writes stored / with their CREATE event | ${s.writesStored} / ${s.writesLogged} | equal |`,
    `| server RSS start → end (max) | ${s.rssMb.start} → ${s.rssMb.end} MB (${s.rssMb.max} MB) | no growth trend |`,
    `| RSS trend after warm-up | ${s.rssSlopeMbPerMinuteAfterWarmup} MB/min | ≈ 0 |`,
    '',
    `RSS samples (minute, MB): ${s.rssMb.samples.map(([x, y]: number[]) => `${x}: ${y}`).join(' · ')}`,
    '',
    ...(s.idleRssMb.length ? [`RSS while idle after the load (minute, MB): ${s.idleRssMb.map(([x, y]: number[]) => `${x}: ${y}`).join(' · ')}`, ''] : []),
    `Load average (1, 5, 15 min) at the end: ${s.loadAverage.join(', ')}.`,
    '',
    ...(s.heap ? [
      `Heap (\`--heap-snapshots\`; MALLOC_ARENA_MAX ${s.heap.mallocArenaMax}): a full collection, then a snapshot, at each point below.`,
      '',
      '| point | minute | heap used after GC (MB) | heap total | external | RSS (MB) |',
      '|---|---:|---:|---:|---:|---:|',
      ...s.heap.snapshots.map((p: Summary) => `| ${p.label} | ${p.minute} | ${p.heapUsedAfterGc} | ${p.heapTotal} | ${p.external} | ${p.rss} |`),
      '',
      `Heap used after GC under load: ${s.heap.heapAfterGcSlopeMbPerMinute} MB/min.`,
      '',
    ] : []),
  ];
  const section = lines.join('\n');
  fs.writeFileSync(path.join(projectRoot(), 'bench', 'soak.md'), section);
  const file = path.join(projectRoot(), 'bench', 'results.md');
  const begin = '<!-- soak:begin (written by npm run soak) -->';
  const end = '<!-- soak:end -->';
  const block = `${begin}\n${section}${end}\n`;
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n\n';
  const at = current.indexOf(begin);
  const next = at >= 0 ? current.slice(0, at) + block + current.slice(current.indexOf(end, at) + end.length + 1) : `${current.trimEnd()}\n\n${block}`;
  fs.writeFileSync(file, next);
  say('wrote bench/soak.md and the Soak section of bench/results.md');
}

main().catch((error) => {
  say(`failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exit(1);
});
