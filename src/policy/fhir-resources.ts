/**
 * Each data category as FHIR R4 sees it: the resource types (and, where several categories share
 * one type, the category code) that carry it. One table for everything FHIR-facing: SMART on FHIR
 * scopes are mapped to categories through it (auth/smart-scopes.ts) and schema/permissions.md
 * renders it. A category without an entry has no FHIR counterpart and no SMART scope reaches it.
 */
import { DataCategory as C, DataCategory } from './vocabulary';

/** A FHIR resource type, narrowed by a `category` code when several data categories share it. */
export interface FhirResource {
  resourceType: string;
  category?: { system: string; code: string };
}

const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const DIAGNOSTIC_SERVICE = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const observation = (code: string): FhirResource => ({ resourceType: 'Observation', category: { system: OBSERVATION_CATEGORY, code } });
const resource = (resourceType: string): FhirResource => ({ resourceType });

/**
 * The FHIR resources of each category. Categories are the unit of release: a SMART scope for any
 * resource of a category releases that category (within the role and its gate), never more.
 */
export const SMART_RESOURCE_FOR_CATEGORY: Readonly<Record<DataCategory, readonly FhirResource[]>> = {
  [C.IDENTITY]: [resource('Patient')],
  [C.BSN]: [resource('Patient')],
  [C.CONTACT]: [resource('Patient')],
  [C.INSURANCE]: [resource('Coverage')],
  [C.RELATIONS]: [resource('RelatedPerson')],
  [C.ENCOUNTERS]: [resource('Encounter'), resource('Appointment')],
  [C.DIAGNOSES]: [resource('Condition'), resource('AllergyIntolerance')],
  [C.MEDICATION]: [resource('MedicationStatement')],
  [C.LAB]: [observation('laboratory')],
  [C.ECG]: [observation('procedure')],
  [C.IMAGING]: [{ resourceType: 'DiagnosticReport', category: { system: DIAGNOSTIC_SERVICE, code: 'RAD' } }, resource('ImagingStudy')],
  [C.CORRESPONDENCE]: [resource('DocumentReference')],
  [C.SUMMARIES]: [resource('DocumentReference')],
  [C.CLINICAL_NOTES]: [resource('DocumentReference')],
  [C.FAMILY_HISTORY]: [resource('FamilyMemberHistory')],
  // A relative's identity has no resource of its own that a scope could name: clinicians only, never via SMART.
  [C.THIRD_PARTY]: [],
  [C.SPECIAL_CATEGORY]: [observation('social-history')],
  [C.TRANSFUSION]: [observation('laboratory')],
  [C.FINANCIAL]: [resource('ChargeItem')],
  [C.PHOTOS]: [resource('Media')],
  // The patient's own notes are not part of the medical record exchanged over FHIR.
  [C.PORTAL_NOTES]: [],
  [C.CONSENTS]: [resource('Consent')],
  [C.ACCESS_LOG]: [resource('AuditEvent')],
};

/** The categories a SMART resource scope names: all of the type, or those of one category code. */
export function categoriesForResource(resourceType: string, category?: { system: string; code: string }): DataCategory[] {
  const out: DataCategory[] = [];
  for (const [name, resources] of Object.entries(SMART_RESOURCE_FOR_CATEGORY) as Array<[DataCategory, readonly FhirResource[]]>) {
    const match = resources.some((r) => r.resourceType === resourceType && (!category || (r.category?.system === category.system && r.category.code === category.code)));
    if (match) out.push(name);
  }
  return out;
}

/** Every resource type some category maps to (what `patient/*.rs` covers). */
export const SMART_RESOURCE_TYPES: readonly string[] = [...new Set(Object.values(SMART_RESOURCE_FOR_CATEGORY).flat().map((r) => r.resourceType))];

/**
 * SMART scopes that grant no data but are part of a normal SMART launch (OpenID Connect, launch
 * context, refresh tokens). They are known, so accepted; every other scope must map to categories.
 */
export const SMART_CONTEXT_SCOPES: readonly string[] = ['openid', 'fhirUser', 'profile', 'launch', 'launch/patient', 'launch/encounter', 'offline_access', 'online_access'];
