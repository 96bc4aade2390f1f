/**
 * The benchmark's baseline, and the only place it exists: the API WITHOUT authorization and
 * access logging, to measure what the policy and the log cost. Started as a child process by
 * bench/run.ts, never by the API.
 *
 * It is the real server (src/server.ts: same HTTP handling, authentication, query limits,
 * headers, statement counter) with three substitutions made in this process only:
 *  - the schema: type-graphql's schema built from the same RESOLVERS behind the door (which hands
 *    resolvers their patient), without applyMiddleware (no graphql-shield);
 *  - the plugins: no access-log plugin (nothing is written per read; the request's transaction is
 *    returned);
 *  - the request's connection: as the connecting role, without row-level security;
 *  - the request context: an access decision that finds patients by key without a gate and
 *    releases and writes every category.
 * Mutations still write their own event inside their transaction (that is resolver code, e.g.
 * setConsent), so S5 compares like with like. bench/run.ts checks that the substitution took
 * effect (the baseline releases a field the policy withholds) before it measures anything.
 */
import 'reflect-metadata';
import { buildSchemaSync } from 'type-graphql';
import * as accessLogPluginModule from '../src/audit/access-log.plugin';
import { loadConfig } from '../src/config';
import * as contextModule from '../src/context';
import { openDatabase } from '../src/db/database';
import { readRows } from '../src/db/entity-rows';
import { sql } from '../src/db/sql';
import { describeError, log } from '../src/log';
import { AccessDecisions, PatientDecision } from '../src/policy/decisions';
import { DataSource, EntityManager } from 'typeorm';
import type { RequestContext } from '../src/context';
import * as rowSecurityModule from '../src/db/row-security';
import type { RequestConnection } from '../src/db/row-security';
import type { Principal } from '../src/auth/principal';
import type { AccessRecorder } from '../src/audit/recorder';
import type { GpAccessModel } from '../src/config';
import { notFound } from '../src/errors';
import { applyDoor } from '../src/policy/door';
import type { OwnedTable } from '../src/policy/operations';
import { DOCUMENT_CATEGORY, DataCategory, DocumentType } from '../src/policy/vocabulary';
import { Patient } from '../src/record/patient/patient.entity';
import * as schemaModule from '../src/schema';
import { startServer } from '../src/server';

/** Every patient admitted (found by its key alone, no gate), every category released and writable. */
class AllowEverything extends AccessDecisions {
  override readonly readable = new Set(Object.values(DataCategory));
  override readonly writable = new Set(Object.values(DataCategory));
  constructor(private readonly manager: EntityManager, principal: Principal, gpAccessModel: GpAccessModel, recorder: AccessRecorder) {
    super(manager, principal, gpAccessModel, recorder);
  }
  override async admitByKey(key: 'id' | 'patientNumber' | 'bsn', value: string): Promise<Patient> {
    const [patient] = await readRows(this.manager, Patient, { [key]: value });
    if (!patient) throw notFound();
    return patient;
  }
  override async admitByRow(table: OwnedTable, rowId: string, what: string): Promise<Patient> {
    const [row] = await this.manager.query(`SELECT patient_id FROM ${table} WHERE id = $1`, [rowId]) as Array<{ patient_id: string }>;
    const patient = row && (await readRows(this.manager, Patient, { id: row.patient_id }))[0];
    if (!patient) throw notFound(what);
    return patient;
  }
  override gate() {
    return sql`TRUE`;
  }
  override async gatePage(afterNumber: string, size: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.manager.query(
      'SELECT id FROM patient WHERE patient_number > $1 ORDER BY patient_number LIMIT $2', [afterNumber, size]);
    return rows.map((r) => r.id);
  }
  override async admitSelected(): Promise<void> {}
  override isAdmitted(): boolean {
    return true;
  }
  override decisionFor(patientId: string): PatientDecision {
    return { patientId, basis: 'unauthorised-baseline', breakGlassReason: null };
  }
  override allows(): boolean {
    return true;
  }
  override documentTypes(_patientId: string, requested?: DocumentType[] | null): DocumentType[] {
    return requested && requested.length > 0 ? [...new Set(requested)] : (Object.keys(DOCUMENT_CATEGORY) as DocumentType[]);
  }
}

const createPolicedContext = contextModule.createRequestContext;
// CommonJS exports are looked up when called, so server.ts picks these up; nothing else in the
// API can reach this file.
Object.assign(schemaModule, {
  buildPolicedSchema: () => applyDoor(buildSchemaSync({ resolvers: schemaModule.RESOLVERS, nullableByDefault: true, validate: false })),
});
// No access log: the plugin only returns the request's connection.
Object.assign(accessLogPluginModule, {
  accessLogPlugin: () => ({ requestDidStart: async () => ({ willSendResponse: ({ contextValue }: { contextValue: RequestContext }) => contextValue.finish() }) }),
});
// No row-level security: the request's connection runs as the connecting (owner) role, without a principal.
Object.assign(rowSecurityModule, {
  openRequestConnection: async (db: DataSource): Promise<RequestConnection> => {
    const runner = db.createQueryRunner();
    await runner.connect();
    return { manager: runner.manager, openForBreakGlass: async () => undefined, release: () => runner.release() };
  },
});
Object.assign(contextModule, {
  createRequestContext: (...args: Parameters<typeof createPolicedContext>) => {
    const ctx = createPolicedContext(...args);
    const [, , config, , principal] = args;
    return { ...ctx, access: new AllowEverything(ctx.db, principal, config.gpAccessModel, ctx.recorder) };
  },
});

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config, { seed: false });
  const server = await startServer(config, database.dataSource);
  log.info('UNAUTHORISED benchmark baseline listening', { url: server.url });
  const stop = async () => {
    await server.close().catch(() => undefined);
    await database.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  log.error('baseline start-up failed', describeError(error));
  process.exit(1);
});
