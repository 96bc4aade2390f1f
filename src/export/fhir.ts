/**
 * The visible record as a FHIR R4 Bundle of type `collection` (SPEC §6, portability). A pure
 * mapping: it only ever sees what the policed schema released (record-query.ts), so a withheld
 * category simply has no resources. Each entry's fullUrl is `urn:uuid:<id>` of its row; resources
 * without a row of their own (coverage, care team, blood group, …) get an id derived from the
 * patient's.
 */
import { createHash } from 'node:crypto';
import type {
  Address, AllergyIntolerance, Bundle, CareTeam, ChargeItem, CodeableConcept, Coding, Condition, Consent, ContactPoint, Coverage,
  DiagnosticReport, DocumentReference, Encounter, FamilyMemberHistory, FhirResource, Identifier, Media, MedicationStatement,
  Observation, Patient, Reference,
} from 'fhir/r4';
import { resourceTypesOf } from '../policy/fhir-resources';
import { DOCUMENT_CATEGORY, DataCategory as C, DataCategory, DocumentType } from '../policy/vocabulary';
import type { VisibleAddress, VisibleRecord } from './export.types';
import { diagnosisCoding, labCoding, LOINC } from './terminology';

/** Every resource of the export has an id: its row's, or one derived from the patient's. */
export type ExportedResource = FhirResource & { id: string };
/** The export: a Bundle of type collection whose every entry has a urn:uuid fullUrl. */
export type RecordBundle = Bundle<ExportedResource> & { type: 'collection' };

/** The Dutch citizen service number, under its official NamingSystem (Nictiz). */
export const BSN_SYSTEM = 'http://fhir.nl/fhir/NamingSystem/bsn';
/** The hospital's patient number: a local identifier, named by this API (docs/fhir.md). */
export const PATIENT_NUMBER_SYSTEM = 'urn:patient-record-api:patient-number';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CONSENT_SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';

const GENDER = { FEMALE: 'female', MALE: 'male', OTHER: 'other', UNKNOWN: 'unknown' } as const;
const ENCOUNTER_CLASS = {
  ADMISSION: { system: ACT_CODE, code: 'IMP', display: 'inpatient encounter' },
  OUTPATIENT: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
  EMERGENCY: { system: ACT_CODE, code: 'EMER', display: 'emergency' },
} as const;
const DOCUMENT_TITLE: Record<DocumentType, string> = {
  GP_LETTER: 'Letter to the GP', DISCHARGE_LETTER: 'Discharge letter', TREATMENT_SUMMARY: 'Treatment summary',
  ADMISSION_SUMMARY: 'Admission summary', DISCHARGE_SUMMARY: 'Discharge summary', CONSULT_REPORT: 'Consult report',
  TREATMENT_PLAN: 'Treatment plan', OPERATION_REPORT: 'Operation report', ANAESTHESIA_REPORT: 'Anaesthesia report',
  PATHOLOGY_REPORT: 'Pathology report', FIRST_AID_REPORT: 'First-aid report', PATIENT_STATEMENT: 'Patient statement',
  SECOND_OPINION: 'Second opinion',
};

const coding = (system: string, code: string, display?: string): Coding => ({ system, code, ...(display ? { display } : {}) });
const text = (value: string): CodeableConcept => ({ text: value });
const observationCategory = (code: string, display: string): CodeableConcept[] => [{ coding: [coding(OBSERVATION_CATEGORY, code, display)] }];
const isNumeric = (value: string) => /^-?[0-9]+(\.[0-9]+)?$/.test(value);
const base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
/** Drops undefined elements and empty arrays (FHIR forbids empty arrays). */
const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;

