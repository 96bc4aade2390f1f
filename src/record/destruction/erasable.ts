/**
 * What can be destroyed, by category: the tables (and, for documents, the types) that hold it.
 * Destruction requests and the retention job both erase through this one map.
 */
import { EntityManager } from 'typeorm';
import { DOCUMENT_CATEGORY, DataCategory, DocumentType } from '../../policy/vocabulary';

export interface ErasableTable {
  table: string;
  /** Extra SQL condition on the table (alias-free), e.g. a document-type filter. */
  where?: string;
}

const documentsOf = (category: DataCategory): ErasableTable => ({
  table: 'clinical_document',
  where: `type IN (${(Object.keys(DOCUMENT_CATEGORY) as DocumentType[]).filter((t) => DOCUMENT_CATEGORY[t] === category).map((t) => `'${t}'`).join(', ')})`,
});

/**
 * Categories a patient may ask to destroy. Identity, BSN, insurance and financial data (needed
 * for care and settlement), consents and the access log are not destroyable this way.
 */
export const ERASABLE: Partial<Record<DataCategory, ErasableTable[]>> = {
  [DataCategory.RELATIONS]: [{ table: 'related_person', where: 'NOT is_legal_representative' }],
  [DataCategory.ENCOUNTERS]: [{ table: 'encounter' }],
  [DataCategory.DIAGNOSES]: [{ table: 'diagnosis' }, { table: 'allergy' }],
  [DataCategory.MEDICATION]: [{ table: 'medication' }],
  [DataCategory.LAB]: [{ table: 'lab_result' }],
  [DataCategory.ECG]: [{ table: 'ecg' }],
  [DataCategory.IMAGING]: [{ table: 'imaging_report' }],
  [DataCategory.CORRESPONDENCE]: [documentsOf(DataCategory.CORRESPONDENCE)],
  [DataCategory.SUMMARIES]: [documentsOf(DataCategory.SUMMARIES)],
  [DataCategory.CLINICAL_NOTES]: [documentsOf(DataCategory.CLINICAL_NOTES)],
  [DataCategory.FAMILY_HISTORY]: [{ table: 'family_history_entry' }],
  [DataCategory.SPECIAL_CATEGORY]: [{ table: 'special_category_data' }],
  [DataCategory.TRANSFUSION]: [{ table: 'transfusion_record' }],
  [DataCategory.PHOTOS]: [{ table: 'medical_photo' }],
  [DataCategory.PORTAL_NOTES]: [{ table: 'portal_note' }],
};

/** One item of a destruction scope: a whole category of the record, or one row of it. */
export interface ScopeItem {
  category: DataCategory;
  rowId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses "LAB PHOTOS CORRESPONDENCE:<id>"; returns an error message instead when it is not valid. */
export function parseScope(scope: string): ScopeItem[] | string {
  const tokens = scope.trim().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) return 'scope names nothing to destroy';
  if (tokens.length > 50) return 'scope names too many items';
  const items: ScopeItem[] = [];
  for (const token of tokens) {
    const [name, rowId, extra] = token.split(':');
    if (extra !== undefined || !(name in ERASABLE)) return `scope item "${token.slice(0, 60)}" is not a destroyable category (${Object.keys(ERASABLE).join(', ')})`;
    if (rowId !== undefined && !UUID.test(rowId)) return `scope item "${token.slice(0, 60)}" does not name a row id`;
    items.push({ category: name as DataCategory, rowId: rowId?.toLowerCase() });
  }
  return items;
}

/** How many rows of this patient a scope item covers (0 when a named row is not theirs or not of that category). */
export async function countScopeItem(manager: EntityManager, patientId: string, item: ScopeItem): Promise<number> {
  let total = 0;
  for (const t of ERASABLE[item.category]!) {
    const [row] = await manager.query(
      `SELECT count(*)::int AS n FROM ${t.table} WHERE patient_id = $1 ${t.where ? `AND ${t.where}` : ''} ${item.rowId ? 'AND id = $2' : ''}`,
      item.rowId ? [patientId, item.rowId] : [patientId],
    );
    total += row.n;
  }
  return total;
}

/** Erases the rows of a scope item; returns how many were erased. Runs in the caller's transaction. */
export async function eraseScopeItem(manager: EntityManager, patientId: string, item: ScopeItem): Promise<number> {
  let total = 0;
  for (const t of ERASABLE[item.category]!) {
    const result = await manager.query(
      `DELETE FROM ${t.table} WHERE patient_id = $1 ${t.where ? `AND ${t.where}` : ''} ${item.rowId ? 'AND id = $2' : ''}`,
      item.rowId ? [patientId, item.rowId] : [patientId],
    );
    // TypeORM answers a raw DELETE with [rows, rowCount].
    total += Number(result[1]);
  }
  return total;
}
