/**
 * Retention (WGBO, SPEC §6): record data is kept 20 years after the last care; core documents —
 * discharge letter, operation, anaesthesia, pathology and first-aid reports, and emergency data —
 * until 115 years after birth. Access events are never removed here (kept at least 5 years).
 */
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../../auth/principal';
import { appendAccessEvents } from '../../audit/access-log';
import { AccessAction, AccessOutcome, DataCategory, Purpose, Role } from '../enums';

export const YEARS_AFTER_LAST_CARE = 20;
export const CORE_YEARS_AFTER_BIRTH = 115;
const CORE_DOCUMENTS = `'DISCHARGE_LETTER', 'OPERATION_REPORT', 'ANAESTHESIA_REPORT', 'PATHOLOGY_REPORT', 'FIRST_AID_REPORT'`;

interface RetainedTable {
  table: string;
  category: DataCategory;
  core: boolean;
  where?: string;
}

/** Every retained table, split into ordinary data (20 years after care) and core data (115 years after birth). */
const TABLES: RetainedTable[] = [
  { table: 'lab_result', category: DataCategory.LAB, core: false },
  { table: 'ecg', category: DataCategory.ECG, core: false },
  { table: 'imaging_report', category: DataCategory.IMAGING, core: false },
  { table: 'diagnosis', category: DataCategory.DIAGNOSES, core: false },
  { table: 'allergy', category: DataCategory.DIAGNOSES, core: false },
  { table: 'medication', category: DataCategory.MEDICATION, core: false },
  { table: 'encounter', category: DataCategory.ENCOUNTERS, core: false, where: `kind <> 'EMERGENCY'` },
  { table: 'encounter', category: DataCategory.ENCOUNTERS, core: true, where: `kind = 'EMERGENCY'` },
  { table: 'family_history_entry', category: DataCategory.FAMILY_HISTORY, core: false },
  { table: 'special_category_data', category: DataCategory.SPECIAL_CATEGORY, core: false },
  { table: 'medical_photo', category: DataCategory.PHOTOS, core: false },
  { table: 'clinical_document', category: DataCategory.CLINICAL_NOTES, core: false, where: `type NOT IN (${CORE_DOCUMENTS})` },
  { table: 'clinical_document', category: DataCategory.CLINICAL_NOTES, core: true, where: `type IN (${CORE_DOCUMENTS})` },
  { table: 'transfusion_record', category: DataCategory.TRANSFUSION, core: true },
];

// The last moment of care: the latest dated event anywhere in the record.
const LAST_CARE = `GREATEST(
  (SELECT max(coalesce("end", start)) FROM encounter WHERE patient_id = p.id),
  (SELECT max(authored_at) FROM clinical_document WHERE patient_id = p.id),
  (SELECT max(observed_at) FROM lab_result WHERE patient_id = p.id),
  (SELECT max(recorded_at) FROM ecg WHERE patient_id = p.id),
  (SELECT max(performed_at) FROM imaging_report WHERE patient_id = p.id),
  (SELECT max(recorded_at) FROM diagnosis WHERE patient_id = p.id),
  (SELECT max(coalesce("end", start))::timestamptz FROM medication WHERE patient_id = p.id))`;

/** One table's rows of one patient that are past their term. */
export interface RetentionItem {
  patientId: string;
  patientNumber: string;
  table: string;
  category: DataCategory;
  rule: 'last-care+20y' | 'birth+115y';
  rows: number;
  where?: string;
}

function dueCondition(t: RetainedTable): string {
  return t.core
    ? `p.birth_date < ($1::timestamptz - interval '${CORE_YEARS_AFTER_BIRTH} years')::date`
    : `${LAST_CARE} < $1::timestamptz - interval '${YEARS_AFTER_LAST_CARE} years'`;
}

/** Lists what is past its term on `now` (a dry run: nothing changes). */
export async function findDue(db: DataSource | EntityManager, now = new Date()): Promise<RetentionItem[]> {
  const items: RetentionItem[] = [];
  for (const t of TABLES) {
    const rows: Array<{ id: string; patient_number: string; n: number }> = await db.query(
      `SELECT p.id, p.patient_number, count(x.*)::int AS n FROM patient p JOIN ${t.table} x ON x.patient_id = p.id
        WHERE ${dueCondition(t)} ${t.where ? `AND x.${t.where}` : ''}
        GROUP BY p.id, p.patient_number ORDER BY p.patient_number`,
      [now],
    );
    for (const r of rows) {
      items.push({ patientId: r.id, patientNumber: r.patient_number, table: t.table, category: t.category, rule: t.core ? 'birth+115y' : 'last-care+20y', rows: r.n, where: t.where });
    }
  }
  return items;
}

/** The principal the retention job acts as in the access log. */
export const RETENTION_PRINCIPAL: Principal = {
  subject: 'system:retention',
  role: Role.PRIVACY_OFFICER,
  purpose: Purpose.ACCOUNTABILITY,
  column: 'PRIVACY',
  organisation: 'LUMC',
  tokenId: 'retention-job',
  issuedAt: new Date(0),
  expiresAt: new Date(8.64e15),
};

/**
 * Destroys the due items, one transaction per patient: the rows are erased and a tombstone access
 * event (categories, counts, rule — no content) is appended in the same transaction.
 */
export async function applyRetention(db: DataSource, items: RetentionItem[], onPatientDone: () => void = () => undefined, now = new Date()): Promise<number> {
  const byPatient = new Map<string, RetentionItem[]>();
  for (const item of items) byPatient.set(item.patientId, [...(byPatient.get(item.patientId) ?? []), item]);
  let destroyed = 0;
  for (const [patientId, patientItems] of byPatient) {
    await db.transaction(async (manager) => {
      const notes: string[] = [];
      for (const t of TABLES) {
        const mine = patientItems.filter((i) => i.table === t.table && i.where === t.where);
        if (mine.length === 0) continue;
        // Re-check the term inside the transaction: new care may have arrived since the listing.
        const result = await manager.query(
          `DELETE FROM ${t.table} x USING patient p WHERE p.id = x.patient_id AND p.id = $2 AND ${dueCondition(t)} ${t.where ? `AND x.${t.where}` : ''}`,
          [now, patientId],
        );
        const n = Number(result[1]);
        destroyed += n;
        if (n > 0) notes.push(`${t.table}${t.where ? ` (${t.core ? 'core' : 'non-core'})` : ''}: ${n} rows (${t.core ? 'birth+115y' : 'last-care+20y'})`);
      }
      if (notes.length > 0) {
        await appendAccessEvents(manager, RETENTION_PRINCIPAL, { requestId: `retention-${now.toISOString()}`, client: 'npm run retention' }, [{
          patientId,
          action: AccessAction.DELETE,
          categoriesGranted: [...new Set(patientItems.map((i) => i.category))],
          categoriesDenied: [],
          outcome: AccessOutcome.GRANTED,
          basis: 'retention-term-expired',
          detail: `retention: ${notes.join('; ')}`,
        }]);
      }
    });
    onPatientDone();
  }
  return destroyed;
}
