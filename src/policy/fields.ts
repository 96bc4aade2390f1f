/**
 * Every field of the schema and the policy entry that governs it. A field missing here is
 * unreachable (graphql-shield's fallback denies it), and a test fails when the schema has a
 * field without an entry, so nothing relies on the fallback.
 */
import { operationsOf } from './operations';
import { Column, DataCategory as C } from './vocabulary';

export type FieldPolicy =
  /** Patient data of one category, decided per patient by matrix × gate × scope. */
  | { kind: 'category'; category: C }
  /** Clinical documents: each row in the category of its type; rows of denied types are filtered out in SQL. */
  | { kind: 'documents' }
  /** The patient's id: present only on patients that passed the gate. */
  | { kind: 'patientHandle' }
  /** A value reachable only through a policed field above it; inherits that decision. */
  | { kind: 'contained' }
  /** A Query or Mutation entry point, open to these matrix columns (the resolver then applies the gate). */
  | { kind: 'operation'; columns: readonly Column[] };

const category = (c: C): FieldPolicy => ({ kind: 'category', category: c });
const contained: FieldPolicy = { kind: 'contained' };
const operation = (columns: readonly Column[]): FieldPolicy => ({ kind: 'operation', columns });

/** All fields of a value type inherit the decision of the field that returned it. */
function containedType(...fields: string[]): Record<string, FieldPolicy> {
  return Object.fromEntries(fields.map((f) => [f, contained]));
}

/** The shield's rule for each declared operation: the columns that may call it. */
function operationFields(type: 'Query' | 'Mutation'): Record<string, FieldPolicy> {
  return Object.fromEntries(operationsOf(type).map(([name, op]) => [name, operation(op.columns)]));
}

