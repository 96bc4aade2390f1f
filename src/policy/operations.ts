/**
 * Every Query and Mutation of the API, as data: which matrix columns may call it, which patient
 * it touches and how that patient is found, and which categories the operation itself reads or
 * writes. One mechanism (door.ts) applies the role, the token's scope, its patient binding and
 * the gate to each declaration before the resolver runs, and records the access; no resolver
 * checks authority on its own. The Patient type's fields keep their per-field policy (fields.ts).
 */
import { ERASABLE } from '../record/destruction/erasable';
import { columnsReading, columnsWriting } from './matrix';
import { ALL_COLUMNS, Column, DataCategory as C, DataCategory, DOCUMENT_CATEGORY } from './vocabulary';

/** How an operation finds the patient whose record it touches. */
export type PatientSource =
  /** No patient: the operation reads or writes nothing of a record. */
  | { from: 'none' }
  /** A patient named by an argument (a dotted path into the arguments), looked up by this key. */
  | { from: 'argument'; path: string; key: 'id' | 'patientNumber' | 'bsn' }
  /** The patient the token's own subject stands for (PATIENT role). */
  | { from: 'self' }
  /** The patient owning a row named by an argument (a portal note, an objection, a destruction request). */
  | { from: 'row'; path: string; table: OwnedTable }
  /** Every patient inside the caller's gate; the resolver selects with the gate and reports what it released. */
  | { from: 'gate' };

/** Patient-owned rows an operation may name by id. */
export type OwnedTable = 'portal_note' | 'objection' | 'destruction_request';

/**
 * The categories an operation needs: fixed, or named by an argument (a document's type, the items
 * of a destruction request). `anyOf` lists what the argument can name, for the docs and the tests.
 */
export type Categories =
  | readonly DataCategory[]
  | { path: string; via: 'documentType' | 'destructionScope' | 'thirdPartySection'; anyOf: readonly DataCategory[]; also?: readonly DataCategory[] };

export interface OperationPolicy {
  type: 'Query' | 'Mutation';
  /** The matrix columns that may call it at all. */
  columns: readonly Column[];
  patient: PatientSource;
  /**
   * `gate` (default): the column's gate must hold for the patient. `binding`: only the token's
   * patient binding applies (break-the-glass opens the gate it then needs).
   */
  admission?: 'gate' | 'binding';
  /** Categories the operation itself releases or needs to see; each must be readable after the token's scope. */
  reads: Categories;
  /** Categories it writes; each must be writable (matrix RW) and inside the token's scope. */
  writes: Categories;
  /** An argument naming a study: the caller must be approved for it in the study registry (before any patient is read). */
  study?: string;
  /** One line for schema/permissions.md. */
  description: string;
}

/** Researchers never reach a patient record (SPEC §3 note 1), nor does the GP portal service. */
const PATIENT_LOOKUP = ALL_COLUMNS.filter((c) => c !== 'RESEARCHER' && c !== 'GP_PORTAL');
const none = { from: 'none' } as const;
const byId = (path: string): PatientSource => ({ from: 'argument', path, key: 'id' });
const DOCUMENT_WRITES = [...new Set(Object.values(DOCUMENT_CATEGORY))];
/** The categories a destruction request can name (record/destruction/erasable.ts). */
const ERASABLE_CATEGORIES = Object.keys(ERASABLE) as DataCategory[];

