import { MigrationInterface, QueryRunner } from 'typeorm';

const ENUM_CHECKS: Array<[table: string, column: string, values: string[]]> = [
  ['patient', 'gender', ['FEMALE', 'MALE', 'OTHER', 'UNKNOWN']],
  ['practitioner', 'role', ['TREATING_CLINICIAN', 'ADMIN_STAFF', 'GP', 'DUTY_DOCTOR', 'AFFILIATED_LAB', 'INSURER', 'PATIENT', 'LEGAL_REPRESENTATIVE', 'RESEARCHER', 'PRIVACY_OFFICER']],
  ['representation', 'kind', ['PARENT', 'GUARDIAN', 'TRUSTEE', 'MENTOR', 'AUTHORISED']],
  ['lab_result', 'specimen', ['BLOOD', 'URINE']],
  ['encounter', 'kind', ['ADMISSION', 'OUTPATIENT', 'EMERGENCY']],
  ['clinical_document', 'type', ['GP_LETTER', 'DISCHARGE_LETTER', 'TREATMENT_SUMMARY', 'ADMISSION_SUMMARY', 'DISCHARGE_SUMMARY', 'CONSULT_REPORT', 'TREATMENT_PLAN', 'OPERATION_REPORT', 'ANAESTHESIA_REPORT', 'PATHOLOGY_REPORT', 'FIRST_AID_REPORT', 'PATIENT_STATEMENT', 'SECOND_OPINION']],
  ['consent', 'channel', ['LSP', 'ZORGPLATFORM', 'XDS', 'GP_VIEW', 'OTHER_EXCHANGE', 'RESEARCH', 'PHOTOGRAPHY']],
  ['objection', 'kind', ['GP_PORTAL_BLOCK', 'TRIX', 'CANCER_REGISTRY', 'RESEARCH', 'TRAINEES']],
  ['access_event', 'action', ['READ', 'CREATE', 'UPDATE', 'DELETE', 'EXPORT', 'BREAK_GLASS']],
  ['access_event', 'outcome', ['GRANTED', 'PARTIAL', 'DENIED']],
];

const PERIODS = ['care_relationship', 'gp_registration', 'representation'];

/**
 * What the database itself enforces beyond keys and NOT NULLs: the BSN 11-test, closed value
 * sets, sane periods, the break-the-glass reason, and an append-only access log.
 */
export class RecordIntegrity1795371372200 implements MigrationInterface {
  name = 'RecordIntegrity1795371372200';

  public async up(q: QueryRunner): Promise<void> {
    // BSN 11-test: 9 digits, 9*d1 + 8*d2 + … + 2*d8 - 1*d9 divisible by 11 (and not all zeros).
    await q.query(`
      CREATE FUNCTION bsn_is_valid(bsn text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS $$
        SELECT bsn ~ '^[0-9]{9}$' AND bsn <> '000000000' AND (
          (SELECT sum((9 - i) * substr(bsn, i + 1, 1)::int) FROM generate_series(0, 7) AS i)
          - substr(bsn, 9, 1)::int) % 11 = 0
      $$`);
    await q.query(`ALTER TABLE patient ADD CONSTRAINT chk_patient_bsn_11_test CHECK (bsn_is_valid(bsn))`);
    await q.query(`ALTER TABLE patient ADD CONSTRAINT chk_patient_number CHECK (patient_number ~ '^P-[0-9]{4,}$')`);
    for (const [table, column, values] of ENUM_CHECKS) {
      const list = values.map((v) => `'${v}'`).join(', ');
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT chk_${table}_${column} CHECK (${column} IN (${list}))`);
    }
    for (const table of PERIODS) {
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT chk_${table}_period CHECK (valid_to IS NULL OR valid_to > valid_from)`);
    }
    await q.query(`ALTER TABLE break_glass_session ADD CONSTRAINT chk_break_glass_period CHECK (expires_at > opened_at)`);
    await q.query(`ALTER TABLE break_glass_session ADD CONSTRAINT chk_break_glass_reason CHECK (length(btrim(reason)) >= 10)`);
    await q.query(`ALTER TABLE access_event ADD CONSTRAINT chk_access_event_seq CHECK (seq >= 1)`);
    await q.query(`CREATE INDEX idx_access_event_break_glass ON access_event (seq) WHERE break_glass_reason IS NOT NULL`);
    await q.query(`CREATE INDEX idx_access_event_patient_seq ON access_event (patient_id, seq)`);
    // The access log is append-only: no UPDATE, no DELETE, no TRUNCATE through the application.
    await q.query(`
      CREATE FUNCTION access_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'access_event is append-only';
      END $$`);
    await q.query(`CREATE TRIGGER access_event_no_update BEFORE UPDATE OR DELETE ON access_event FOR EACH ROW EXECUTE FUNCTION access_event_append_only()`);
    await q.query(`CREATE TRIGGER access_event_no_truncate BEFORE TRUNCATE ON access_event FOR EACH STATEMENT EXECUTE FUNCTION access_event_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER access_event_no_truncate ON access_event`);
    await q.query(`DROP TRIGGER access_event_no_update ON access_event`);
    await q.query(`DROP FUNCTION access_event_append_only()`);
    await q.query(`DROP INDEX idx_access_event_patient_seq`);
    await q.query(`DROP INDEX idx_access_event_break_glass`);
    await q.query(`ALTER TABLE access_event DROP CONSTRAINT chk_access_event_seq`);
    await q.query(`ALTER TABLE break_glass_session DROP CONSTRAINT chk_break_glass_reason`);
    await q.query(`ALTER TABLE break_glass_session DROP CONSTRAINT chk_break_glass_period`);
    for (const table of PERIODS) await q.query(`ALTER TABLE ${table} DROP CONSTRAINT chk_${table}_period`);
    for (const [table, column] of ENUM_CHECKS) await q.query(`ALTER TABLE ${table} DROP CONSTRAINT chk_${table}_${column}`);
    await q.query(`ALTER TABLE patient DROP CONSTRAINT chk_patient_number`);
    await q.query(`ALTER TABLE patient DROP CONSTRAINT chk_patient_bsn_11_test`);
    await q.query(`DROP FUNCTION bsn_is_valid(text)`);
  }
}
