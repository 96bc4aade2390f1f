/** The demo seed against a real PostgreSQL: complete, valid, and the same every time. */
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, migrate } from '../../src/db/data-source';
import { isDatabaseEmpty, seedDemo } from '../../src/db/demo/seed';
import { DocumentType } from '../../src/policy/vocabulary';
import { isValidBsn } from '../../src/record/patient/bsn';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const worker = process.env.JEST_WORKER_ID ?? '1';
const schemas = [`seedtest_${worker}`, `seedtest_${worker}_b`];
const now = new Date();

async function onAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function freshSeededSchema(schema: string): Promise<DataSource> {
  await onAdmin(async (c) => {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.query(`CREATE SCHEMA ${schema}`);
  });
  const dataSource = createDataSource({ url, schema, poolSize: 2 });
  await dataSource.initialize();
  await migrate(dataSource);
  expect(await isDatabaseEmpty(dataSource.manager)).toBe(true);
  await dataSource.transaction((manager) => seedDemo(manager, now));
  return dataSource;
}

/** Every table of the record as JSON text, rows ordered by primary key. */
async function dump(dataSource: DataSource): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const { tableName, primaryColumns } of dataSource.entityMetadatas) {
    const key = primaryColumns.map((c) => `t."${c.databaseName}"`).join(', ');
    const [row] = await dataSource.query(
      `SELECT coalesce(json_agg(t ORDER BY ${key}), '[]'::json)::text AS rows FROM "${tableName}" t`,
    );
    out[tableName] = row.rows;
  }
  return out;
}

let first: DataSource;
let second: DataSource;

beforeAll(async () => {
  first = await freshSeededSchema(schemas[0]);
  second = await freshSeededSchema(schemas[1]);
}, 60_000);

afterAll(async () => {
  await first?.destroy();
  await second?.destroy();
  await onAdmin(async (c) => {
    for (const schema of schemas) await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  });
});

const patientId = async (number: string): Promise<string> =>
  (await first.query(`SELECT id FROM patient WHERE patient_number = $1`, [number]))[0].id;

test('seeds four patients with valid BSNs and no access events', async () => {
  const rows: Array<{ patient_number: string; bsn: string }> = await first.query(
    `SELECT patient_number, bsn FROM patient ORDER BY patient_number`,
  );
  expect(rows.map((r) => r.patient_number)).toEqual(['P-0001', 'P-0002', 'P-0003', 'P-0004']);
  for (const r of rows) expect(isValidBsn(r.bsn)).toBe(true);
  expect(await isDatabaseEmpty(first.manager)).toBe(false);
  expect(Number((await first.query(`SELECT count(*) AS n FROM access_event`))[0].n)).toBe(0);
});

test('P-0001 has rows in every category table and one document of each type', async () => {
  const id = await patientId('P-0001');
  const tables = [
    'related_person', 'care_relationship', 'gp_registration', 'insurance', 'encounter', 'diagnosis', 'allergy',
    'medication', 'lab_result', 'ecg', 'imaging_report', 'clinical_document', 'family_history_entry',
    'special_category_data', 'transfusion_record', 'financial_code', 'medical_photo', 'portal_note', 'consent',
  ];
  for (const table of tables) {
    const [{ n }] = await first.query(`SELECT count(*)::int AS n FROM "${table}" WHERE patient_id = $1`, [id]);
    expect({ table, hasRows: n > 0 }).toEqual({ table, hasRows: true });
  }
  const specimens = await first.query(`SELECT DISTINCT specimen FROM lab_result WHERE patient_id = $1 ORDER BY specimen`, [id]);
  expect(specimens.map((r: { specimen: string }) => r.specimen)).toEqual(['BLOOD', 'URINE']);

  const types: Array<{ type: string; n: number }> = await first.query(
    `SELECT type, count(*)::int AS n FROM clinical_document WHERE patient_id = $1 GROUP BY type`, [id],
  );
  expect(Object.fromEntries(types.map((t) => [t.type, t.n]))).toEqual(
    Object.fromEntries(Object.values(DocumentType).map((t) => [t, 1])),
  );
  const [{ third }] = await first.query(
    `SELECT count(*)::int AS third FROM clinical_document WHERE patient_id = $1 AND third_party_section IS NOT NULL`, [id],
  );
  expect(third).toBeGreaterThanOrEqual(2);
  const [{ named }] = await first.query(
    `SELECT count(*)::int AS named FROM family_history_entry WHERE patient_id = $1 AND relative_name IS NOT NULL`, [id],
  );
  expect(named).toBeGreaterThanOrEqual(1);
});

test('P-0003 is 13 years old and represented by rep-smit with the child\'s agreement', async () => {
  const [{ age }] = await first.query(
    `SELECT extract(year FROM age($1::date, birth_date))::int AS age FROM patient WHERE patient_number = 'P-0003'`,
    [now.toISOString().slice(0, 10)],
  );
  expect(age).toBe(13);
  const reps = await first.query(
    `SELECT r.kind, r.agreed_by_child, r.valid_to, p.name, p.is_legal_representative
       FROM representation r JOIN related_person p ON p.id = r.related_person_id
      WHERE r.patient_id = $1 AND r.representative_subject = 'rep-smit'`,
    [await patientId('P-0003')],
  );
  expect(reps).toEqual([{ kind: 'PARENT', agreed_by_child: true, valid_to: null, name: 'Petra Smit', is_legal_representative: true }]);
});

test('seeding twice yields identical rows', async () => {
  const [a, b] = await Promise.all([dump(first), dump(second)]);
  expect(Object.keys(a).length).toBeGreaterThan(20);
  expect(b).toEqual(a);
});
