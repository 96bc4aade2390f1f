/**
 * THE policy matrix of SPEC §3, as data. Every other artefact — the graphql-shield rules, the
 * per-request decisions, schema/permissions.md and the permission tests — is derived from it.
 *
 * R  = may read, RW = may read and write (record consents, notes), __ = denied.
 * A cell only counts when the gate of the column (gates.ts) holds for the patient.
 */
import { ALL_COLUMNS, Column, DataCategory } from './vocabulary';

export type Access = 'R' | 'RW' | '__';
const R: Access = 'R';
const RW: Access = 'RW';
const __: Access = '__';

type Row = [Access, Access, Access, Access, Access, Access, Access, Access, Access, Access, Access, Access];

/** Column order of every row below. */
export const MATRIX_COLUMNS: readonly Column[] = [
  'CLIN_TREATMENT', 'CLIN_EMERGENCY', 'ADMIN', 'GP', 'DUTY', 'LAB', 'INSURER', 'PATIENT', 'REP', 'RESEARCHER', 'PRIVACY', 'GP_PORTAL',
];

// prettier-ignore
const ROWS: Record<DataCategory, Row> = {
  //                CLIN_T CLIN_E ADMIN GP  DUTY LAB INSURER PATIENT REP RESEARCH PRIVACY GP_PORTAL
  IDENTITY:         [R,    R,     R,    R,  R,   R,  __,     R,      R,  __,      R,       __],
  BSN:              [R,    R,     R,    R,  R,   R,  __,     R,      R,  __,      __,      __],
  CONTACT:          [R,    R,     RW,   __, __,  __, __,     RW,     RW, __,      __,      __],
  INSURANCE:        [__,   __,    R,    __, __,  __, R,      R,      R,  __,      __,      __],
  RELATIONS:        [R,    R,     R,    __, __,  __, __,     R,      R,  __,      __,      __],
  ENCOUNTERS:       [R,    R,     R,    R,  R,   __, __,     R,      R,  __,      __,      __],
  DIAGNOSES:        [R,    R,     __,   __, __,  __, __,     R,      R,  R,       __,      __],
  MEDICATION:       [R,    R,     __,   __, __,  __, __,     R,      R,  R,       __,      __],
  LAB:              [R,    R,     __,   R,  R,   __, __,     R,      R,  R,       __,      __],
  ECG:              [R,    R,     __,   R,  R,   __, __,     R,      R,  __,      __,      __],
  IMAGING:          [R,    R,     __,   R,  R,   __, __,     R,      R,  __,      __,      __],
  CORRESPONDENCE:   [RW,   R,     __,   R,  R,   __, __,     R,      R,  __,      __,      __],
  SUMMARIES:        [RW,   R,     __,   R,  R,   __, __,     R,      R,  __,      __,      __],
  CLINICAL_NOTES:   [RW,   R,     __,   __, __,  __, __,     RW,     RW, __,      __,      __],
  FAMILY_HISTORY:   [R,    R,     __,   __, __,  __, __,     R,      R,  __,      __,      __],
  THIRD_PARTY:      [R,    __,    __,   __, __,  __, __,     __,     __, __,      __,      __],
  SPECIAL_CATEGORY: [R,    __,    __,   __, __,  __, __,     R,      R,  __,      __,      __],
  TRANSFUSION:      [R,    R,     __,   __, __,  R,  __,     R,      R,  __,      __,      __],
  FINANCIAL:        [__,   __,    R,    __, __,  __, R,      R,      R,  __,      __,      __],
  PHOTOS:           [R,    __,    __,   __, __,  __, __,     R,      R,  __,      __,      __],
  PORTAL_NOTES:     [__,   __,    __,   __, __,  __, __,     RW,     __, __,      __,      __],
  CONSENTS:         [R,    R,     RW,   __, __,  __, __,     RW,     RW, __,      R,       __],
  ACCESS_LOG:       [__,   __,    __,   __, __,  __, __,     R,      R,  __,      R,       __],
};

/** What a column may do with a category, before gates. */
export function accessOf(column: Column, category: DataCategory): Access {
  return ROWS[category][MATRIX_COLUMNS.indexOf(column)];
}

/** The categories a column may read (R or RW). */
export function readableCategories(column: Column): Set<DataCategory> {
  return new Set((Object.keys(ROWS) as DataCategory[]).filter((c) => accessOf(column, c) !== __));
}

/** The categories a column may write. */
export function writableCategories(column: Column): Set<DataCategory> {
  return new Set((Object.keys(ROWS) as DataCategory[]).filter((c) => accessOf(column, c) === RW));
}

/** Columns that may read a category. */
export function columnsReading(category: DataCategory): Column[] {
  return ALL_COLUMNS.filter((c) => accessOf(c, category) !== __);
}

/** Columns that may write a category. */
export function columnsWriting(category: DataCategory): Column[] {
  return ALL_COLUMNS.filter((c) => accessOf(c, category) === RW);
}

/** Footnotes a privacy officer needs beside the table (rendered into permissions.md). */
export const MATRIX_NOTES: readonly string[] = [
  'RESEARCHER never reaches a patient record; the R cells of that column apply only to the pseudonymised research cohort.',
  'THIRD_PARTY: a relative\'s identity and details and document sections marked third-party are for the treating clinician only; others see that a family-history entry exists, not who the relative is.',
  'PORTAL_NOTES are the patient\'s own notes: nobody else reads them.',
  'CONSENTS RW for ADMIN_STAFF means recording a signed paper form; for LEGAL_REPRESENTATIVE it is limited to their authority (age rules in the gates).',
  'ACCESS_LOG: the patient reads the log of their own record, the representative that of the represented patient, the privacy officer all of it.',
  'GP_PORTAL_SERVICE reads nothing: it only issues short-lived tokens bound to one patient, for a GP or duty doctor it has authenticated, narrowed to a subset of that role\'s ✔ categories (`issuePortalToken`).',
];
