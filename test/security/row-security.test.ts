/**
 * The database as the second lock (src/db/row-security.ts). Deliberately gate-less SQL, run
 * through a request's own connection (the transaction the server opens for every request, as the
 * API role with the principal set), returns only rows inside the gate — for `patient` and for
 * every table that references it — and writes outside the gate are refused by PostgreSQL itself.
 * The expectation is the API's own gate predicate (policy/gates.ts), run as the owner.
 */
import type { Principal } from '../../src/auth/principal';
import { DEMO_PRINCIPALS } from '../../src/db/demo/directory';
import { openRequestConnection } from '../../src/db/row-security';
import { gateCondition } from '../../src/policy/gates';
import { COLUMNS, Column } from '../../src/policy/vocabulary';
import { TestApi, startTestApi } from '../support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

function principal(subject: string, column: Column, bound?: string): Principal {
  const now = new Date();
  return {
    subject, column, role: COLUMNS[column].role, purpose: COLUMNS[column].purpose,
    organisation: DEMO_PRINCIPALS.find((p) => p.subject === subject)?.organisation ?? undefined,
    boundPatientNumber: column === 'PATIENT' ? subject : bound, tokenId: `rls-${subject}`, issuedAt: now, expiresAt: new Date(now.getTime() + 900_000),
  };
}

const CASES: Array<[string, Principal]> = [
  ['clin-dekker (care relationships)', principal('clin-dekker', 'CLIN_TREATMENT')],
  ['clin-visser for EMERGENCY (no session)', principal('clin-visser', 'CLIN_EMERGENCY')],
  ['gp-jansen', principal('gp-jansen', 'GP')],
  ['admin-mulder', principal('admin-mulder', 'ADMIN')],
  ['ins-beta', principal('ins-beta', 'INSURER')],
  ['lab-trix-01', principal('lab-trix-01', 'LAB')],
  ['P-0002', principal('P-0002', 'PATIENT')],
  ['rep-smit', principal('rep-smit', 'REP')],
  ['res-study-01', principal('res-study-01', 'RESEARCHER')],
  ['dpo-01', principal('dpo-01', 'PRIVACY')],
  ['dpo-01 bound to P-0004', principal('dpo-01', 'PRIVACY', 'P-0004')],
  ['duty-hap-01 bound to P-0001', principal('duty-hap-01', 'DUTY', 'P-0001')],
  ['duty-hap-01 unbound', principal('duty-hap-01', 'DUTY')],
  ['gp-portal-svc', principal('gp-portal-svc', 'GP_PORTAL')],
];

async function insideTheGate(p: Principal): Promise<string[]> {
  const { text, params } = gateCondition({ principal: p, gpAccessModel: api.config.gpAccessModel }).build();
  return (await api.sql(`SELECT p.id FROM patient p WHERE ${text} ORDER BY p.id`, params)).map((r) => r.id);
}

async function patientTables(): Promise<string[]> {
  return (await api.sql(`SELECT DISTINCT conrelid::regclass::text AS t FROM pg_constraint WHERE contype = 'f' AND confrelid = 'patient'::regclass`))
    .map((r) => r.t.replace(/^.*\./, '')).sort();
}

test.each(CASES)('%s: SELECT without a gate sees only the patients inside it, in every patient table', async (_name, p) => {
  const expected = await insideTheGate(p);
  const tables = await patientTables();
  expect(tables.length).toBeGreaterThan(15);
  const tx = await openRequestConnection(api.database.dataSource, api.config.databaseApiRole, p, api.config.gpAccessModel);
  const seenEverywhere = async () => {
    const seen = (await tx.manager.query('SELECT id FROM patient ORDER BY id')).map((r: { id: string }) => r.id);
    expect(seen).toEqual(expected);
    for (const table of tables) {
      const owners = (await tx.manager.query(`SELECT DISTINCT patient_id FROM ${table}`)).map((r: { patient_id: string }) => r.patient_id);
      expect({ table, outside: owners.filter((id: string) => !expected.includes(id)) }).toEqual({ table, outside: [] });
    }
  };
  try {
    await seenEverywhere();
    // The patients list decides the same gate and remembers its page as admitted; that widens nothing.
    const page = (await tx.manager.query(`SELECT listed_id FROM record_gate_page('', 10000) ORDER BY listed_position`)).map((r: { listed_id: string }) => r.listed_id);
    expect([...page].sort()).toEqual(expected);
    await seenEverywhere();
  } finally {
    await tx.release();
  }
});

