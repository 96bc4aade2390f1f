/**
 * Shared by the fault-injection tests (test/faults): an API server connecting as a login role of
 * its own (so faults can target exactly its connections, and privileges can be revoked from it), a
 * throwaway PostgreSQL that can be stopped and started, a mixed load of real requests, and the
 * checks every response must pass whatever the fault: no internals, no leak, and no patient data
 * without its access event.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { projectRoot, loadConfig } from '../../../src/config';
import { createDataSource } from '../../../src/db/data-source';
import { startEmbeddedPostgres } from '../../../src/db/embedded';
import { startServer, type ApiServer } from '../../../src/server';
import type { TestApi } from '../../support/harness';
import { insertGeneratedPatients, ORACLE_CLINICIAN } from '../../support/generated-patients';
import { buildLeakOracle, LeakOracle, Viewer } from '../../support/leak-oracle';
import { freePort } from '../../support/free-port';

/** No stack, no SQL, no driver or PostgreSQL wording, no file path. */
export const INTERNALS = /\/work\/|node_modules|\.ts:\d|\.js:\d|stacktrace|\bat [\w.<>]+ \(|QueryFailedError|\bSELECT\b|\bINSERT\b|\bFROM\b|(relation|column) "[^"]+"|permission denied|statement timeout|terminat|ECONNREFUSED|connection|postgres|typeorm|pg_|access_event|lab_result|canceling/i;

/** The error messages a client may see from the fault paths. */
const SAFE_MESSAGES = new Set([
  'The request could not be completed',
  'The access could not be recorded; no data was released',
  'The service is temporarily unavailable',
]);

export interface Answer {
  status: number;
  text: string;
  body: any;
  requestId: string | null;
}

/** POSTs a GraphQL request; network errors are answers too (status 0). */
export async function post(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, text, body, requestId: res.headers.get('x-request-id') };
  } catch (error) {
    return { status: 0, text: String(error), body: undefined, requestId: null };
  }
}

/** A pool of the test's own that reconnects after a restart (the harness's admin client does not). */
export function adminPool(url: string, schema: string): Pool {
  const pool = new Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
  pool.on('error', () => undefined);
  return pool;
}

export interface RoleServer {
  role: string;
  server: ApiServer;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A server on the test's schema that connects as a new login role with ordinary privileges (not
 * the superuser the harness uses): pg_terminate_backend can pick out its connections by user name,
 * and REVOKE works on it. `settings` become the role's defaults (e.g. statement_timeout).
 */