/** A stable UUID for a resource that has no row of its own, derived from the patient's id. */
function derivedId(patientId: string, label: string): string {
  const h = createHash('sha256').update(`${patientId}:${label}`, 'utf8').digest('hex').split('');
  h[12] = '5';
  h[16] = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

function address(a: VisibleAddress, use: 'home' | 'temp'): Address {
  return { use, type: 'physical', line: [`${a.street} ${a.houseNumber}`], postalCode: a.postalCode, city: a.city, country: a.country };
}

function criticality(severity: string | undefined): AllergyIntolerance['criticality'] {
  if (!severity) return undefined;
  const s = severity.toLowerCase();
  if (['high', 'severe', 'life-threatening'].includes(s)) return 'high';
  if (['low', 'mild', 'moderate'].includes(s)) return 'low';
  return 'unable-to-assess';
}

type Row<T extends FhirResource> = T & { id: string };

const phone = (value: string): ContactPoint => ({ system: 'phone', value });
const email = (value: string): ContactPoint => ({ system: 'email', value });

function patientResource(r: VisibleRecord): Row<Patient> {
  const identifier: Identifier[] = [
    ...(r.bsn ? [{ use: 'official' as const, system: BSN_SYSTEM, value: r.bsn }] : []),
    ...(r.patientNumber ? [{ use: 'usual' as const, system: PATIENT_NUMBER_SYSTEM, value: r.patientNumber }] : []),
  ];
  return compact<Row<Patient>>({
    resourceType: 'Patient',
    id: r.id,
    identifier,
    name: r.name ? [{ use: 'official', text: `${r.name.given} ${r.name.family}`, family: r.name.family, given: [r.name.given] }] : undefined,
    telecom: [...(r.phone ? [phone(r.phone)] : []), ...(r.email ? [email(r.email)] : [])],
    gender: r.gender ? GENDER[r.gender] : undefined,
    birthDate: r.birthDate,
    address: [...(r.address ? [address(r.address, 'home')] : []), ...(r.nursingAddress ? [address(r.nursingAddress, 'temp')] : [])],
    contact: (r.contacts ?? []).map((c) => compact<NonNullable<Patient['contact']>[number]>({
      relationship: [text(c.relationship), ...(c.isLegalRepresentative ? [text('legal representative')] : [])],
      name: text(c.name),
      telecom: [...(c.phone ? [phone(c.phone)] : []), ...(c.email ? [email(c.email)] : [])],
    })),
    generalPractitioner: r.generalPractitioner?.name ? [{ display: r.generalPractitioner.name }] : undefined,
  });
}

/**
 * Collects the resources of one category; a resource type the policy table does not list for
 * that category is a mapping error, never sent (policy/fhir-resources.ts is the one source).
 */
function collector(out: ExportedResource[]) {
  return <T extends FhirResource>(category: DataCategory, resource: Row<T>): void => {
    if (!(resourceTypesOf(category) as string[]).includes(resource.resourceType)) {
      throw new Error(`${resource.resourceType} does not carry ${category} (src/policy/fhir-resources.ts)`);
    }
    out.push(resource as ExportedResource);
  };
}

/** Every resource of the visible record, the Patient first. */
function resources(r: VisibleRecord, generatedAt: Date): ExportedResource[] {
  const subject: Reference = { reference: `urn:uuid:${r.id}` };
  const today = generatedAt.toISOString().slice(0, 10);
  const out: ExportedResource[] = [];
  const add = collector(out);
  add<Patient>(C.IDENTITY, patientResource(r));

  if (r.insurance) {
    add<Coverage>(C.INSURANCE, {
      resourceType: 'Coverage', id: derivedId(r.id, 'coverage'), status: 'active', subscriberId: r.insurance.policyNumber,
      beneficiary: subject, payor: [{ identifier: { value: r.insurance.insurerId }, display: r.insurance.insurerName }],
    });
  }
  if (r.careTeam?.length) {
    add<CareTeam>(C.ENCOUNTERS, {
      resourceType: 'CareTeam', id: derivedId(r.id, 'care-team'), status: 'active', subject,
      participant: r.careTeam.map((p) => compact({ member: { display: p.name }, role: p.role ? [text(p.role)] : undefined })),
    });
  }
  for (const e of r.encounters ?? []) {
    add<Encounter>(C.ENCOUNTERS, compact<Row<Encounter>>({
      resourceType: 'Encounter', id: e.id, status: e.end ? 'finished' : 'in-progress', class: ENCOUNTER_CLASS[e.kind],
      serviceType: text(e.department), subject, period: compact({ start: e.start, end: e.end }),
    }));
  }
  for (const d of r.diagnoses ?? []) {
    add<Condition>(C.DIAGNOSES, { resourceType: 'Condition', id: d.id, code: { coding: [diagnosisCoding(d.code, d.display)], text: d.display }, subject, recordedDate: d.recordedAt });
  }
  for (const a of r.allergies ?? []) {
    add<AllergyIntolerance>(C.DIAGNOSES, compact<Row<AllergyIntolerance>>({
      resourceType: 'AllergyIntolerance', id: a.id,
      clinicalStatus: { coding: [coding('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active', 'Active')] },
      criticality: criticality(a.severity), code: text(a.substance), patient: subject,
      reaction: a.reaction ? [{ manifestation: [text(a.reaction)] }] : undefined,
    }));
  }
  for (const m of r.medications ?? []) {
    add<MedicationStatement>(C.MEDICATION, {
      resourceType: 'MedicationStatement', id: m.id, status: !m.end || m.end >= today ? 'active' : 'completed',
      medicationCodeableConcept: text(m.name), subject, effectivePeriod: compact({ start: m.start, end: m.end }), dosage: [{ text: m.dose }],
    });
  }
  for (const l of r.labResults ?? []) {
    add<Observation>(C.LAB, compact<Row<Observation>>({
      resourceType: 'Observation', id: l.id, status: 'final', category: observationCategory('laboratory', 'Laboratory'),
      code: { coding: [labCoding(l.code, l.display)], text: l.display }, subject, effectiveDateTime: l.observedAt,
      valueQuantity: isNumeric(l.value) ? compact({ value: Number(l.value), unit: l.unit }) : undefined,
      valueString: isNumeric(l.value) ? undefined : [l.value, l.unit].filter(Boolean).join(' '),
      referenceRange: l.referenceRange ? [text(l.referenceRange)] : undefined,
      specimen: { display: l.specimen === 'BLOOD' ? 'Blood' : 'Urine' },
    }));
  }
  if (r.transfusion) {
    const t = r.transfusion;
    add<Observation>(C.TRANSFUSION, {
      resourceType: 'Observation', id: derivedId(r.id, 'blood-group'), status: 'final', category: observationCategory('laboratory', 'Laboratory'),
      code: { coding: [coding(LOINC, '882-1', 'ABO and Rh group [Type] in Blood')] }, subject, effectiveDateTime: t.lastTestedAt, valueString: t.aboRh,
    });
    add<Observation>(C.TRANSFUSION, {
      resourceType: 'Observation', id: derivedId(r.id, 'irregular-antibodies'), status: 'final', category: observationCategory('laboratory', 'Laboratory'),
      code: { coding: [coding(LOINC, '890-4', 'Blood group antibody screen [Presence] in Serum or Plasma')], text: 'Irregular antibodies' },
      subject, effectiveDateTime: t.lastTestedAt, valueString: t.irregularAntibodies.length ? t.irregularAntibodies.join(', ') : 'none',
    });
  }
  for (const e of r.ecgs ?? []) {
    add<Observation>(C.ECG, {
      resourceType: 'Observation', id: e.id, status: 'final', category: observationCategory('procedure', 'Procedure'),
      code: { coding: [coding(LOINC, '11524-6', 'EKG study')], text: 'ECG' }, subject, effectiveDateTime: e.recordedAt,
      valueString: e.interpretation,
      component: [{ code: { coding: [coding(LOINC, '8884-9', 'Heart rate rhythm')] }, valueString: e.rhythm }],
    });
  }
  for (const i of r.imagingReports ?? []) {
    add<DiagnosticReport>(C.IMAGING, compact<Row<DiagnosticReport>>({
      resourceType: 'DiagnosticReport', id: i.id, status: 'final',
      category: [{ coding: [coding('http://terminology.hl7.org/CodeSystem/v2-0074', 'RAD', 'Radiology')] }],
      code: text(`${i.modality} ${i.bodySite}`), subject, effectiveDateTime: i.performedAt, conclusion: i.conclusion,
      media: i.imageRef ? [{ link: { identifier: { system: 'urn:ietf:rfc:3986', value: i.imageRef }, display: `${i.modality} images` } }] : undefined,
    }));
  }
  for (const d of r.documents ?? []) {
    const type = d.type as DocumentType;
    add<DocumentReference>(DOCUMENT_CATEGORY[type] ?? C.CLINICAL_NOTES, compact<Row<DocumentReference>>({
      resourceType: 'DocumentReference', id: d.id, status: 'current',
      type: text(DOCUMENT_TITLE[type] ?? d.type), category: DOCUMENT_CATEGORY[type] ? [text(DOCUMENT_CATEGORY[type])] : undefined,
      subject, date: d.authoredAt, author: d.author?.name ? [{ display: d.author.name }] : undefined, description: d.title,
      content: [{ attachment: { contentType: 'text/plain', data: base64(d.body), title: d.title } }],
    }));
  }
  for (const n of r.portalNotes ?? []) {
    add<DocumentReference>(C.PORTAL_NOTES, {
      resourceType: 'DocumentReference', id: n.id, status: 'current', type: text('Patient portal note'), subject, date: n.createdAt,
      author: [subject], content: [{ attachment: { contentType: 'text/plain', data: base64(n.text), title: 'Portal note' } }],
    });
  }
  for (const f of r.familyHistory ?? []) {
    // The relative is named by relationship only: who they are is THIRD_PARTY and never exported.
    add<FamilyMemberHistory>(C.FAMILY_HISTORY, { resourceType: 'FamilyMemberHistory', id: f.id, status: 'completed', patient: subject, relationship: text(f.relationship), condition: [{ code: text(f.condition) }] });
  }
  const s = r.specialCategories;
  if (s) {
    const socialHistory = observationCategory('social-history', 'Social History');
    const facts: Array<[string, string, string | undefined]> = [
      ['ethnicity', 'Ethnicity', s.ethnicity], ['religion', 'Religion or belief', s.religion], ['sexual-behaviour', 'Sexual behaviour', s.sexualBehaviour],
    ];
    for (const [label, what, value] of facts) {
      if (value) add<Observation>(C.SPECIAL_CATEGORY, { resourceType: 'Observation', id: derivedId(r.id, label), status: 'final', category: socialHistory, code: text(what), subject, valueString: value });
    }
    (s.geneticFindings ?? []).forEach((finding, n) => add<Observation>(C.SPECIAL_CATEGORY, {
      resourceType: 'Observation', id: derivedId(r.id, `genetic-finding:${n}`), status: 'final', category: observationCategory('laboratory', 'Laboratory'),
      code: text('Genetic finding'), subject, valueString: finding,
    }));
  }
  for (const c of r.financialCodes ?? []) {
    // A DBC care product is identified by its code only: no code system is claimed for it (docs/fhir.md).
    add<ChargeItem>(C.FINANCIAL, compact<Row<ChargeItem>>({
      resourceType: 'ChargeItem', id: c.id, identifier: [{ value: c.dbcCode }], status: 'billable', code: text(`DBC care product ${c.dbcCode}`), subject,
      occurrencePeriod: compact({ start: c.openedOn, end: c.closedOn }),
      priceOverride: c.tariffCents === undefined ? undefined : { value: c.tariffCents / 100, currency: 'EUR' },
    }));
  }
  for (const p of r.photographs ?? []) {
    add<Media>(C.PHOTOS, {
      resourceType: 'Media', id: p.id, status: 'completed', type: { coding: [coding('http://terminology.hl7.org/CodeSystem/media-type', 'image', 'Image')] },
      subject, createdDateTime: p.takenAt, content: { url: p.uri, ...(/\.jpe?g$/i.test(p.uri) ? { contentType: 'image/jpeg' } : {}) },
      note: [{ text: p.identifiable ? 'Identifiable photograph' : 'Non-identifiable photograph' }],
    });
  }
  const consentCategory: CodeableConcept[] = [{ coding: [coding(LOINC, '59284-0', 'Patient Consent')] }];
  const consentScope = (research: boolean): CodeableConcept => ({
    coding: [research ? coding(CONSENT_SCOPE, 'research', 'Research') : coding(CONSENT_SCOPE, 'patient-privacy', 'Privacy Consent')],
  });
  for (const c of r.consents ?? []) {
    add<Consent>(C.CONSENTS, compact<Row<Consent>>({
      resourceType: 'Consent', id: c.id, status: c.withdrawnAt ? 'inactive' : c.confirmedAt ? 'active' : 'proposed',
      scope: consentScope(c.channel === 'RESEARCH'), category: consentCategory, patient: subject, dateTime: c.decidedAt,
      performer: [c.decidedBy, c.coDecidedBy].filter((p): p is string => !!p).map((p) => ({ display: p })),
      policyRule: text(`Sharing consent for channel ${c.channel}`), provision: { type: c.granted ? 'permit' : 'deny' },
    }));
  }
  for (const o of r.objections ?? []) {
    add<Consent>(C.CONSENTS, {
      resourceType: 'Consent', id: o.id, status: o.withdrawnAt ? 'inactive' : 'active',
      scope: consentScope(o.kind === 'RESEARCH'), category: consentCategory, patient: subject, dateTime: o.lodgedAt,
      performer: [{ display: `${o.lodgedBy} (${o.lodgedByRelation})` }],
      policyRule: text(`Objection ${o.kind}`), provision: { type: 'deny' },
    });
  }
  return out;
}

/** The FHIR R4 Bundle (type collection) of a visible record. */
export function toFhirBundle(record: VisibleRecord, generatedAt: Date): RecordBundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp: generatedAt.toISOString(),
    entry: resources(record, generatedAt).map((resource) => ({ fullUrl: `urn:uuid:${resource.id}`, resource })),
  };
}
