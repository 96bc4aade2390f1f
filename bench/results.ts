/**
 * Benchmark results: one JSON file per data size under bench/results/, and bench/results.md
 * rendered from all of them (with the targets and the hand-written bench/notes.md).
 */
import type { TimingResult } from './existence-timing';
import fs from 'node:fs';
import path from 'node:path';
import type { PeerRun } from './peer';
import type { Build } from './servers';

export interface Measurement {
  scenario: string;
  build: Build;
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  statements: { min: number; median: number; max: number };
  bytesPerResponse: number;
  peakRssMb: number;
  errors: number;
  errorDetail: { non2xx: number; failedBodies: number; connectionErrors: number; timeouts: number };
}

export interface BenchRun {
  smoke: boolean;
  date: string;
  commit: string;
  machine: { cpu: string; cores: number; ramGb: number; node: string; os: string; postgres: string };
  database: string;
  /** NODE_ENV of both servers under test (production since the bench runs them as a hospital would; older runs: development). */
  nodeEnv?: string;
  data: { generatedPatients: number; patients: number; labResults: number; documents: number; accessEvents: number; databaseMb: number; seedSeconds: number | null };
  settings: { seconds: number; warmupSeconds: number; rounds: number; connections: number[]; seed: number };
  scenarios: Array<{ id: string; title: string }>;
  measurements: Measurement[];
  /** VmHWM of each server process over the whole run, in MB. */
  processPeakRssMb: Record<Build, number>;
  /** The machine's 1-minute load average when the measurements started and ended (others' work shows here). */
  loadAverage?: { start: number; end: number };
  /** Interleaved lookups of a patient outside the gate vs one that does not exist (bench/existence-timing.ts). */
  existenceTiming?: TimingResult[];
  /** The side-by-side with PostGraphile + RLS of the same run (bench/peer.ts), when it was asked for. */
  peer?: PeerRun;
}

/**
 * authorised / unauthorised p50: ≤ 1.20 at concurrency 1, where the durable commit of the access
 * log is a fixed cost on every request, and ≤ 1.10 under concurrency, where appends share commits.
 */
export const TARGETS = { p50RatioSingle: 1.2, p50RatioConcurrent: 1.1, s1Scaling: 1.1, peakRssMb: 300, peerRpsRatio: 1.0 };
export const p50RatioTarget = (connections: number) => (connections === 1 ? TARGETS.p50RatioSingle : TARGETS.p50RatioConcurrent);
const ROUND = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** Where the JSON of a run goes: one file per number of generated patients. */
export function resultFile(dir: string, run: BenchRun): string {
  return path.join(dir, `patients-${run.data.generatedPatients}.json`);
}

export function loadRuns(dir: string): BenchRun[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as BenchRun)
    .filter((r) => !r.smoke)
    .sort((a, b) => a.data.generatedPatients - b.data.generatedPatients);
}

const find = (run: BenchRun, scenario: string, build: Build, connections: number) =>
  run.measurements.find((m) => m.scenario === scenario && m.build === build && m.connections === connections);

/** authorised p50 / unauthorised p50. */
export function p50Ratio(run: BenchRun, scenario: string, connections: number): number {
  const a = find(run, scenario, 'authorised', connections);
  const u = find(run, scenario, 'unauthorised', connections);
  return a && u ? a.p50 / u.p50 : NaN;
}

const size = (run: BenchRun) => `${run.data.generatedPatients.toLocaleString('en')} patients`;
const verdict = (ok: boolean, by: string) => (ok ? '✅ met' : `❌ missed by ${by}`);