export async function startServerAsRole(api: TestApi, settings: Record<string, string> = {}, env: Record<string, string> = {}): Promise<RoleServer> {
  const role = `api_fault_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const password = `pw-${role}`;
  const schema = api.config.databaseSchema!;
  await api.sql(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
  for (const [name, value] of Object.entries(settings)) await api.sql(`ALTER ROLE ${role} SET ${name} = '${value}'`);
  await api.sql(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
  await api.sql(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
  await api.sql(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
  // As in production: the API's login role is a member of the row-security role it switches to.
  await api.sql(`GRANT ${api.config.databaseApiRole} TO ${role}`);
  const url = new URL(api.config.databaseUrl!);
  url.username = role;
  url.password = password;
  const dataSource = createDataSource({ url: url.toString(), schema });
  await dataSource.initialize();
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', TRUSTED_DOCUMENTS: 'off', PORT: '0', DATABASE_URL: url.toString(), DATABASE_SCHEMA: schema, ...env });
  const server = await startServer(config, dataSource);
  return {
    role,
    server,
    dataSource,
    close: async () => {
      await server.close().catch(() => undefined);
      await dataSource.destroy().catch(() => undefined);
      await api.sql(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
      await api.sql(`DROP OWNED BY ${role}`);
      await api.sql(`DROP ROLE ${role}`);
    },
  };
}

/** A throwaway PostgreSQL (its own cluster) that the test may stop and start. */
export interface ThrowawayPostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  exit(): Promise<void>;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const options = {
    dir: path.join(projectRoot(), '.data', 'fault-pg', `${process.pid}-${Date.now()}`),
    port: await freePort(),
    password: 'throwaway-test-only',
    settings: { fsync: 'off' },
  };
  let cluster = await startEmbeddedPostgres(options);
  const { url, dir } = cluster;
  return {
    url,
    stop: () => cluster.stop(),
    start: async () => {
      cluster = await startEmbeddedPostgres(options);
    },
    exit: async () => {
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The load and the checks

export interface Step {
  name: string;
  viewer: Viewer;
  token: string;
  query: string;
  variables?: Record<string, unknown>;
  /** For mutations: the note text to look for afterwards. */
  note?: string;
}

export interface Outcome {
  step: Step;
  answer: Answer;
}

/** The oracle for these tests: the demo patients as the leak test sees them (adds clin-oracle to the database). */
export async function faultOracle(api: TestApi): Promise<LeakOracle> {
  await api.database.dataSource.transaction((manager) => insertGeneratedPatients(manager, 0));
  return buildLeakOracle({
    sql: api.sql,
    gql: (token, query, variables) => api.gql({ token }, query, variables),
    patientToken: (n) => api.token(n),
    clinicianToken: () => api.token('clin-dekker', { claims: { sub: ORACLE_CLINICIAN } }),
  });
}

const viewer = (column: Viewer['column'], subject: string, organisation?: string): Viewer => ({ column, subject, organisation, lifetimeSeconds: 900 });

/** A mixed workload: clinicians, GP, patient, representative, privacy officer; reads and a write. */
export async function mixedSteps(api: TestApi): Promise<(i: number) => Promise<Step>> {
  const p1 = await api.patientId('P-0001');
  const p3 = await api.patientId('P-0003');
  const tokens = {
    dekker: await api.token('clin-dekker', { ttl: '1h' }),
    jansen: await api.token('gp-jansen', { ttl: '1h' }),
    p1: await api.token('P-0001', { ttl: '1h' }),
    p3: await api.token('P-0003', { ttl: '1h' }),
    rep: await api.token('rep-smit', { ttl: '1h' }),
    dpo: await api.token('dpo-01', { ttl: '1h' }),
  };
  const steps: Array<(i: number) => Step> = [
    () => ({ name: 'clinician record', viewer: viewer('CLIN_TREATMENT', 'clin-dekker', 'LUMC'), token: tokens.dekker, query: 'query($id: ID!) { patient(id: $id) { name { family } bsn labResults { value display } diagnoses { display } documents { title body } familyHistory { relativeName } } }', variables: { id: p1 } }),
    () => ({ name: 'gp portal', viewer: viewer('GP', 'gp-jansen', 'HUISARTS-JANSEN'), token: tokens.jansen, query: 'query($id: ID!) { patient(id: $id) { name { family } labResults { value display } ecgs { interpretation } imagingReports { conclusion } } }', variables: { id: p1 } }),
    () => ({ name: 'own record', viewer: { ...viewer('PATIENT', 'P-0003'), boundPatientNumber: 'P-0003' }, token: tokens.p3, query: '{ myRecord { name { given family } portalNotes { text } medications { name } } }' }),
    () => ({ name: 'representative', viewer: viewer('REP', 'rep-smit'), token: tokens.rep, query: 'query($id: ID!) { patient(id: $id) { name { family } familyHistory { condition } } accessLog(patientId: $id, first: 5) { nodes { id action } } }', variables: { id: p3 } }),
    () => ({ name: 'privacy officer list', viewer: viewer('PRIVACY', 'dpo-01', 'LUMC'), token: tokens.dpo, query: '{ patients(first: 10) { nodes { id patientNumber name { family } consents { channel } } } }' }),
    (i) => {
      const note = `fault-test note ${process.pid}-${i}-${Math.random().toString(36).slice(2)}`;
      return { name: 'write a note', viewer: { ...viewer('PATIENT', 'P-0001'), boundPatientNumber: 'P-0001' }, token: tokens.p1, query: 'mutation($t: String!) { addPortalNote(text: $t) { id text } }', variables: { t: note }, note };
    },
    () => ({ name: 'who am I', viewer: viewer('GP', 'gp-jansen', 'HUISARTS-JANSEN'), token: tokens.jansen, query: '{ me { subject role } }' }),
  ];
  return async (i) => steps[i % steps.length](i);
}

/** Runs `concurrency` clients, each sending steps one after another, until `until()` says stop. */
export async function runLoad(url: string, next: (i: number) => Promise<Step>, concurrency: number, until: () => boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let counter = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (!until()) {
      const step = await next(counter++);
      outcomes.push({ step, answer: await post(url, step.token, step.query, step.variables) });
    }
  }));
  return outcomes;
}

export interface Verdict {
  ok: number;
  failed: number;
  withPatientData: number;
  problems: string[];
}

/**
 * The invariants under any fault: a clean status (200, or 503 for a withheld response), no
 * internals, no error but the known safe ones, no leak, every patient in a response logged exactly
 * once for its request id, and a note stored if and only if its CREATE event was.
 */
export async function verify(outcomes: Outcome[], oracle: LeakOracle, sql: (text: string, params?: unknown[]) => Promise<any[]>): Promise<Verdict> {
  const verdict: Verdict = { ok: 0, failed: 0, withPatientData: 0, problems: [] };
  const problem = (o: Outcome, what: string) => verdict.problems.push(`${o.step.name}: ${what} — HTTP ${o.answer.status} ${o.answer.text.slice(0, 300)}`);
  for (const o of outcomes) {
    const { answer } = o;
    if (answer.status !== 200 && answer.status !== 503) problem(o, 'unexpected status');
    // Record text may say "from" or "connection"; the errors (and anything that is not JSON) may not.
    if (INTERNALS.test(answer.body === undefined ? answer.text : JSON.stringify(answer.body.errors ?? []))) problem(o, 'internals in the response');
    const errors: any[] = answer.body?.errors ?? [];
    for (const e of errors) {
      if (e.extensions?.code === 'INTERNAL_SERVER_ERROR' && !SAFE_MESSAGES.has(e.message)) problem(o, `unexpected message ${e.message}`);
      if (!['INTERNAL_SERVER_ERROR'].includes(e.extensions?.code)) problem(o, `unexpected code ${e.extensions?.code}`);
    }
    if (answer.status === 200 && errors.length === 0) verdict.ok += 1;
    else verdict.failed += 1;
    if (answer.body === undefined) continue;
    const { leaks, touched } = oracle.judge(o.step.viewer, answer.body);
    if (leaks.length) problem(o, `leak of ${leaks.map((l) => l.value).join(', ')}`);
    if (touched.size > 0) {
      verdict.withPatientData += 1;
      const events = await sql('SELECT patient_id, count(*)::int AS n FROM access_event WHERE request_id = $1 GROUP BY patient_id', [answer.requestId]);
      const logged = new Map(events.map((e) => [e.patient_id, e.n]));
      for (const id of touched) if (logged.get(id) !== 1) problem(o, `patient ${id} in the response with ${logged.get(id) ?? 0} events`);
    }
    if (o.step.note) {
      const notes = await sql('SELECT id FROM portal_note WHERE text = $1', [o.step.note]);
      const events = answer.requestId ? await sql(`SELECT id FROM access_event WHERE request_id = $1 AND action = 'CREATE'`, [answer.requestId]) : [];
      if (notes.length !== events.length) problem(o, `note stored ${notes.length}×, its event ${events.length}×`);
      if (answer.status === 200 && answer.body?.data?.addPortalNote && notes.length !== 1) problem(o, 'a note reported stored is missing');
    }
  }
  return verdict;
}

/** Waits until `probe` holds `times` times in a row (within `timeoutMs`); the API recovers by itself. */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 20_000, times = 5): Promise<number> {
  const started = Date.now();
  let streak = 0;
  while (Date.now() - started < timeoutMs) {
    streak = (await probe()) ? streak + 1 : 0;
    if (streak >= times) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`did not recover within ${timeoutMs} ms`);
}
