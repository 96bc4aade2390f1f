/**
 * Which FHIR R4 resources carry each data category, as data: the record export (export/fhir.ts)
 * emits only these resource types for a category, the FHIR access log names the category on
 * every event, and schema/permissions.md renders this table. The inverse (resource type → the
 * categories it may carry) is what a FHIR-aware client needs to know what a resource type reveals.
 */
import { ALL_CATEGORIES, DataCategory as C, DataCategory, Purpose } from './vocabulary';

/** The FHIR R4 resource types the API produces. */
export type FhirResourceType =
  | 'Patient' | 'Coverage' | 'Encounter' | 'CareTeam' | 'Condition' | 'AllergyIntolerance' | 'MedicationStatement'
  | 'Observation' | 'DiagnosticReport' | 'DocumentReference' | 'FamilyMemberHistory' | 'ChargeItem' | 'Media'
  | 'Consent' | 'AuditEvent';

export interface FhirCarrier {
  /** The resource types that carry the category; empty when it never leaves as FHIR. */
  resources: readonly FhirResourceType[];
  /** Where in them, for the reader of permissions.md. */
  where: string;
}

export const FHIR_RESOURCES: Record<DataCategory, FhirCarrier> = {
  [C.IDENTITY]: { resources: ['Patient'], where: 'Patient.name, birthDate, gender, identifier (patient number)' },
  [C.BSN]: { resources: ['Patient'], where: 'Patient.identifier with system http://fhir.nl/fhir/NamingSystem/bsn' },
  [C.CONTACT]: { resources: ['Patient'], where: 'Patient.address, telecom' },
  [C.INSURANCE]: { resources: ['Coverage'], where: 'Coverage (payor, subscriberId)' },
  [C.RELATIONS]: { resources: ['Patient'], where: 'Patient.contact' },
  [C.ENCOUNTERS]: { resources: ['Encounter', 'CareTeam', 'Patient'], where: 'Encounter, CareTeam, Patient.generalPractitioner' },
  [C.DIAGNOSES]: { resources: ['Condition', 'AllergyIntolerance'], where: 'Condition (ICD-10), AllergyIntolerance' },
  [C.MEDICATION]: { resources: ['MedicationStatement'], where: 'MedicationStatement' },
  [C.LAB]: { resources: ['Observation'], where: 'Observation, category laboratory (LOINC)' },
  [C.ECG]: { resources: ['Observation'], where: 'Observation, category procedure (LOINC 11524-6)' },
  [C.IMAGING]: { resources: ['DiagnosticReport'], where: 'DiagnosticReport, category RAD' },
  [C.CORRESPONDENCE]: { resources: ['DocumentReference'], where: 'DocumentReference (letters)' },
  [C.SUMMARIES]: { resources: ['DocumentReference'], where: 'DocumentReference (summaries)' },
  [C.CLINICAL_NOTES]: { resources: ['DocumentReference'], where: 'DocumentReference (reports, plans, statements)' },
  [C.FAMILY_HISTORY]: { resources: ['FamilyMemberHistory'], where: 'FamilyMemberHistory (relationship and condition only)' },
  [C.THIRD_PARTY]: { resources: [], where: 'never exported: what concerns another person stays in the record' },
  [C.SPECIAL_CATEGORY]: { resources: ['Observation'], where: 'Observation, category social-history; genetic findings as laboratory' },
  [C.TRANSFUSION]: { resources: ['Observation'], where: 'Observation (LOINC 882-1 blood group, 890-9 antibody screen)' },
  [C.FINANCIAL]: { resources: ['ChargeItem'], where: 'ChargeItem (DBC care product)' },
  [C.PHOTOS]: { resources: ['Media'], where: 'Media (image)' },
  [C.PORTAL_NOTES]: { resources: ['DocumentReference'], where: 'DocumentReference (patient portal note)' },
  [C.CONSENTS]: { resources: ['Consent'], where: 'Consent (sharing consents and objections)' },
  [C.ACCESS_LOG]: { resources: ['AuditEvent'], where: 'AuditEvent (IHE BALP), in a searchset Bundle' },
};

/** The categories a resource type may carry (the inverse of FHIR_RESOURCES). */
export function categoriesCarriedBy(resourceType: string): DataCategory[] {
  return ALL_CATEGORIES.filter((c) => (FHIR_RESOURCES[c].resources as readonly string[]).includes(resourceType));
}

/** HL7 v3 ActReason, the code system of FHIR's PurposeOfUse value set. */
export const PURPOSE_OF_USE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/** Each purpose of use as the v3 PurposeOfUse code an audit consumer (a SIEM, a national exchange) knows. */
export const PURPOSE_OF_USE: Record<Purpose, { code: string; display: string }> = {
  [Purpose.TREATMENT]: { code: 'TREAT', display: 'treatment' },
  [Purpose.EMERGENCY]: { code: 'ETREAT', display: 'Emergency Treatment' },
  // The GP and the duty doctor read for the care they give: treatment, not a purpose of their own.
  [Purpose.CARE_EXCHANGE]: { code: 'TREAT', display: 'treatment' },
  [Purpose.TRANSFUSION_SAFETY]: { code: 'PATSFTY', display: 'patient safety' },
  [Purpose.BILLING]: { code: 'HPAYMT', display: 'healthcare payment' },
  [Purpose.PERSONAL_ACCESS]: { code: 'PATRQT', display: 'patient requested' },
  [Purpose.RESEARCH]: { code: 'HRESCH', display: 'healthcare research' },
  [Purpose.ACCOUNTABILITY]: { code: 'HCOMPL', display: 'health compliance' },
};
