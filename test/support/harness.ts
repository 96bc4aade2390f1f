/**
 * The one test harness: a fresh schema of the test database per test file, migrated and seeded
 * exactly as `npm start` does, the real HTTP server on a free port, and a client that sends real
 * signed tokens. Nothing is mocked.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { mintDevToken, MintOptions } from '../../src/auth/mint';
import { Config, loadConfig } from '../../src/config';
import { openDatabase, OpenDatabase } from '../../src/db/database';
import { ApiServer, startServer } from '../../src/server';

export interface GqlResponse<T = any> {
  status: number;
  body: { data?: T; errors?: Array<{ message: string; path?: (string | number)[]; extensions?: { code?: string } }> };
  text: string;
  headers: Headers;
}

export interface TestApi {
  config: Config;
  database: OpenDatabase;
  server: ApiServer;
  /** A development token for a demo principal, minted exactly as `npm run token` does. */
  token(subject: string, options?: Omit<MintOptions, 'subject'>): Promise<string>;
  /** POSTs a GraphQL request with the given bearer token (or as a demo subject). */
  gql<T = any>(as: { token: string } | string, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>>;
  /** Raw SQL as the database owner (for arranging states and reading the log). */
  sql<R = any>(text: string, params?: unknown[]): Promise<R[]>;
  /** The id of a demo patient. */
  patientId(patientNumber: string): Promise<string>;
  /** A second server on the same database with other settings (e.g. GP_ACCESS_MODEL). */
  startAnother(env: Record<string, string>): Promise<ApiServer & { gql: TestApi['gql'] }>;
  close(): Promise<void>;
}

/**
 * The policy tests send any document as any principal on purpose (the door and the field rules
 * must hold whatever is asked), so outside production they run with TRUSTED_DOCUMENTS=off unless
 * a test sets it; test/security/trusted-documents.test.ts tests the allow-list itself.
 */
function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is not set: the jest global setup provides it');
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', PORT: '0', DATABASE_SCHEMA: `jest_${process.pid}`, ...extra };
  if (env.NODE_ENV !== 'production' && env.TRUSTED_DOCUMENTS === undefined) env.TRUSTED_DOCUMENTS = 'off';
  return env;
}

function clientFor(url: string, token: TestApi['token']): TestApi['gql'] {
  return async (as, query, variables) => {
    const bearer = typeof as === 'string' ? await token(as) : as.token;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), text, headers: res.headers };
  };
}

/** Starts a fresh database schema and server for one test file. */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  // Each test file's schema starts empty, and so does the directory its checkpoints are published to.
  const checkpointDir = env.ACCESS_LOG_CHECKPOINT_DIR ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'access-log-'));
  if (checkpointDir) env = { ...env, ACCESS_LOG_CHECKPOINT_DIR: checkpointDir };
  const config = loadConfig(testEnv(env));
  const admin = new Client({ connectionString: config.databaseUrl });
  // A server shutting down at the end of the run must not crash jest through this idle client.
  admin.on('error', () => undefined);
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`);
  await admin.query(`SET search_path TO ${config.databaseSchema}`).catch(() => undefined);
  const database = await openDatabase(config);
  await admin.query(`SET search_path TO ${config.databaseSchema}`);
  const server = await startServer(config, database.dataSource);
  const others: ApiServer[] = [];
  const token: TestApi['token'] = (subject, options = {}) => mintDevToken(config, { subject, ...options });
  const api: TestApi = {
    config,
    database,
    server,
    token,
    gql: clientFor(server.url, token),
    sql: async (text, params) => (await admin.query(text, params as unknown[])).rows,
    patientId: async (patientNumber) => (await admin.query('SELECT id FROM patient WHERE patient_number = $1', [patientNumber])).rows[0].id,
    startAnother: async (extra) => {
      const other = await startServer(loadConfig(testEnv({ ...env, ...extra })), database.dataSource);
      others.push(other);
      return { ...other, gql: clientFor(other.url, token) };
    },
    close: async () => {
      for (const o of others) await o.close();
      await server.close();
      await database.close();
      await admin.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`).catch(() => undefined);
      await admin.end();
      if (checkpointDir) fs.rmSync(checkpointDir, { recursive: true, force: true });
    },
  };
  return api;
}

/** The error codes of a response, by path (e.g. "patient.diagnoses" → "FORBIDDEN"). */
export function errorCodes(res: GqlResponse): Record<string, string> {
  return Object.fromEntries((res.body.errors ?? []).map((e) => [(e.path ?? []).join('.'), String(e.extensions?.code)]));
}
