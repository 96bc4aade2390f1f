/**
 * Each data category as FHIR R4 sees it, as data: the resource types that carry it (narrowed by a
 * `category` code where several categories share a type). One table for everything FHIR-facing:
 * the record export (export/fhir.ts) emits only these resource types for a category, SMART on
 * FHIR scopes are mapped to categories through it (auth/smart-scopes.ts), the FHIR access log
 * names purposes of use by the codes below, and schema/permissions.md renders it. A category
 * without resources never leaves as FHIR and no SMART scope reaches it.
 */
import { ALL_CATEGORIES, DataCategory as C, DataCategory, Purpose } from './vocabulary';

/** The FHIR R4 resource types the API produces. */
export type FhirResourceType =
  | 'Patient' | 'Coverage' | 'Encounter' | 'CareTeam' | 'Condition' | 'AllergyIntolerance' | 'MedicationStatement'
  | 'Observation' | 'DiagnosticReport' | 'DocumentReference' | 'FamilyMemberHistory' | 'ChargeItem' | 'Media'
  | 'Consent' | 'AuditEvent';

/** A FHIR resource type, narrowed by a `category` code when several data categories share it. */
export interface FhirResource {
  resourceType: FhirResourceType;
  category?: { system: string; code: string };
}

export interface FhirCarrier {
  /** The resources that carry the category; empty when it never leaves as FHIR. */
  resources: readonly FhirResource[];
  /** Where in them, for the reader of permissions.md. */
  where: string;
}

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const DIAGNOSTIC_SERVICE = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const observation = (code: string): FhirResource => ({ resourceType: 'Observation', category: { system: OBSERVATION_CATEGORY, code } });
const of = (...types: FhirResourceType[]): FhirResource[] => types.map((resourceType) => ({ resourceType }));

export const FHIR_RESOURCES: Readonly<Record<DataCategory, FhirCarrier>> = {
  [C.IDENTITY]: { resources: of('Patient'), where: 'Patient.name, birthDate, gender, identifier (patient number)' },
  [C.BSN]: { resources: of('Patient'), where: 'Patient.identifier with system http://fhir.nl/fhir/NamingSystem/bsn' },
  [C.CONTACT]: { resources: of('Patient'), where: 'Patient.address, telecom' },
  [C.INSURANCE]: { resources: of('Coverage'), where: 'Coverage (payor, subscriberId)' },
  [C.RELATIONS]: { resources: of('Patient'), where: 'Patient.contact' },
  [C.ENCOUNTERS]: { resources: of('Encounter', 'CareTeam', 'Patient'), where: 'Encounter, CareTeam, Patient.generalPractitioner' },
  [C.DIAGNOSES]: { resources: of('Condition', 'AllergyIntolerance'), where: 'Condition (ICD-10), AllergyIntolerance' },
  [C.MEDICATION]: { resources: of('MedicationStatement'), where: 'MedicationStatement' },
  [C.LAB]: { resources: [observation('laboratory')], where: 'Observation, category laboratory (LOINC)' },
  [C.ECG]: { resources: [observation('procedure')], where: 'Observation, category procedure (LOINC 11524-6)' },
  [C.IMAGING]: { resources: [{ resourceType: 'DiagnosticReport', category: { system: DIAGNOSTIC_SERVICE, code: 'RAD' } }], where: 'DiagnosticReport, category RAD' },
  [C.CORRESPONDENCE]: { resources: of('DocumentReference'), where: 'DocumentReference (letters)' },
  [C.SUMMARIES]: { resources: of('DocumentReference'), where: 'DocumentReference (summaries)' },
  [C.CLINICAL_NOTES]: { resources: of('DocumentReference'), where: 'DocumentReference (reports, plans, statements)' },
  [C.FAMILY_HISTORY]: { resources: of('FamilyMemberHistory'), where: 'FamilyMemberHistory (relationship and condition only)' },
  [C.THIRD_PARTY]: { resources: [], where: 'never exported: what concerns another person stays in the record' },
  [C.SPECIAL_CATEGORY]: { resources: [observation('social-history')], where: 'Observation, category social-history; genetic findings as laboratory' },
  [C.TRANSFUSION]: { resources: [observation('laboratory')], where: 'Observation (LOINC 882-1 blood group, 890-4 antibody screen)' },
  [C.FINANCIAL]: { resources: of('ChargeItem'), where: 'ChargeItem (DBC care product)' },
  [C.PHOTOS]: { resources: of('Media'), where: 'Media (image)' },
  [C.PORTAL_NOTES]: { resources: of('DocumentReference'), where: 'DocumentReference (patient portal note)' },
  [C.CONSENTS]: { resources: of('Consent'), where: 'Consent (sharing consents and objections)' },
  [C.ACCESS_LOG]: { resources: of('AuditEvent'), where: 'AuditEvent (IHE BALP), in a searchset Bundle' },
};

/** The resource types of a category, without category codes. */
export function resourceTypesOf(category: DataCategory): FhirResourceType[] {
  return [...new Set(FHIR_RESOURCES[category].resources.map((r) => r.resourceType))];
}

/** The categories a resource type may carry: all of the type, or those of one category code (a SMART scope's `?category=`). */
export function categoriesForResource(resourceType: string, category?: { system: string; code: string }): DataCategory[] {
  return ALL_CATEGORIES.filter((c) => FHIR_RESOURCES[c].resources.some((r) => r.resourceType === resourceType
    && (!category || (r.category?.system === category.system && r.category.code === category.code))));
}

/** Every resource type some category maps to (what `patient/*.rs` covers). */
export const SMART_RESOURCE_TYPES: readonly string[] = [...new Set(ALL_CATEGORIES.flatMap(resourceTypesOf))];

/**
 * SMART scopes that grant no data but are part of a normal SMART launch (OpenID Connect, launch
 * context, refresh tokens). They are known, so accepted; every other scope must map to categories.
 */
export const SMART_CONTEXT_SCOPES: readonly string[] = ['openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access'];

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
