/**
 * The database as the second lock: PostgreSQL row-level security generated from the same gates
 * (policy/gates.ts) that the API applies, on `patient` and every table that references it.
 *
 * - Every request runs on one connection as the API role (`SET ROLE`, DATABASE_API_ROLE): not the
 *   owner, not a superuser, no BYPASSRLS. Its principal is set on that connection for the request
 *   alone and reset when it is returned (a connection that cannot be reset is destroyed).
 * - `record_gate(patient_id)` is the gate of the principal's matrix column (one small function
 *   per column, `record_gate_<column>`), rendered from gates.ts with the principal's values read
 *   from those settings; each table's policy for the
 *   API role is `record_gate(patient_id)` (`record_gate(id)` on `patient`). FORCE ROW LEVEL
 *   SECURITY applies it to the owner as well, whose own policy lets migrations, seeding and
 *   retention work.
 * - `record_locate` and `record_row_owner` say only which patient a key or a row belongs to (no
 *   content), so the API can log a refused attempt against the patient it concerned.
 *
 * Installed (idempotently) on every start, after the migrations, by the owner.
 */
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { GpAccessModel } from '../config';
import { GATES, bindingCondition } from '../policy/gates';
import { ALL_COLUMNS } from '../policy/vocabulary';
import { Sql } from './sql';

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const SETTING = { subject: 'record.subject', organisation: 'record.organisation', bound: 'record.bound' } as const;
const MARK = { subject: '\u0001subject', organisation: '\u0001organisation', bound: '\u0001bound' } as const;
/**
 * Longest per-request list of decided patients (about 1,000 ids); beyond it each further patient
 * is decided afresh on every row, which is slower but still correct.
 */
const DECIDED_CHARS = 37_000;
/** Serialises installs across every schema of the cluster (the API role is cluster-wide). */
const INSTALL_LOCK = 751302;

/** A principal whose values are markers, so the rendered gate reads them from the settings. */
function markedPrincipal(column: Principal['column']): Principal {
  const now = new Date();
  return {
    subject: MARK.subject, organisation: MARK.organisation, boundPatientNumber: MARK.bound, column,
    role: 'PATIENT' as Principal['role'], purpose: 'PERSONAL_ACCESS' as Principal['purpose'],
    tokenId: 'row-security', issuedAt: now, expiresAt: new Date(now.getTime() + 3_600_000),
  };
}

const setting = (value: unknown) => {
  const entry = Object.entries(MARK).find(([, mark]) => mark === value);
  return entry ? `current_setting('${SETTING[entry[0] as keyof typeof SETTING]}', true)` : undefined;
};

/** The gate of one column in SQL over `p`, with the principal read from the settings. */
function columnGate(column: Principal['column'], gpAccessModel: GpAccessModel): string {
  return GATES[column].condition({ principal: markedPrincipal(column), gpAccessModel }).inline(setting);
}

/** The binding: a token bound to a patient reaches that patient only. */
function bindingSql(): string {
  return `(coalesce(current_setting('record.bound', true), '') = '' OR (${bindingCondition(markedPrincipal('PATIENT')).inline(setting)}))`;
}

/** One column's gate over the patient row `p`, both GP access models where they differ. */
function modelGate(column: Principal['column']): string {
  const optIn = columnGate(column, 'opt-in');
  const optOut = columnGate(column, 'opt-out');
  return optIn === optOut ? optIn : `CASE current_setting('record.gp_access_model', true) WHEN 'opt-out' THEN (${optOut}) ELSE (${optIn}) END`;
}

/** The row-level condition: the gate, and break-the-glass opening the gate it needs for the request that opens a session. */
function columnCondition(column: Principal['column']): string {
  const condition = modelGate(column);
  return column === 'CLIN_EMERGENCY' ? `(${condition}) OR current_setting('record.admission', true) = 'break-glass'` : condition;
}

/** The patients list of one column: the API's gate (binding and column gate), one page by patient number. */
function pageQuery(column: Principal['column']): string {
  return `SELECT p.id FROM patient p WHERE ${bindingSql()} AND (${modelGate(column)})
    AND p.patient_number > after_number ORDER BY p.patient_number LIMIT page_size`;
}

