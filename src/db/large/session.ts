/**
 * Prepares the seeding connection: session settings for bulk loading, the generated practitioners
 * (idempotent), and temporary catalogue tables that the set-based statements join against.
 */
import type { Client } from 'pg';
import {
  ALLERGIES, CONSENT_CHANNELS, DIAGNOSES, DOCUMENT_TYPES, FAMILY_HISTORY, IMAGING, INSURERS, LAB_TESTS, MEDICATIONS, OBJECTION_KINDS,
} from './catalogue';
import { generatedClinicians, generatedGps } from './practitioners';

const TEMP_TABLES = [
  'large_clinician', 'large_gp', 'large_insurer', 'large_consent_channel', 'large_objection_kind', 'large_diagnosis', 'large_allergy',
  'large_medication', 'large_lab_test', 'large_imaging', 'large_document_type', 'large_family_history',
];

/** A temporary table (k = 0, 1, … in row order) filled from columns of values. */
async function catalogueTable(client: Client, name: string, columns: Array<[name: string, type: string]>, rows: unknown[][]): Promise<void> {
  await client.query(`CREATE TEMP TABLE ${name} (k int PRIMARY KEY, ${columns.map(([c, type]) => `${c} ${type}`).join(', ')})`);
  const params = columns.map((_, c) => rows.map((row) => row[c]));
  const unnest = columns.map(([, type], c) => `$${c + 1}::${type}[]`).join(', ');
  await client.query(
    `INSERT INTO ${name} SELECT (ordinality - 1)::int, ${columns.map(([c]) => c).join(', ')}
       FROM unnest(${unnest}) WITH ORDINALITY AS t(${columns.map(([c]) => c).join(', ')}) `,
    params,
  );
}

/** Session settings, practitioners and catalogue tables; call once per seeding connection. */
export async function prepareSession(client: Client): Promise<void> {
  // Every batch is one transaction and can be re-run, so losing the last commits in a crash is harmless.
  await client.query('SET synchronous_commit = off');
  await client.query('SET jit = off');
  await client.query(`DROP TABLE IF EXISTS ${TEMP_TABLES.map((t) => `pg_temp.${t}`).join(', ')}`);

  const clinicians = generatedClinicians();
  const gps = generatedGps();
  const staff = [...clinicians, ...gps];
  await client.query(
    `INSERT INTO practitioner (id, subject, name, role, organisation)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) ON CONFLICT (subject) DO NOTHING`,
    [staff.map((p) => p.id), staff.map((p) => p.subject), staff.map((p) => p.name), staff.map((p) => p.role), staff.map((p) => p.organisation)],
  );

  // k = 0 is the demo's clin-dekker; k = 0, 1 are the demo's gp-jansen and gp-peters.
  const clinicianSubjects = ['clin-dekker', ...clinicians.map((c) => c.subject)];
  const departments = ['Interne Geneeskunde', ...clinicians.map((c) => c.department!)];
  await client.query(
    `CREATE TEMP TABLE large_clinician AS
       SELECT (t.ordinality - 1)::int AS k, pr.id, pr.subject, t.department
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(subject, department) JOIN practitioner pr ON pr.subject = t.subject`,
    [clinicianSubjects, departments],
  );
  await client.query(
    `CREATE TEMP TABLE large_gp AS
       SELECT (t.ordinality - 1)::int AS k, pr.id, pr.subject
         FROM unnest($1::text[]) WITH ORDINALITY AS t(subject) JOIN practitioner pr ON pr.subject = t.subject`,
    [['gp-jansen', 'gp-peters', ...gps.map((g) => g.subject)]],
  );
  const [{ clinicians: c, gps: g }] = (await client.query('SELECT (SELECT count(*)::int FROM large_clinician) AS clinicians, (SELECT count(*)::int FROM large_gp) AS gps')).rows;
  if (c !== clinicianSubjects.length || g !== gps.length + 2) {
    throw new Error('the demo practitioners (clin-dekker, gp-jansen, gp-peters) are missing: seed the demo directory first');
  }

  await catalogueTable(client, 'large_insurer', [['insurer_id', 'text'], ['name', 'text'], ['prefix', 'text']], INSURERS.map(([id, name, prefix]) => [id, name, prefix]));
  await catalogueTable(client, 'large_consent_channel', [['channel', 'text'], ['share', 'float8']], CONSENT_CHANNELS);
  await catalogueTable(client, 'large_objection_kind', [['kind', 'text'], ['share', 'float8']], OBJECTION_KINDS);
  await catalogueTable(client, 'large_diagnosis', [['code', 'text'], ['display', 'text']], DIAGNOSES);
  await catalogueTable(client, 'large_allergy', [['substance', 'text'], ['reaction', 'text'], ['severity', 'text']], ALLERGIES);
  await catalogueTable(client, 'large_medication', [['name', 'text'], ['dose', 'text']], MEDICATIONS);
  await catalogueTable(client, 'large_lab_test',
    [['specimen', 'text'], ['code', 'text'], ['display', 'text'], ['unit', 'text'], ['reference_range', 'text'], ['mean', 'float8'], ['sd', 'float8'], ['decimals', 'int']],
    LAB_TESTS);
  await catalogueTable(client, 'large_imaging', [['modality', 'text'], ['body_site', 'text'], ['conclusion', 'text']], IMAGING);
  await catalogueTable(client, 'large_document_type', [['type', 'text'], ['share', 'float8'], ['title', 'text']], DOCUMENT_TYPES);
  await catalogueTable(client, 'large_family_history', [['relationship', 'text'], ['condition', 'text']], FAMILY_HISTORY);
  await client.query(`ANALYZE ${TEMP_TABLES.join(', ')}`);
}