export const OPERATIONS: Record<string, OperationPolicy> = {
  // ── Queries ──────────────────────────────────────────────────────────────────────────────
  me: { type: 'Query', columns: ALL_COLUMNS, patient: none, reads: [], writes: [], description: 'the caller\'s own principal' },
  patient: { type: 'Query', columns: PATIENT_LOOKUP, patient: byId('id'), reads: [], writes: [], description: 'a patient by id; missing and outside the gate both answer NOT_FOUND' },
  patientByNumber: {
    type: 'Query', columns: PATIENT_LOOKUP, patient: { from: 'argument', path: 'patientNumber', key: 'patientNumber' },
    reads: [], writes: [], description: 'a patient by patient number; missing and outside the gate both answer NOT_FOUND',
  },
  patientByBsn: {
    type: 'Query', columns: PATIENT_LOOKUP, patient: { from: 'argument', path: 'bsn', key: 'bsn' },
    reads: [C.BSN], writes: [], description: 'a patient by BSN (only for those who may read the BSN)',
  },
  patients: { type: 'Query', columns: PATIENT_LOOKUP, patient: { from: 'gate' }, reads: [], writes: [], description: 'the patients inside the caller\'s gate' },
  myRecord: { type: 'Query', columns: ['PATIENT'], patient: { from: 'self' }, reads: [], writes: [], description: 'the caller\'s own record' },
  accessLog: {
    type: 'Query', columns: columnsReading(C.ACCESS_LOG), patient: byId('patientId'), reads: [C.ACCESS_LOG], writes: [],
    description: 'the access log of one patient\'s record (patients and representatives see other patients and representatives by role only)',
  },
  accessLogAuditEvents: {
    type: 'Query', columns: columnsReading(C.ACCESS_LOG), patient: byId('patientId'), reads: [C.ACCESS_LOG], writes: [],
    description: 'the access log of one patient\'s record as FHIR AuditEvents, under the rules of accessLog',
  },
  auditEvents: {
    type: 'Query', columns: ['PRIVACY'], patient: { from: 'gate' }, reads: [C.ACCESS_LOG], writes: [],
    description: 'the whole access log as FHIR AuditEvents, oldest first, for a SIEM; one access event per patient listed',
  },
  breakGlassReviewQueue: {
    type: 'Query', columns: ['PRIVACY'], patient: { from: 'gate' }, reads: [C.ACCESS_LOG], writes: [],
    description: 'break-the-glass openings and the accesses under them; one access event per patient listed',
  },
  verifyAccessLog: { type: 'Query', columns: ['PRIVACY'], patient: none, reads: [C.ACCESS_LOG], writes: [], description: 'verifies the whole access log' },
  researchCohort: {
    type: 'Query', columns: ['RESEARCHER'], patient: { from: 'gate' }, study: 'studyId', reads: [], writes: [],
    description: 'the pseudonymised cohort of a study the researcher is approved for (unknown and unapproved studies answer alike)',
  },
  recordExport: {
    type: 'Query', columns: ['PATIENT', 'REP', 'CLIN_TREATMENT'], patient: byId('patientId'), reads: [], writes: [],
    description: 'the visible record as JSON or FHIR R4, through the same field policy',
  },
  destructionRequests: {
    type: 'Query', columns: ['PRIVACY'], patient: { from: 'gate' }, reads: [C.CONSENTS], writes: [],
    description: 'destruction requests (a patient\'s decisions about their record, filed under CONSENTS); one access event per patient listed',
  },
  // ── Mutations ────────────────────────────────────────────────────────────────────────────
  breakGlass: {
    type: 'Mutation', columns: ['CLIN_EMERGENCY'], patient: byId('patientId'), admission: 'binding', reads: [], writes: [],
    description: 'opens a time-limited emergency session with a written reason (the token\'s patient binding applies)',
  },
  breakGlassByPatientNumber: {
    type: 'Mutation', columns: ['CLIN_EMERGENCY'], patient: { from: 'argument', path: 'patientNumber', key: 'patientNumber' }, admission: 'binding',
    reads: [], writes: [], description: 'break-the-glass by patient number (unknown numbers answer NOT_FOUND)',
  },
  setConsent: { type: 'Mutation', columns: columnsWriting(C.CONSENTS), patient: byId('input.patientId'), reads: [], writes: [C.CONSENTS], description: 'grants or refuses a sharing consent (age rules apply)' },
  lodgeObjection: { type: 'Mutation', columns: columnsWriting(C.CONSENTS), patient: byId('input.patientId'), reads: [], writes: [C.CONSENTS], description: 'lodges an objection (age rules apply; evidence from anyone but the patient)' },
  withdrawObjection: {
    type: 'Mutation', columns: columnsWriting(C.CONSENTS), patient: { from: 'row', path: 'id', table: 'objection' }, reads: [], writes: [C.CONSENTS],
    description: 'withdraws an objection (age rules apply)',
  },
  addPortalNote: { type: 'Mutation', columns: columnsWriting(C.PORTAL_NOTES), patient: { from: 'self' }, reads: [], writes: [C.PORTAL_NOTES], description: 'adds a personal note' },
  deletePortalNote: {
    type: 'Mutation', columns: columnsWriting(C.PORTAL_NOTES), patient: { from: 'row', path: 'id', table: 'portal_note' }, reads: [], writes: [C.PORTAL_NOTES],
    description: 'deletes one of the caller\'s own notes',
  },
  updateContactDetails: { type: 'Mutation', columns: columnsWriting(C.CONTACT), patient: byId('patientId'), reads: [], writes: [C.CONTACT], description: 'rectifies address, phone or email' },
  addPatientStatement: { type: 'Mutation', columns: ['PATIENT', 'REP'], patient: byId('patientId'), reads: [], writes: [C.CLINICAL_NOTES], description: 'adds the patient\'s statement or second opinion' },
  addClinicalDocument: {
    type: 'Mutation', columns: ['CLIN_TREATMENT'], patient: byId('input.patientId'),
    reads: { path: 'input.thirdPartySection', via: 'thirdPartySection', anyOf: [C.THIRD_PARTY] },
    writes: { path: 'input.type', via: 'documentType', anyOf: DOCUMENT_WRITES },
    description: 'adds a clinical document of a type the clinician may write (a third-party section needs THIRD_PARTY)',
  },
  requestDestruction: {
    type: 'Mutation', columns: ['PATIENT', 'REP'], patient: byId('input.patientId'),
    reads: { path: 'input.scope', via: 'destructionScope', anyOf: ERASABLE_CATEGORIES }, writes: [C.CONSENTS],
    description: 'asks for destruction of data the caller may read (every named category must be readable)',
  },
  decideDestruction: {
    type: 'Mutation', columns: ['PRIVACY'], patient: { from: 'row', path: 'id', table: 'destruction_request' }, reads: [C.CONSENTS], writes: [],
    description: 'approves (erases, keeps a tombstone) or refuses a destruction request',
  },
  issuePortalToken: { type: 'Mutation', columns: ['GP_PORTAL'], patient: none, reads: [], writes: [], description: 'issues a short-lived, patient-bound token for a GP or duty doctor' },
  revokeIssuedToken: { type: 'Mutation', columns: ['GP_PORTAL'], patient: none, reads: [], writes: [], description: 'revokes a token the portal issued' },
  revokeToken: { type: 'Mutation', columns: ALL_COLUMNS, patient: none, reads: [], writes: [], description: 'revokes the token in use (the privacy officer: any token)' },
};

/** The declared operations of one root type. */
export function operationsOf(type: 'Query' | 'Mutation'): Array<[string, OperationPolicy]> {
  return Object.entries(OPERATIONS).filter(([, op]) => op.type === type);
}

/** Every category a declaration can involve (fixed ones and what an argument may name). */
export function declaredCategories(categories: Categories): DataCategory[] {
  if (Array.isArray(categories)) return [...categories];
  const c = categories as Exclude<Categories, readonly DataCategory[]>;
  return [...c.anyOf, ...(c.also ?? [])];
}