function targetsTable(runs: BenchRun[]): string {
  const lines = ['| target | data | measured | verdict |', '|---|---|---|---|'];
  for (const run of runs) {
    for (const scenario of run.scenarios.map((x) => x.id)) {
      for (const c of run.settings.connections) {
        const r = p50Ratio(run, scenario, c);
        if (!Number.isFinite(r)) continue;
        const target = p50RatioTarget(c);
        lines.push(`| ${scenario} p50 authorised / unauthorised ≤ ${target.toFixed(2)} (concurrency ${c}) | ${size(run)} | ${ROUND(r)} | ${verdict(r <= target, `${ROUND((r / target - 1) * 100, 1)}%`)} |`);
      }
    }
    // Every cell on its own: a scenario that peaks alone is not hidden by the process maximum.
    for (const scenario of run.scenarios.map((x) => x.id)) {
      const cells = run.settings.connections.map((c) => find(run, scenario, 'authorised', c)).filter((m): m is Measurement => !!m);
      if (cells.length === 0) continue;
      const worst = Math.max(...cells.map((m) => m.peakRssMb));
      const measured = cells.map((m) => `c=${m.connections}: ${ROUND(m.peakRssMb, 0)} MB`).join(' · ');
      lines.push(`| ${scenario} peak RSS of the API ≤ ${TARGETS.peakRssMb} MB (every concurrency) | ${size(run)} | ${measured} | ${verdict(worst <= TARGETS.peakRssMb, `${ROUND(worst - TARGETS.peakRssMb, 0)} MB`)} |`);
    }
    for (const scenario of run.scenarios.map((x) => x.id)) {
      const cells = run.settings.connections.map((c) => [c, find(run, scenario, 'authorised', c), find(run, scenario, 'unauthorised', c)] as const).filter(([, a]) => !!a);
      if (cells.length === 0) continue;
      lines.push(`| ${scenario} SQL statements per request, authorised (unauthorised) | ${size(run)} | ${cells.map(([c, a, u]) => `c=${c}: ${a!.statements.median} (${u?.statements.median ?? 'n/a'})`).join(' · ')} | shown (unchanged or fewer than the previous run) |`);
    }
    const rss = Math.max(...run.measurements.filter((m) => m.build === 'authorised').map((m) => m.peakRssMb), run.processPeakRssMb.authorised);
    lines.push(`| peak RSS of the API process over the whole run (VmHWM) | ${size(run)} | ${ROUND(rss, 0)} MB | ${rss <= TARGETS.peakRssMb ? 'within' : 'above'} ${TARGETS.peakRssMb} MB |`);
    for (const r of (run.peer?.ratios ?? []).filter((x) => x.ratio === 'project/postgraphile')) {
      lines.push(`| ${r.scenario} authorised ≥ ${TARGETS.peerRpsRatio.toFixed(1)}× PostGraphile + RLS req/s (concurrency ${r.connections}) | peer database, 1,000 patients | ${ROUND(r.rps)}× | ${verdict(r.rps >= TARGETS.peerRpsRatio, `${ROUND((1 - r.rps / TARGETS.peerRpsRatio) * 100, 1)}%`)} |`);
    }
    const errors = run.measurements.reduce((n, m) => n + m.errors, 0);
    lines.push(`| zero errors during the bench (both builds, all scenarios) | ${size(run)} | ${errors} | ${verdict(errors === 0, `${errors} errors`)} |`);
  }
  if (runs.length >= 2) {
    const small = runs[0];
    const large = runs[runs.length - 1];
    for (const c of large.settings.connections) {
      const a = find(small, 'S1', 'authorised', c);
      const b = find(large, 'S1', 'authorised', c);
      if (!a || !b) continue;
      const r = b.p50 / a.p50;
      lines.push(`| S1 p50 at ${size(large)} within ${TARGETS.s1Scaling}× of ${size(small)} (concurrency ${c}) | both | ${ROUND(b.p50)} ms / ${ROUND(a.p50)} ms = ${ROUND(r)} | ${verdict(r <= TARGETS.s1Scaling, `${ROUND((r / TARGETS.s1Scaling - 1) * 100, 1)}%`)} |`);
    }
  }
  return lines.join('\n');
}

