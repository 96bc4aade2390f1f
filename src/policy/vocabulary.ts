/**
 * The words the policy is written in: roles, purposes of use and data categories (SPEC §1–§2).
 * Plain TypeScript enums so the token tooling can use them without loading the GraphQL layer.
 */

export enum Role {
  TREATING_CLINICIAN = 'TREATING_CLINICIAN',
  ADMIN_STAFF = 'ADMIN_STAFF',
  GP = 'GP',
  DUTY_DOCTOR = 'DUTY_DOCTOR',
  AFFILIATED_LAB = 'AFFILIATED_LAB',
  INSURER = 'INSURER',
  PATIENT = 'PATIENT',
  LEGAL_REPRESENTATIVE = 'LEGAL_REPRESENTATIVE',
  RESEARCHER = 'RESEARCHER',
  PRIVACY_OFFICER = 'PRIVACY_OFFICER',
  /** The GP portal's back end: reads no record, only issues short-lived patient-bound tokens (src/portal). */
  GP_PORTAL_SERVICE = 'GP_PORTAL_SERVICE',
}

export enum Purpose {
  TREATMENT = 'TREATMENT',
  EMERGENCY = 'EMERGENCY',
  CARE_EXCHANGE = 'CARE_EXCHANGE',
  TRANSFUSION_SAFETY = 'TRANSFUSION_SAFETY',
  BILLING = 'BILLING',
  PERSONAL_ACCESS = 'PERSONAL_ACCESS',
  RESEARCH = 'RESEARCH',
  ACCOUNTABILITY = 'ACCOUNTABILITY',
}

export enum DataCategory {
  IDENTITY = 'IDENTITY',
  BSN = 'BSN',
  CONTACT = 'CONTACT',
  INSURANCE = 'INSURANCE',
  RELATIONS = 'RELATIONS',
  ENCOUNTERS = 'ENCOUNTERS',
  DIAGNOSES = 'DIAGNOSES',
  MEDICATION = 'MEDICATION',
  LAB = 'LAB',
  ECG = 'ECG',
  IMAGING = 'IMAGING',
  CORRESPONDENCE = 'CORRESPONDENCE',
  SUMMARIES = 'SUMMARIES',
  CLINICAL_NOTES = 'CLINICAL_NOTES',
  FAMILY_HISTORY = 'FAMILY_HISTORY',
  THIRD_PARTY = 'THIRD_PARTY',
  SPECIAL_CATEGORY = 'SPECIAL_CATEGORY',
  TRANSFUSION = 'TRANSFUSION',
  FINANCIAL = 'FINANCIAL',
  PHOTOS = 'PHOTOS',
  PORTAL_NOTES = 'PORTAL_NOTES',
  CONSENTS = 'CONSENTS',
  ACCESS_LOG = 'ACCESS_LOG',
}

export const ALL_CATEGORIES: readonly DataCategory[] = Object.values(DataCategory);

/**
 * A column of the policy matrix: one role acting for one purpose (SPEC §1). A token whose
 * role/purpose pair is not a column here is refused.
 */
export const COLUMNS = {
  CLIN_TREATMENT: { role: Role.TREATING_CLINICIAN, purpose: Purpose.TREATMENT },
  CLIN_EMERGENCY: { role: Role.TREATING_CLINICIAN, purpose: Purpose.EMERGENCY },
  ADMIN: { role: Role.ADMIN_STAFF, purpose: Purpose.BILLING },
  GP: { role: Role.GP, purpose: Purpose.CARE_EXCHANGE },
  DUTY: { role: Role.DUTY_DOCTOR, purpose: Purpose.CARE_EXCHANGE },
  LAB: { role: Role.AFFILIATED_LAB, purpose: Purpose.TRANSFUSION_SAFETY },
  INSURER: { role: Role.INSURER, purpose: Purpose.BILLING },
  PATIENT: { role: Role.PATIENT, purpose: Purpose.PERSONAL_ACCESS },
  REP: { role: Role.LEGAL_REPRESENTATIVE, purpose: Purpose.PERSONAL_ACCESS },
  RESEARCHER: { role: Role.RESEARCHER, purpose: Purpose.RESEARCH },
  PRIVACY: { role: Role.PRIVACY_OFFICER, purpose: Purpose.ACCOUNTABILITY },
  GP_PORTAL: { role: Role.GP_PORTAL_SERVICE, purpose: Purpose.CARE_EXCHANGE },
} as const;

export type Column = keyof typeof COLUMNS;
export const ALL_COLUMNS = Object.keys(COLUMNS) as Column[];

/** The matrix column for a role/purpose pair, or undefined when SPEC §1 does not allow the pair. */
export function columnOf(role: Role, purpose: Purpose): Column | undefined {
  return ALL_COLUMNS.find((c) => COLUMNS[c].role === role && COLUMNS[c].purpose === purpose);
}

/** The purposes a role may act for, in table order (the first is the default). */
export function purposesOf(role: Role): Purpose[] {
  return ALL_COLUMNS.filter((c) => COLUMNS[c].role === role).map((c) => COLUMNS[c].purpose);
}

/** Document types and the category each row of that type belongs to (CONTRACT.md). */
export enum DocumentType {
  GP_LETTER = 'GP_LETTER',
  DISCHARGE_LETTER = 'DISCHARGE_LETTER',
  TREATMENT_SUMMARY = 'TREATMENT_SUMMARY',
  ADMISSION_SUMMARY = 'ADMISSION_SUMMARY',
  DISCHARGE_SUMMARY = 'DISCHARGE_SUMMARY',
  CONSULT_REPORT = 'CONSULT_REPORT',
  TREATMENT_PLAN = 'TREATMENT_PLAN',
  OPERATION_REPORT = 'OPERATION_REPORT',
  ANAESTHESIA_REPORT = 'ANAESTHESIA_REPORT',
  PATHOLOGY_REPORT = 'PATHOLOGY_REPORT',
  FIRST_AID_REPORT = 'FIRST_AID_REPORT',
  PATIENT_STATEMENT = 'PATIENT_STATEMENT',
  SECOND_OPINION = 'SECOND_OPINION',
}

export const DOCUMENT_CATEGORY: Record<DocumentType, DataCategory> = {
  GP_LETTER: DataCategory.CORRESPONDENCE,
  DISCHARGE_LETTER: DataCategory.CORRESPONDENCE,
  TREATMENT_SUMMARY: DataCategory.SUMMARIES,
  ADMISSION_SUMMARY: DataCategory.SUMMARIES,
  DISCHARGE_SUMMARY: DataCategory.SUMMARIES,
  CONSULT_REPORT: DataCategory.CLINICAL_NOTES,
  TREATMENT_PLAN: DataCategory.CLINICAL_NOTES,
  OPERATION_REPORT: DataCategory.CLINICAL_NOTES,
  ANAESTHESIA_REPORT: DataCategory.CLINICAL_NOTES,
  PATHOLOGY_REPORT: DataCategory.CLINICAL_NOTES,
  FIRST_AID_REPORT: DataCategory.CLINICAL_NOTES,
  PATIENT_STATEMENT: DataCategory.CLINICAL_NOTES,
  SECOND_OPINION: DataCategory.CLINICAL_NOTES,
};