test('decisions remembered on a connection are forgotten with the request, and cannot be carried into another principal', async () => {
  const p2 = await api.patientId('P-0002');
  const first = await openRequestConnection(api.database.dataSource, api.config.databaseApiRole, principal('P-0002', 'PATIENT'), api.config.gpAccessModel);
  try {
    expect(await first.manager.query('SELECT id FROM patient')).toEqual([{ id: p2 }]);
  } finally {
    await first.release();
  }
  // Every connection of the pool, as the next request (P-0003) gets it: P-0002 is not admitted there.
  const others = await Promise.all(Array.from({ length: 3 }, () =>
    openRequestConnection(api.database.dataSource, api.config.databaseApiRole, principal('P-0003', 'PATIENT'), api.config.gpAccessModel)));
  try {
    for (const tx of others) {
      expect(await tx.manager.query('SELECT id FROM patient WHERE id = $1', [p2])).toEqual([]);
      expect(await tx.manager.query('SELECT id FROM lab_result WHERE patient_id = $1', [p2])).toEqual([]);
    }
  } finally {
    await Promise.all(others.map((tx) => tx.release()));
  }
});

test('the request role is neither the owner nor a superuser, and cannot switch row security off', async () => {
  const tx = await openRequestConnection(api.database.dataSource, api.config.databaseApiRole, principal('P-0002', 'PATIENT'), api.config.gpAccessModel);
  try {
    const [me] = await tx.manager.query(`SELECT current_user AS role, r.rolsuper, r.rolbypassrls,
      (SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tableowner = current_user)::int AS owned
      FROM pg_roles r WHERE r.rolname = current_user`);
    expect(me).toEqual({ role: api.config.databaseApiRole, rolsuper: false, rolbypassrls: false, owned: 0 });
    await expect(tx.manager.query('ALTER TABLE patient DISABLE ROW LEVEL SECURITY')).rejects.toThrow(/owner|permission/);
  } finally {
    await tx.release();
  }
});

test('writes outside the gate are refused by the database: another patient\'s row is neither updated nor added to', async () => {
  const p1 = await api.patientId('P-0001');
  const tx = await openRequestConnection(api.database.dataSource, api.config.databaseApiRole, principal('P-0002', 'PATIENT'), api.config.gpAccessModel);
  try {
    const updated = await tx.manager.query(`UPDATE patient SET phone = '+31 6 0000 0000' WHERE id = $1`, [p1]);
    expect(updated[1]).toBe(0);
    await expect(tx.manager.query(`INSERT INTO portal_note (patient_id, text) VALUES ($1, 'not mine')`, [p1])).rejects.toThrow(/row-level security/);
  } finally {
    await tx.release();
  }
  expect((await api.sql('SELECT phone FROM patient WHERE id = $1', [p1]))[0].phone).not.toBe('+31 6 0000 0000');
});

test('the principal lives for one transaction: the pooled connection keeps nothing after a request', async () => {
  const res = await api.gql('P-0001', '{ myRecord { patientNumber } }');
  expect(res.body.data.myRecord.patientNumber).toBe('P-0001');
  const client = await (api.database.dataSource.driver as unknown as { master: { connect(): Promise<{ query(q: string): Promise<{ rows: unknown[] }>; release(): void }> } }).master.connect();
  try {
    const { rows } = await client.query(`SELECT current_user AS role, coalesce(current_setting('record.subject', true), '') AS subject, coalesce(current_setting('record.column', true), '') AS column,
      coalesce(current_setting('record.admitted', true), '') AS admitted`);
    expect(rows[0]).toMatchObject({ subject: '', column: '', admitted: '' });
    expect((rows[0] as { role: string }).role).not.toBe(api.config.databaseApiRole);
  } finally {
    client.release();
  }
});