/** The per-column gate functions: small, so PostgreSQL plans and runs each cheaply. */
export function columnGateFunctions(): Array<{ name: string; column: Principal['column']; body: string }> {
  return ALL_COLUMNS.map((column) => ({
    name: `record_gate_${column.toLowerCase()}`,
    column,
    body: `SELECT EXISTS (SELECT 1 FROM patient p WHERE p.id = patient_id AND ${bindingSql()} AND (${columnCondition(column)}))`,
  }));
}

/** A row's policy: its patient already admitted in this request (one array comparison), or the gate decides. */
const admittedOr = (key: string) => `${key} = ANY ((SELECT record_admitted())::uuid[]) OR record_gate(${key})`;

/** The tables whose rows belong to a patient: `patient` and every table with a foreign key to it. */
async function patientTables(db: DataSource, schema: string): Promise<Array<{ table: string; key: string }>> {
  const rows: Array<{ table: string; key: string }> = await db.query(
    `SELECT DISTINCT c.conrelid::regclass::text AS table, a.attname AS key
       FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.contype = 'f' AND c.confrelid = $1::regclass AND array_length(c.conkey, 1) = 1`,
    [`${schema}.patient`],
  );
  return [{ table: 'patient', key: 'id' }, ...rows.map((r) => ({ table: r.table.replace(/^.*\./, ''), key: r.key }))];
}