/** The side-by-side with PostGraphile + RLS of a run: its table and ratios as the harness wrote them. */
function peerSection(run: BenchRun): string {
  const out = ['### Side by side with PostGraphile', ''];
  const peer = run.peer;
  if (!peer) return [...out, 'Not run (`--no-peer`).', ''].join('\n');
  if (!peer.ran) return [...out, `Not run: ${peer.reason}.`, ''].join('\n');
  out.push(`\`${peer.command}\` (bench/peer.ts), after the measurements above, on its own database; the project's servers with NODE_ENV=production.`, '');
  out.push(`Summary line: \`${peer.summary}\``, '');
  out.push((peer.table ?? '').replace(/^### /gm, '#### ').trim(), '');
  return out.join('\n');
}

function runSection(run: BenchRun): string {
  const out: string[] = [];
  out.push(`## ${size(run)}`, '');
  out.push(`Measured ${run.date} on commit \`${run.commit}\`, database ${run.database}. Both servers ran with NODE_ENV=${run.nodeEnv ?? 'development'}.`, '');
  out.push('| data | rows |', '|---|---|');
  out.push(`| patients (demo + generated) | ${run.data.patients.toLocaleString('en')} |`);
  out.push(`| lab results | ${run.data.labResults.toLocaleString('en')} |`);
  out.push(`| clinical documents | ${run.data.documents.toLocaleString('en')} |`);
  out.push(`| access events (one hash chain) | ${run.data.accessEvents.toLocaleString('en')} |`);
  out.push(`| database size | ${run.data.databaseMb.toLocaleString('en')} MB |`);
  if (run.data.seedSeconds !== null) out.push(`| time to seed (this run) | ${Math.round(run.data.seedSeconds)} s |`);
  out.push('');
  if (run.loadAverage) out.push(`Machine load average (1 min) at the start and end of the measurements: ${run.loadAverage.start.toFixed(1)} and ${run.loadAverage.end.toFixed(1)} on ${run.machine.cores} cores.`, '');
  out.push(`Each cell: ${run.settings.warmupSeconds} s warm-up per build, then ${run.settings.seconds} s of load, measured in ${run.settings.rounds} alternating rounds (authorised, unauthorised, authorised, …).`, '');
  for (const s of run.scenarios) {
    out.push(`### ${s.id} — ${s.title}`, '');
    out.push('| build | connections | req/s | p50 ms | p90 ms | p99 ms | SQL statements / request | KB / response | peak RSS MB | errors |');
    out.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const c of run.settings.connections) {
      for (const build of ['authorised', 'unauthorised'] as Build[]) {
        const m = find(run, s.id, build, c);
        if (!m) continue;
        const st = m.statements.min === m.statements.max ? `${m.statements.median}` : `${m.statements.median} (${m.statements.min}–${m.statements.max})`;
        out.push(`| ${build} | ${c} | ${ROUND(m.rps, 0)} | ${ROUND(m.p50)} | ${ROUND(m.p90)} | ${ROUND(m.p99)} | ${st} | ${ROUND(m.bytesPerResponse / 1024, 1)} | ${ROUND(m.peakRssMb, 0)} | ${m.errors} |`);
      }
    }
    out.push('');
    out.push(run.settings.connections.map((c) => `p50 ratio at ${c} connection${c > 1 ? 's' : ''}: **${ROUND(p50Ratio(run, s.id, c))}**`).join(' · '), '');
  }
  out.push(`Peak resident memory over the whole run (VmHWM): authorised ${ROUND(run.processPeakRssMb.authorised, 0)} MB, unauthorised ${ROUND(run.processPeakRssMb.unauthorised, 0)} MB.`, '');
  out.push(peerSection(run));
  if (run.existenceTiming?.length) {
    out.push('Existence oracle (SPEC §7): a patient outside the GP\'s gate vs one that does not exist, interleaved pairs, two-sided Mann–Whitney U (no significant difference when p ≥ 0.01):', '');
    out.push('| lookup | pairs | outside the gate, median ms | missing, median ms | p | significant? |', '|---|---|---|---|---|---|');
    for (const t of run.existenceTiming) {
      out.push(`| ${t.name} | ${t.pairs} | ${ROUND(t.outsideMedianMs, 3)} | ${ROUND(t.missingMedianMs, 3)} | ${ROUND(t.p, 3)} | ${t.p < 0.01 ? 'yes' : 'no'} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** Sections other tools keep in results.md between `<!-- name:begin … -->` and `<!-- name:end -->` (e.g. npm run soak). */
export function foreignSections(current: string): string[] {
  return [...current.matchAll(/<!-- (\w+):begin[^>]*-->[\s\S]*?<!-- \1:end -->\n?/g)].map((m) => m[0].trimEnd());
}

/** bench/results.md from every stored run (and the sections other tools wrote into it). */
export function renderResults(runs: BenchRun[], notes: string, keep: string[] = []): string {
  const m = runs[runs.length - 1]?.machine;
  const out: string[] = ['# Benchmark results', ''];
  out.push('Generated by `npm run bench` (bench/run.ts) from the JSON files in bench/results/; the notes at the end are hand-written (bench/notes.md).', '');
  if (m) {
    out.push('## Machine', '');
    out.push(`${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM; ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres} (local server, default settings). `
      + 'The API, PostgreSQL and the load generator (autocannon, in the bench process) share the same cores.', '');
  }
  out.push('## How to reproduce', '');
  out.push('```sh', 'npm run bench -- --patients 1000     # seeds demo + 1,000 generated patients into the database `bench`, then measures', 'npm run bench -- --patients 100000   # adds the other 99,000 (resumable), then measures', '```', '');
  out.push('The database is `bench` on the server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432), created when missing; BENCH_DATABASE_URL names another. Options: `--seconds`, `--warmup`, `--connections 1,32`, `--scenarios S1,S4` (a subset is printed, not written). Each data size keeps its JSON in bench/results/, and this file is rendered from all of them. Afterwards the side-by-side with PostGraphile + RLS runs (`<peer dir>/run.sh --production`, default ../shared/peers/postgraphile beside the checkout, or PEER_DIR / `--peer-dir`; `--peer-seconds`, `--peer-rounds`, `--peer-port-base`, PEER_DATABASE; `--no-peer` skips it; its default run takes about 9 minutes).', '');
  out.push('## Targets', '', targetsTable(runs), '');
  out.push('Ratios compare p50 latency of the real API with the unauthorised baseline (bench/unauthorised-server.ts: same server, schema and resolvers, without graphql-shield, gate queries and the access-log plugin), measured in the same run on the same data.', '');
  for (const run of runs) out.push(runSection(run));
  if (notes.trim()) out.push(notes.trim(), '');
  for (const section of keep) out.push(section, '');
  return out.join('\n');
}