export const FIELD_POLICY: Record<string, Record<string, FieldPolicy>> = {
  // Every root field's policy comes from its declaration in operations.ts (the door applies the rest).
  Query: operationFields('Query'),
  Mutation: operationFields('Mutation'),
  Patient: {
    id: { kind: 'patientHandle' },
    patientNumber: category(C.IDENTITY),
    name: category(C.IDENTITY),
    birthDate: category(C.IDENTITY),
    gender: category(C.IDENTITY),
    bsn: category(C.BSN),
    address: category(C.CONTACT),
    nursingAddress: category(C.CONTACT),
    phone: category(C.CONTACT),
    email: category(C.CONTACT),
    insurance: category(C.INSURANCE),
    contacts: category(C.RELATIONS),
    generalPractitioner: category(C.ENCOUNTERS),
    careTeam: category(C.ENCOUNTERS),
    encounters: category(C.ENCOUNTERS),
    diagnoses: category(C.DIAGNOSES),
    allergies: category(C.DIAGNOSES),
    medications: category(C.MEDICATION),
    labResults: category(C.LAB),
    ecgs: category(C.ECG),
    imagingReports: category(C.IMAGING),
    documents: { kind: 'documents' },
    familyHistory: category(C.FAMILY_HISTORY),
    specialCategories: category(C.SPECIAL_CATEGORY),
    transfusion: category(C.TRANSFUSION),
    financialCodes: category(C.FINANCIAL),
    photographs: category(C.PHOTOS),
    portalNotes: category(C.PORTAL_NOTES),
    consents: category(C.CONSENTS),
    objections: category(C.CONSENTS),
  },
  ClinicalDocument: {
    ...containedType('id', 'type', 'title', 'authoredAt', 'author', 'body'),
    thirdPartySection: category(C.THIRD_PARTY),
  },
  FamilyHistoryEntry: {
    ...containedType('id', 'relationship', 'condition'),
    relativeName: category(C.THIRD_PARTY),
    relativeDetails: category(C.THIRD_PARTY),
  },
  HumanName: containedType('given', 'family'),
  Address: containedType('street', 'houseNumber', 'postalCode', 'city', 'country'),
  Insurance: containedType('insurerId', 'insurerName', 'policyNumber'),
  RelatedPerson: containedType('id', 'name', 'relationship', 'phone', 'email', 'isLegalRepresentative'),
  Practitioner: containedType('id', 'subject', 'name', 'role', 'organisation'),
  Encounter: containedType('id', 'kind', 'department', 'start', 'end'),
  Diagnosis: containedType('id', 'code', 'display', 'recordedAt'),
  Allergy: containedType('id', 'substance', 'reaction', 'severity'),
  Medication: containedType('id', 'name', 'dose', 'start', 'end'),
  LabResult: containedType('id', 'specimen', 'code', 'display', 'value', 'unit', 'referenceRange', 'observedAt'),
  Ecg: containedType('id', 'recordedAt', 'rhythm', 'interpretation'),
  ImagingReport: containedType('id', 'modality', 'bodySite', 'performedAt', 'conclusion', 'imageRef'),
  SpecialCategoryData: containedType('ethnicity', 'religion', 'sexualBehaviour', 'geneticFindings'),
  TransfusionRecord: containedType('aboRh', 'irregularAntibodies', 'lastTestedAt'),
  FinancialCode: containedType('id', 'dbcCode', 'openedOn', 'closedOn', 'tariffCents'),
  MedicalPhoto: containedType('id', 'takenAt', 'identifiable', 'uri'),
  PortalNote: containedType('id', 'text', 'createdAt'),
  Consent: containedType('id', 'channel', 'granted', 'decidedAt', 'decidedBy', 'coDecidedBy', 'confirmedAt', 'withdrawnAt'),
  Objection: containedType('id', 'kind', 'lodgedAt', 'lodgedBy', 'lodgedByRelation', 'evidenceRef', 'withdrawnAt'),
  DestructionRequest: containedType('id', 'patientId', 'scope', 'reason', 'status', 'requestedAt', 'requestedBy', 'decidedBy', 'decidedAt', 'decisionReason'),
  BreakGlassSession: containedType('id', 'patientId', 'reason', 'openedAt', 'expiresAt'),
  AccessEvent: containedType(
    'id', 'at', 'actorSubject', 'actorRole', 'actorOrganisation', 'onBehalfOf', 'purpose', 'action', 'patientId',
    'categoriesGranted', 'categoriesDenied', 'outcome', 'basis', 'breakGlassReason', 'requestId', 'proof',
  ),
  AccessEventProof: containedType('leafIndex', 'treeSize', 'leafHash', 'auditPath', 'checkpoint'),
  AccessLogVerification: containedType('ok', 'checked', 'firstBrokenEventId', 'problem', 'firstBrokenLeafIndex', 'missingEventId', 'treeSize', 'pending'),
  Principal: containedType('subject', 'role', 'purpose', 'organisation', 'boundPatientNumber', 'categories'),
  PageInfo: containedType('endCursor', 'hasNextPage'),
  PatientConnection: containedType('nodes', 'pageInfo'),
  AccessEventConnection: containedType('nodes', 'pageInfo'),
  // The research cohort: pseudonym, birth year and gender are the cohort's own (SPEC §6); the
  // record categories are decided per patient like anywhere else (the record carries patientId).
  ResearchRecord: {
    ...containedType('pseudonym', 'birthYear', 'gender'),
    diagnoses: category(C.DIAGNOSES),
    medications: category(C.MEDICATION),
    labResults: category(C.LAB),
  },
  ResearchRecordConnection: containedType('nodes', 'pageInfo'),
  RecordExport: containedType('format', 'generatedAt', 'contentType', 'data'),
  RevokedToken: containedType('jti', 'revokedAt', 'reason'),
  IssuedToken: containedType('jti', 'subject', 'role', 'organisation', 'patientNumber', 'scope', 'issuedAt', 'expiresAt', 'revokedAt', 'token'),
};