/** Creates the API role if needed, grants it the schema, and (re)generates functions and policies. */
export async function installRowSecurity(db: DataSource, options: { schema?: string; role: string }): Promise<void> {
  const { role } = options;
  if (!ROLE_NAME.test(role)) throw new Error(`DATABASE_API_ROLE is not a plain role name: ${role}`);
  const runner = db.createQueryRunner();
  await runner.connect();
  try {
    const [{ schema, owner, superuser }] = await runner.query(
      `SELECT current_schema() AS schema, current_user AS owner, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`);
    if (options.schema && options.schema !== schema) throw new Error(`search_path does not start with ${options.schema}`);
    if (owner === role) throw new Error('DATABASE_API_ROLE must not be the role that owns the schema');
    const [{ owns }] = await runner.query(`SELECT pg_get_userbyid(relowner) = current_user AS owns FROM pg_class WHERE oid = 'patient'::regclass`);
    if (!owns && !superuser) {
      // A deployment whose API logs in as its own role: the owner installed row security; check it is there.
      const [{ policies, member }] = await runner.query(
        `SELECT (SELECT count(*) FROM pg_policies WHERE schemaname = current_schema() AND tablename = 'patient' AND policyname = 'record_gate')::int AS policies,
                pg_has_role(current_user, $1, 'MEMBER') AS member`, [role]);
      if (policies !== 1 || !member) throw new Error(`row-level security is not installed, or ${owner} is not a member of DATABASE_API_ROLE ${role}: start once as the schema owner`);
      return;
    }
    await runner.query('SELECT pg_advisory_lock($1)', [INSTALL_LOCK]);
    try {
      await runner.startTransaction();
      const [exists] = await runner.query('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1', [role]);
      if (!exists) await runner.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
      else if (exists.rolsuper || exists.rolbypassrls) throw new Error(`DATABASE_API_ROLE ${role} bypasses row-level security (superuser or BYPASSRLS)`);
      if (!superuser) await runner.query(`GRANT ${role} TO CURRENT_USER`);
      await runner.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
      await runner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${schema} TO ${role}`);
      await runner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`);
      const definer = `LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = ${schema}, pg_temp`;
      // Decided once per patient and request, as the API decides it (policy/decisions.ts): the answer is
      // kept in a setting of the request's connection, which is reset when the request returns it.
      const columns = columnGateFunctions();
      for (const fn of columns) {
        await runner.query(`CREATE OR REPLACE FUNCTION ${fn.name}(patient_id uuid) RETURNS boolean ${definer} AS $fn$
          BEGIN RETURN (${fn.body}); END $fn$`);
      }
      const dispatch = columns.map((fn) => `WHEN '${fn.column}' THEN ${fn.name}(patient_id)`).join(' ');
      // Patients decided in this request: admitted ones in record.admitted (read once per statement by
      // record_admitted, so their rows cost an array comparison), refused ones in record.refused.
      await runner.query(`CREATE OR REPLACE FUNCTION record_gate(patient_id uuid) RETURNS boolean ${definer} AS $fn$
        DECLARE
          admitted text := coalesce(current_setting('record.admitted', true), '');
          refused text := coalesce(current_setting('record.refused', true), '');
          key text := patient_id::text;
          result boolean;
        BEGIN
          IF position(key IN admitted) > 0 THEN RETURN TRUE; END IF;
          IF position(key IN refused) > 0 THEN RETURN FALSE; END IF;
          result := CASE current_setting('record.column', true) ${dispatch} ELSE FALSE END;
          IF result AND length(admitted) < ${DECIDED_CHARS} THEN
            PERFORM set_config('record.admitted', CASE WHEN admitted = '' THEN key ELSE admitted || ',' || key END, false);
          ELSIF NOT result AND length(refused) < ${DECIDED_CHARS} THEN
            PERFORM set_config('record.refused', refused || key || ' ', false);
          END IF;
          RETURN result;
        END $fn$`);
      await runner.query(`CREATE OR REPLACE FUNCTION record_admitted() RETURNS uuid[] LANGUAGE sql STABLE AS $fn$
        SELECT string_to_array(nullif(current_setting('record.admitted', true), ''), ',')::uuid[] $fn$`);
      // The patients list: decided here as the owner, in one statement, and remembered as admitted.
      const pages = columns.map((fn) => `WHEN '${fn.column}' THEN ids := ARRAY(${pageQuery(fn.column)});`).join(' ');
      await runner.query(`CREATE OR REPLACE FUNCTION record_gate_page(after_number text, page_size int) RETURNS TABLE (listed_id uuid, listed_position int) ${definer} AS $fn$
        DECLARE
          ids uuid[] := '{}';
          admitted text := coalesce(current_setting('record.admitted', true), '');
        BEGIN
          CASE current_setting('record.column', true) ${pages} ELSE NULL; END CASE;
          IF cardinality(ids) > 0 AND length(admitted) < ${DECIDED_CHARS} THEN
            PERFORM set_config('record.admitted', concat_ws(',', nullif(admitted, ''), array_to_string(ids, ',')), false);
          END IF;
          RETURN QUERY SELECT u.id, u.position::int FROM unnest(ids) WITH ORDINALITY AS u(id, position);
        END $fn$`);
      // A patient to decide the gate for when a key names nobody, so that a missing patient costs what one outside the gate does.
      await runner.query(`CREATE OR REPLACE FUNCTION record_decoy() RETURNS uuid ${definer} AS $fn$
        BEGIN RETURN (SELECT p.id FROM patient p ORDER BY p.id LIMIT 1); END $fn$`);
      await runner.query(`CREATE OR REPLACE FUNCTION record_locate(key text, value text) RETURNS uuid ${definer} AS $fn$
        BEGIN RETURN CASE key
          WHEN 'id' THEN (SELECT p.id FROM patient p WHERE p.id = value::uuid)
          WHEN 'patientNumber' THEN (SELECT p.id FROM patient p WHERE p.patient_number = value)
          WHEN 'bsn' THEN (SELECT p.id FROM patient p WHERE p.bsn = value) END; END $fn$`);
      const tables = await patientTables(db, schema);
      const owned = tables.filter((t) => t.table !== 'patient').map((t) => `WHEN '${t.table}' THEN (SELECT r.${t.key} FROM ${t.table} r WHERE r.id = row_id)`);
      await runner.query(`CREATE OR REPLACE FUNCTION record_row_owner(row_table text, row_id uuid) RETURNS uuid ${definer} AS $fn$
        BEGIN RETURN CASE row_table ${owned.join(' ')} END; END $fn$`);
      for (const fn of ['record_gate(uuid)', 'record_admitted()', 'record_gate_page(text, int)', 'record_locate(text, text)', 'record_row_owner(text, uuid)', 'record_decoy()', ...columns.map((c) => `${c.name}(uuid)`)]) {
        await runner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
        await runner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${role}`);
      }
      for (const { table, key } of tables) {
        await runner.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
        await runner.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
        await runner.query(`DROP POLICY IF EXISTS record_gate ON ${table}`);
        await runner.query(`DROP POLICY IF EXISTS record_owner ON ${table}`);
        await runner.query(`CREATE POLICY record_gate ON ${table} TO ${role} USING (${admittedOr(key)}) WITH CHECK (${admittedOr(key)})`);
        await runner.query(`CREATE POLICY record_owner ON ${table} TO ${owner} USING (TRUE) WITH CHECK (TRUE)`);
      }
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [INSTALL_LOCK]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

/** The settings of one request's principal, as record_gate reads them. */
function principalSettings(principal: Principal, gpAccessModel: GpAccessModel): Record<string, string> {
  // A column whose gate cannot hold for this token (e.g. a duty doctor's token without binding) reaches nothing.
  const reachable = GATES[principal.column].condition({ principal, gpAccessModel }).inline() !== 'FALSE';
  return {
    'record.column': reachable ? principal.column : 'NONE',
    [SETTING.subject]: principal.subject,
    [SETTING.organisation]: principal.organisation ?? '',
    [SETTING.bound]: principal.boundPatientNumber ?? '',
    'record.gp_access_model': gpAccessModel,
    'record.admission': '',
    'record.admitted': '',
    'record.refused': '',
  };
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** One request's connection: held for the request, as the API role, with its principal set. */
export interface RequestConnection {
  manager: EntityManager;
  /** Lets the request that opens a break-the-glass session see that patient (the binding still applies). */
  openForBreakGlass(): Promise<void>;
  /** Resets the connection and returns it to the pool (idempotent); a connection that cannot be reset is discarded. */
  release(): Promise<void>;
}

/**
 * Takes a connection for one request: `SET ROLE` to the API role and the principal's settings, in
 * one round trip. They are session settings rather than one transaction's, so that a statement
 * that fails (a timeout, say) fails alone and the rest of the response still arrives; writes keep
 * their own transactions. On release both are reset; a connection whose reset fails is destroyed,
 * never reused. The request's statements are serialised on the connection (one at a time, in
 * order), as PostgreSQL runs them anyway.
 */
export async function openRequestConnection(db: DataSource, role: string, principal: Principal, gpAccessModel: GpAccessModel): Promise<RequestConnection> {
  const runner = db.createQueryRunner() as QueryRunner & { releasePostgresConnection(err?: Error): Promise<void> };
  const query = runner.query.bind(runner);
  let queue: Promise<unknown> = Promise.resolve();
  runner.query = ((...args: Parameters<QueryRunner['query']>) => {
    const next = queue.then(() => query(...args));
    queue = next.catch(() => undefined);
    return next;
  }) as QueryRunner['query'];
  const settings = Object.entries(principalSettings(principal, gpAccessModel)).map(([k, v]) => `set_config(${quote(k)}, ${quote(v)}, false)`);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    try {
      await query('RESET ROLE; RESET ALL');
      await runner.release();
    } catch (error) {
      await runner.releasePostgresConnection(error instanceof Error ? error : new Error(String(error)));
    }
  };
  try {
    await runner.connect();
    await query(`SET ROLE ${role}; SELECT ${settings.join(', ')}`);
  } catch (error) {
    await release();
    throw error;
  }
  return {
    manager: runner.manager,
    openForBreakGlass: async () => {
      await runner.query(`SELECT set_config('record.admission', 'break-glass', false)`);
    },
    release,
  };
}

/** `Sql` of the owning patient of a key, via record_locate (for the door's one-statement lookup). */
export function locate(key: 'id' | 'patientNumber' | 'bsn', value: string): Sql {
  return new Sql(['record_locate(', ', ', ')'], [key, value]);
}

/** `Sql` of the owning patient of a row, via record_row_owner. */
export function rowOwner(table: string, rowId: string): Sql {
  return new Sql(['record_row_owner(', ', ', '::uuid)'], [table, rowId]);
}
