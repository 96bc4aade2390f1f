/**
 * The demo seed of CONTRACT.md ("Demo directory"): practitioners, four patients and their record.
 * Deterministic: ids come from demoId(), timestamps are fixed; only the 13-year-old's birth date
 * (and the representation that starts at birth) depends on `now`.
 *
 * Distinctive values (lab values, document prose, names of relatives, …) appear in one place
 * only, so permission tests can search a response for a value and know which field leaked it.
 * Document bodies therefore do not repeat names of relatives, medication names, lab values or
 * codes of other categories.
 */
import type { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { CareRelationship } from '../../record/care/care-relationship.entity';
import { GpRegistration } from '../../record/care/gp-registration.entity';
import { RelatedPerson } from '../../record/care/related-person.entity';
import { Representation } from '../../record/care/representation.entity';
import { Allergy } from '../../record/clinical/allergy.entity';
import { Diagnosis } from '../../record/clinical/diagnosis.entity';
import { Encounter } from '../../record/clinical/encounter.entity';
import { FamilyHistoryEntry } from '../../record/clinical/family-history-entry.entity';
import { Medication } from '../../record/clinical/medication.entity';
import { SpecialCategoryData } from '../../record/clinical/special-category-data.entity';
import { TransfusionRecord } from '../../record/clinical/transfusion-record.entity';
import { Consent } from '../../record/consent/consent.entity';
import { Objection } from '../../record/consent/objection.entity';
import { ClinicalDocument } from '../../record/documents/clinical-document.entity';
import {
  ConsentChannel, DocumentType, EncounterKind, Gender, LabSpecimen, ObjectionKind, RepresentationKind, Role,
} from '../../record/enums';
import { FinancialCode } from '../../record/financial/financial-code.entity';
import { Insurance } from '../../record/financial/insurance.entity';
import { isValidBsn } from '../../record/patient/bsn';
import { Patient } from '../../record/patient/patient.entity';
import { MedicalPhoto } from '../../record/photos/medical-photo.entity';
import { PortalNote } from '../../record/portal/portal-note.entity';
import { Practitioner } from '../../record/practitioner/practitioner.entity';
import { Ecg } from '../../record/results/ecg.entity';
import { ImagingReport } from '../../record/results/imaging-report.entity';
import { LabResult } from '../../record/results/lab-result.entity';
import { ResearchStudy, ResearchStudyApproval } from '../../research/research-study.entity';
import { DEMO_PRINCIPALS, DEMO_STUDIES } from './directory';
import { demoId, demoPatientId, demoPractitionerId } from './ids';

export const DEMO_PATIENT_NUMBERS = ['P-0001', 'P-0002', 'P-0003', 'P-0004'] as const;
export type DemoPatientNumber = (typeof DEMO_PATIENT_NUMBERS)[number];

/** The age of the demo minor (P-0003) on the day of seeding. */
export const DEMO_MINOR_AGE = 13;

/** Is there no patient at all yet (then `npm start` seeds the demo)? */
export async function isDatabaseEmpty(manager: EntityManager): Promise<boolean> {
  return (await manager.count(Patient)) === 0;
}

/** The date `years` years before `now` (same month and day, 29 Feb → 28 Feb), as YYYY-MM-DD in UTC. */
export function dateYearsBefore(now: Date, years: number): string {
  const year = now.getUTCFullYear() - years;
  const month = now.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(now.getUTCDate(), lastDay);
  return `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Inserts the whole demo directory through `manager`; the caller provides the transaction. */
export async function seedDemo(manager: EntityManager, now: Date = new Date()): Promise<void> {
  const patients = demoPatients(now);
  for (const p of patients) {
    if (!isValidBsn(p.bsn)) throw new Error(`demo seed: BSN of ${p.patientNumber} fails the 11-test`);
  }

  await insertAll(manager, Practitioner, demoPractitioners());
  await manager.insert(ResearchStudy, DEMO_STUDIES.map(({ id, title }) => ({ id, title })));
  await manager.insert(ResearchStudyApproval, DEMO_STUDIES.flatMap((s) => s.approvedResearchers.map((researcherSubject) => ({
    researcherSubject, studyId: s.id, approvedAt: at(s.approvedAt),
  }))));
  await insertAll(manager, Patient, patients.map(patientRow));
  await insertAll(manager, RelatedPerson, patients.flatMap((p) => p.contacts.map((c) => ({
    ...c, id: relatedPersonId(p.patientNumber, c.name), patientId: demoPatientId(p.patientNumber),
  }))));
  await insertAll(manager, Representation, demoRepresentations(now));
  await insertAll(manager, CareRelationship, owned('care-relationship', patients, (p) => p.careRelationships.map((c) => ({
    practitionerId: demoPractitionerId(c.clinician), department: c.department, validFrom: c.validFrom, validTo: null,
  }))));
  await insertAll(manager, GpRegistration, owned('gp-registration', patients, (p) => p.gpRegistrations.map((g) => ({
    practitionerId: demoPractitionerId(g.gp), validFrom: g.validFrom, validTo: g.validTo,
  }))));
  await insertAll(manager, Insurance, owned('insurance', patients, (p) => [p.insurance]));
  await insertAll(manager, Encounter, owned('encounter', patients, (p) => p.encounters));
  await insertAll(manager, Diagnosis, owned('diagnosis', patients, (p) => p.diagnoses));
  await insertAll(manager, Allergy, owned('allergy', patients, (p) => p.allergies));
  await insertAll(manager, Medication, owned('medication', patients, (p) => p.medications));
  await insertAll(manager, LabResult, owned('lab-result', patients, (p) => p.labResults));
  await insertAll(manager, Ecg, owned('ecg', patients, (p) => p.ecgs));
  await insertAll(manager, ImagingReport, owned('imaging-report', patients, (p) => p.imagingReports));
  await insertAll(manager, ClinicalDocument, owned('clinical-document', patients, (p) => p.documents.map((d) => ({
    type: d.type, title: d.title, authoredAt: d.authoredAt, body: d.body,
    authorId: d.author ? demoPractitionerId(d.author) : null, thirdPartySection: d.thirdPartySection ?? null,
  }))));
  await insertAll(manager, FamilyHistoryEntry, owned('family-history-entry', patients, (p) => p.familyHistory));
  await insertAll(manager, SpecialCategoryData, owned('special-category-data', patients, (p) => (p.specialCategories ? [p.specialCategories] : [])));
  await insertAll(manager, TransfusionRecord, owned('transfusion-record', patients, (p) => (p.transfusion ? [p.transfusion] : [])));
  await insertAll(manager, FinancialCode, owned('financial-code', patients, (p) => p.financialCodes));
  await insertAll(manager, MedicalPhoto, owned('medical-photo', patients, (p) => p.photographs));
  await insertAll(manager, PortalNote, owned('portal-note', patients, (p) => p.portalNotes));
  await insertAll(manager, Consent, owned('consent', patients, (p) => p.consents.map((c) => ({
    channel: c.channel, granted: true, decidedAt: c.decidedAt, decidedBy: p.patientNumber, decidedByRole: Role.PATIENT,
    coDecidedBy: null, confirmedAt: c.decidedAt, withdrawnAt: null,
  }))));
  await insertAll(manager, Objection, owned('objection', patients, (p) => p.objections.map((o) => ({
    kind: o.kind, lodgedAt: o.lodgedAt, lodgedBy: p.patientNumber, lodgedByRelation: 'SELF',
    evidenceRef: null, withdrawnAt: null, withdrawnBy: null,
  }))));
}

// ---------------------------------------------------------------------------------------------
// Plumbing

type Row<T> = QueryDeepPartialEntity<T> & { id: string };
/** The fields of a patient-owned row that the seed spells out (id and patient are added). */
type Fields<T> = Omit<T, 'id' | 'patientId' | 'patient'>;

async function insertAll<T extends object>(manager: EntityManager, entity: new () => T, rows: Row<T>[]): Promise<void> {
  if (rows.length > 0) await manager.insert(entity, rows);
}

/** Rows of one table for every patient, with ids `table:P-000n:i` and the patient reference. */
function owned<R extends object>(table: string, patients: PatientSeed[], rowsOf: (p: PatientSeed) => R[]): Array<R & { id: string; patientId: string }> {
  return patients.flatMap((p) => rowsOf(p).map((row, i) => ({
    ...row, id: demoId(`${table}:${p.patientNumber}:${i + 1}`), patientId: demoPatientId(p.patientNumber),
  })));
}

function relatedPersonId(patientNumber: string, name: string): string {
  return demoId(`related-person:${patientNumber}:${name}`);
}

const at = (iso: string): Date => new Date(iso);

// ---------------------------------------------------------------------------------------------
// Practitioners and representations

/** Every demo principal that works for an organisation (not patients or their representatives). */
function demoPractitioners(): Row<Practitioner>[] {
  return DEMO_PRINCIPALS
    // Patients, representatives and services are not practitioners.
    .filter((p) => p.role !== Role.PATIENT && p.role !== Role.LEGAL_REPRESENTATIVE && p.role !== Role.GP_PORTAL_SERVICE)
    .map((p) => ({ id: demoPractitionerId(p.subject), subject: p.subject, name: p.name, role: p.role, organisation: p.organisation ?? null }));
}

function demoRepresentations(now: Date): Row<Representation>[] {
  const birthDate = dateYearsBefore(now, DEMO_MINOR_AGE);
  return [{
    id: demoId('representation:P-0003:rep-smit'),
    patientId: demoPatientId('P-0003'),
    representativeSubject: 'rep-smit',
    relatedPersonId: relatedPersonId('P-0003', 'Petra Smit'),
    kind: RepresentationKind.PARENT,
    agreedByChild: true,
    validFrom: at(`${birthDate}T00:00:00Z`),
    validTo: null,
  }];
}

// ---------------------------------------------------------------------------------------------
// The patients

interface AddressSeed { street: string; houseNumber: string; postalCode: string; city: string; country: string }
interface DocumentSeed {
  type: DocumentType;
  title: string;
  authoredAt: Date;
  /** Subject of the authoring practitioner; null for the patient's own or external documents. */
  author: string | null;
  body: string;
  thirdPartySection?: string;
}

interface PatientSeed {
  patientNumber: DemoPatientNumber;
  givenName: string;
  familyName: string;
  birthDate: string;
  gender: Gender;
  bsn: string;
  address: AddressSeed;
  nursingAddress?: AddressSeed;
  phone: string;
  email: string;
  createdAt: Date;
  contacts: Array<Omit<Fields<RelatedPerson>, 'id'>>;
  careRelationships: Array<{ clinician: string; department: string; validFrom: Date }>;
  gpRegistrations: Array<{ gp: string; validFrom: Date; validTo: Date | null }>;
  insurance: Fields<Insurance>;
  encounters: Fields<Encounter>[];
  diagnoses: Fields<Diagnosis>[];
  allergies: Fields<Allergy>[];
  medications: Fields<Medication>[];
  labResults: Fields<LabResult>[];
  ecgs: Fields<Ecg>[];
  imagingReports: Fields<ImagingReport>[];
  documents: DocumentSeed[];
  familyHistory: Fields<FamilyHistoryEntry>[];
  specialCategories?: Fields<SpecialCategoryData>;
  transfusion?: Fields<TransfusionRecord>;
  financialCodes: Fields<FinancialCode>[];
  photographs: Fields<MedicalPhoto>[];
  portalNotes: Fields<PortalNote>[];
  consents: Array<{ channel: ConsentChannel; decidedAt: Date }>;
  objections: Array<{ kind: ObjectionKind; lodgedAt: Date }>;
}

function patientRow(p: PatientSeed): Row<Patient> {
  return {
    id: demoPatientId(p.patientNumber),
    patientNumber: p.patientNumber,
    givenName: p.givenName,
    familyName: p.familyName,
    birthDate: p.birthDate,
    gender: p.gender,
    bsn: p.bsn,
    address: p.address,
    ...(p.nursingAddress ? { nursingAddress: p.nursingAddress } : {}),
    phone: p.phone,
    email: p.email,
    managingOrganisation: 'LUMC',
    createdAt: p.createdAt,
  };
}

const lab = (specimen: LabSpecimen, code: string, display: string, value: string, unit: string | null,
  referenceRange: string | null, observedAt: string): Fields<LabResult> =>
  ({ specimen, code, display, value, unit, referenceRange, observedAt: at(observedAt) });

function demoPatients(now: Date): PatientSeed[] {
  return [annaDeVries(), bramBakker(), chrisSmit(now), dirkJanssen()];
}

/** P-0001: every category filled; GP_VIEW, LSP, RESEARCH and PHOTOGRAPHY consent granted. */
function annaDeVries(): PatientSeed {
  return {
    patientNumber: 'P-0001',
    givenName: 'Anna',
    familyName: 'de Vries',
    birthDate: '1980-04-12',
    gender: Gender.FEMALE,
    bsn: '111222333',
    address: { street: 'Breestraat', houseNumber: '117', postalCode: '2311 CL', city: 'Leiden', country: 'NL' },
    nursingAddress: { street: 'Wilhelmina Druckerstraat', houseNumber: '65', postalCode: '2401 KB', city: 'Alphen aan den Rijn', country: 'NL' },
    phone: '+31 6 2841 7730',
    email: 'anna.devries@example.nl',
    createdAt: at('2023-02-14T08:05:00+01:00'),
    contacts: [
      { name: 'Mark Verhoeven', relationship: 'partner', phone: '+31 6 1877 4620', email: 'mark.verhoeven@example.nl', isLegalRepresentative: false },
    ],
    careRelationships: [{ clinician: 'clin-dekker', department: 'Interne Geneeskunde', validFrom: at('2023-02-14T09:00:00+01:00') }],
    gpRegistrations: [{ gp: 'gp-jansen', validFrom: at('2008-06-01T00:00:00+02:00'), validTo: null }],
    insurance: { insurerId: 'INS-ALPHA', insurerName: 'Alpha Zorgverzekeraar', policyNumber: 'ALP-2210-4837-15' },
    encounters: [
      { kind: EncounterKind.ADMISSION, department: 'Interne Geneeskunde', start: at('2024-05-13T14:20:00+02:00'), end: at('2024-05-18T11:00:00+02:00') },
      { kind: EncounterKind.OUTPATIENT, department: 'Dermatologie', start: at('2024-10-08T10:30:00+02:00'), end: at('2024-10-08T10:55:00+02:00') },
      { kind: EncounterKind.EMERGENCY, department: 'Spoedeisende Hulp', start: at('2025-01-20T22:41:00+01:00'), end: at('2025-01-21T03:15:00+01:00') },
      { kind: EncounterKind.OUTPATIENT, department: 'Orthopedie', start: at('2025-03-05T11:00:00+01:00'), end: at('2025-03-05T11:25:00+01:00') },
      { kind: EncounterKind.ADMISSION, department: 'Orthopedie (dagbehandeling)', start: at('2025-03-18T07:30:00+01:00'), end: at('2025-03-18T15:45:00+01:00') },
    ],
    diagnoses: [
      { code: 'E11.9', display: 'Type 2 diabetes mellitus without complications', recordedAt: at('2023-02-14T09:40:00+01:00') },
      { code: 'I10', display: 'Essential (primary) hypertension', recordedAt: at('2023-02-14T09:42:00+01:00') },
      { code: 'J18.1', display: 'Lobar pneumonia, unspecified organism', recordedAt: at('2024-05-13T16:05:00+02:00') },
      { code: 'D22.6', display: 'Melanocytic naevi of upper limb, including shoulder', recordedAt: at('2024-10-15T13:35:00+02:00') },
      { code: 'S83.2', display: 'Tear of meniscus, current injury', recordedAt: at('2025-03-05T11:20:00+01:00') },
    ],
    allergies: [
      { substance: 'Penicillin (benzylpenicillin and derivatives)', reaction: 'Urticaria and angioedema of the lips', severity: 'high' },
      { substance: 'Natural rubber latex', reaction: 'Contact dermatitis of the hands', severity: 'low' },
    ],
    medications: [
      { name: 'Metformin', dose: '500 mg 2dd', start: '2023-02-14', end: null },
      { name: 'Lisinopril', dose: '10 mg 1dd', start: '2023-02-14', end: null },
      { name: 'Doxycycline', dose: '100 mg 1dd (first day 200 mg)', start: '2024-05-13', end: '2024-05-20' },
      { name: 'Naproxen', dose: '250 mg 3dd as needed', start: '2025-03-18', end: '2025-04-01' },
    ],
    labResults: [
      lab(LabSpecimen.BLOOD, '718-7', 'Hemoglobin [Moles/volume] in Blood', '7.62', 'mmol/L', '7.5-10.0', '2024-05-14T07:45:00+02:00'),
      lab(LabSpecimen.BLOOD, '718-7', 'Hemoglobin [Moles/volume] in Blood', '8.43', 'mmol/L', '7.5-10.0', '2025-02-11T08:12:00+01:00'),
      lab(LabSpecimen.BLOOD, '14749-6', 'Glucose [Moles/volume] in Serum or Plasma', '7.86', 'mmol/L', '4.0-7.8', '2025-02-11T08:12:00+01:00'),
      lab(LabSpecimen.BLOOD, '59261-8', 'Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol', '51.7', 'mmol/mol', '<53', '2025-02-11T08:12:00+01:00'),
      lab(LabSpecimen.BLOOD, '14682-9', 'Creatinine [Moles/volume] in Serum or Plasma', '71.3', 'umol/L', '45-90', '2025-02-11T08:12:00+01:00'),
      lab(LabSpecimen.BLOOD, '2823-3', 'Potassium [Moles/volume] in Serum or Plasma', '4.37', 'mmol/L', '3.5-5.0', '2025-02-11T08:12:00+01:00'),
      lab(LabSpecimen.BLOOD, '1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma', '126.4', 'mg/L', '<10', '2024-05-13T15:10:00+02:00'),
      lab(LabSpecimen.URINE, '5811-5', 'Specific gravity of Urine by Test strip', '1.024', null, '1.005-1.030', '2025-02-11T08:20:00+01:00'),
      lab(LabSpecimen.URINE, '32294-1', 'Albumin/Creatinine [Ratio] in Urine', '3.84', 'mg/mmol', '<3.0', '2025-02-11T08:20:00+01:00'),
      lab(LabSpecimen.URINE, '5803-2', 'pH of Urine by Test strip', '5.5', null, '5.0-8.0', '2025-02-11T08:20:00+01:00'),
    ],
    ecgs: [
      { recordedAt: at('2024-05-13T15:02:00+02:00'), rhythm: 'Sinus rhythm, 88/min', interpretation: 'Normal sinus rhythm at 88 bpm, PR 162 ms, QRS 94 ms, QTc 418 ms; no signs of ischaemia.' },
      { recordedAt: at('2025-01-20T23:05:00+01:00'), rhythm: 'Sinus tachycardia, 108/min', interpretation: 'Sinus tachycardia at 108 bpm during a febrile episode; incomplete right bundle branch block; QTc 431 ms.' },
    ],
    imagingReports: [
      {
        modality: 'X-ray', bodySite: 'Thorax', performedAt: at('2024-05-13T15:30:00+02:00'),
        conclusion: 'Consolidation in the right lower lobe consistent with pneumonia; no pleural effusion; cardiothoracic ratio 0.46.',
        imageRef: 'pacs://lumc/1.2.840.113619.2.55.3.604688119.971.1715607000.101',
      },
      {
        modality: 'MRI', bodySite: 'Knee, right', performedAt: at('2025-02-27T19:10:00+01:00'),
        conclusion: 'Complex tear of the posterior horn of the medial meniscus, right knee; grade 2 chondropathy of the medial femoral condyle.',
        imageRef: 'pacs://lumc/1.2.840.113619.2.55.3.604688119.971.1740679800.202',
      },
    ],
    documents: [
      {
        type: DocumentType.GP_LETTER, title: 'Brief aan huisarts: poliklinische controle na opname Interne Geneeskunde',
        authoredAt: at('2024-06-04T16:10:00+02:00'), author: 'clin-dekker',
        body: 'Dear colleague Jansen, we saw your patient Mrs A. de Vries (born 1980) at the internal medicine outpatient clinic on 4 June 2024, '
          + 'two weeks after her admission for a right lower lobe pneumonia. She has recovered well: no fever, exercise tolerance back to baseline, '
          + 'the chest is clear on auscultation. Glycaemic control deteriorated during the infection but has returned to her usual level; we left her '
          + 'oral glucose-lowering therapy unchanged. Blood pressure today 138/86 mmHg. We will see her again in six months. '
          + 'Kind regards, Dr. E. Dekker, internist, LUMC.',
        thirdPartySection: 'Her sister, Eva de Vries (born 1983), who accompanied her, mentioned that she herself was recently diagnosed with '
          + 'hereditary haemochromatosis and asked whether Anna should be screened; we advised the sister to discuss this with her own GP.',
      },
      {
        type: DocumentType.DISCHARGE_LETTER, title: 'Ontslagbrief Interne Geneeskunde, opname 13-05-2024 t/m 18-05-2024',
        authoredAt: at('2024-05-18T11:30:00+02:00'), author: 'clin-dekker',
        body: 'Dear colleague, Mrs de Vries was admitted from 13 to 18 May 2024 with a community-acquired pneumonia of the right lower lobe '
          + '(CURB-65 score 1). Because of a documented drug allergy she was treated with an alternative oral antibiotic for seven days. '
          + 'Supplemental oxygen was stopped on day 2. Her glucose levels were temporarily high and were managed with a correction scheme. '
          + 'She was discharged home in good condition; follow-up at the internal medicine outpatient clinic in 2 to 3 weeks. With kind regards, Dr. E. Dekker.',
      },
      {
        type: DocumentType.TREATMENT_SUMMARY, title: 'Behandelsamenvatting diabetes en hypertensie 2023-2025',
        authoredAt: at('2025-04-02T09:00:00+02:00'), author: 'clin-dekker',
        body: 'Summary of treatment at the LUMC diabetes outpatient clinic from February 2023 to April 2025. Diabetes mellitus type 2 diagnosed in '
          + 'February 2023, treated with lifestyle advice and oral therapy; diabetes education by the nurse specialist in March 2023; annual foot '
          + 'and eye screening without abnormalities (fundus photography November 2024 normal). Raised blood pressure treated since 2023; home '
          + 'readings in 2025 average 131/82 mmHg. Goal: stable glycaemic control without hypoglycaemia. Next review October 2025.',
      },
      {
        type: DocumentType.ADMISSION_SUMMARY, title: 'Opnamesamenvatting Interne Geneeskunde 13-05-2024',
        authoredAt: at('2024-05-13T17:45:00+02:00'), author: 'clin-dekker',
        body: 'Admitted via the emergency department on 13 May 2024. History: four days of productive cough, fever up to 39.4 °C and right-sided '
          + 'pleuritic chest pain. Known with diabetes mellitus type 2 and raised blood pressure. Examination: temperature 38.9 °C, respiratory rate '
          + '24/min, saturation 92% on room air, crackles right basal. Working diagnosis: community-acquired pneumonia. Plan: oral antibiotic '
          + 'therapy, blood cultures, capillary glucose four times daily.',
      },
      {
        type: DocumentType.DISCHARGE_SUMMARY, title: 'Ontslagsamenvatting Interne Geneeskunde 18-05-2024',
        authoredAt: at('2024-05-18T10:15:00+02:00'), author: 'clin-dekker',
        body: 'Course of admission 13 to 18 May 2024: rapid clinical improvement on oral antibiotics; blood cultures remained sterile, the sputum '
          + 'culture grew Streptococcus pneumoniae. Saturation normal on room air from day 3. Discharged home, independent in daily activities, '
          + 'with the home medication unchanged and the antibiotic course to be completed. The patient was informed about warning signs.',
      },
      {
        type: DocumentType.CONSULT_REPORT, title: 'Consult Maag-Darm-Leverziekten tijdens opname',
        authoredAt: at('2024-05-16T14:05:00+02:00'), author: 'clin-dekker',
        body: 'Consult requested because of mildly elevated liver enzymes during the pneumonia admission of Mrs de Vries. No abdominal complaints, '
          + 'no alcohol use; abdominal ultrasound shows mild steatosis without focal lesions. Conclusion: liver test abnormalities most likely due '
          + 'to the infection and fatty liver; hepatitis serology requested. Advice: repeat the liver tests in six weeks via the GP.',
        thirdPartySection: 'Background given by the patient: her brother, Joost de Vries (born 1986), is a known carrier of chronic hepatitis B '
          + 'treated at the Erasmus MC; the patient shared a household with him until 2004.',
      },
      {
        type: DocumentType.TREATMENT_PLAN, title: 'Behandelplan knieklachten rechts',
        authoredAt: at('2025-03-05T11:20:00+01:00'), author: 'clin-dekker',
        body: 'Plan agreed with Mrs de Vries on 5 March 2025 after the MRI of her right knee: (1) arthroscopic partial meniscectomy as a day case '
          + 'on 18 March 2025; (2) perioperative glucose protocol for patients on oral diabetes therapy; (3) physiotherapy for six weeks starting '
          + 'in week 2; (4) no running before week 8. Conservative treatment with physiotherapy alone was discussed; she prefers surgery because '
          + 'of locking complaints.',
      },
      {
        type: DocumentType.OPERATION_REPORT, title: 'Operatieverslag artroscopische partiële meniscectomie knie rechts',
        authoredAt: at('2025-03-18T10:40:00+01:00'), author: 'clin-dekker',
        body: 'Procedure: arthroscopy of the right knee with partial medial meniscectomy through anterolateral and anteromedial portals. Findings: '
          + 'a complex posterior-horn lesion of the medial meniscus with a displaced flap; softened cartilage of the medial femoral condyle; lateral '
          + 'compartment and cruciate ligaments intact. The unstable flap was resected to a stable rim with punch and shaver. Portals closed with '
          + 'Ethilon 3-0. Minimal blood loss. Full weight bearing as tolerated; stitches out after 10 to 14 days at the GP practice.',
      },
      {
        type: DocumentType.ANAESTHESIA_REPORT, title: 'Anesthesieverslag dagbehandeling 18-03-2025',
        authoredAt: at('2025-03-18T09:05:00+01:00'), author: 'clin-dekker',
        body: 'ASA II (diabetes on oral therapy, treated blood pressure). Pre-operative capillary glucose within the perioperative target range. '
          + 'General anaesthesia with propofol and remifentanil, laryngeal mask size 4, uneventful induction and emergence. Antibiotic prophylaxis '
          + 'adjusted in line with the allergy register. PONV prophylaxis with dexamethasone 4 mg and ondansetron 4 mg. Duration of anaesthesia '
          + '48 minutes. Recovery: pain score 2/10; discharged home the same afternoon, accompanied by an adult.',
      },
      {
        type: DocumentType.PATHOLOGY_REPORT, title: 'Pathologieverslag T24-18842: huidexcisie linker onderarm',
        authoredAt: at('2024-10-15T13:30:00+02:00'), author: 'clin-dekker',
        body: 'Material: excision of a pigmented lesion of the left forearm, 9 x 5 mm with a 2 mm margin. Microscopy: symmetrical, well-circumscribed '
          + 'melanocytic proliferation with junctional nests and a dermal component, maturation towards the depth, no atypia, no mitoses. '
          + 'Conclusion: compound naevus without dysplasia, radically excised (smallest margin 1.8 mm). No further treatment required.',
      },
      {
        type: DocumentType.FIRST_AID_REPORT, title: 'SEH-verslag 20-01-2025',
        authoredAt: at('2025-01-21T03:20:00+01:00'), author: 'clin-dekker',
        body: 'Presented at the emergency department at 22:41 with fever, chills and palpitations since the afternoon. Triage MTS orange. '
          + 'Temperature 39.1 °C, heart rate 108 per minute and regular, blood pressure 112/70 mmHg, saturation 97%. No focus on examination apart '
          + 'from pharyngeal redness; chest clear. Influenza A PCR positive. Treated with paracetamol and oral fluids; palpitations resolved as the '
          + 'fever decreased. Discharged home at 03:15; contact the GP if symptoms worsen.',
      },
      {
        type: DocumentType.PATIENT_STATEMENT, title: 'Aanvulling van patiënte op het SEH-verslag van 20 januari 2025',
        authoredAt: at('2025-02-01T20:14:00+01:00'), author: null,
        body: 'I would like to add to the emergency department report that my fever started three days before my visit, not on the same day. '
          + 'I had been looking after my two children, who both had the flu. I also want it recorded that I waited almost two hours before '
          + 'anyone saw me.',
      },
      {
        type: DocumentType.SECOND_OPINION, title: 'Second opinion orthopedie, Alrijne Ziekenhuis Leiderdorp',
        authoredAt: at('2025-03-12T15:00:00+01:00'), author: null,
        body: 'Second opinion requested by the patient about her right knee complaints. Independent review of the MRI and examination at '
          + 'Alrijne Ziekenhuis: mechanical locking and a positive McMurray test medially. The reviewing orthopaedic surgeon agrees that '
          + 'arthroscopic treatment is indicated given the mechanical symptoms and sees no indication for a meniscal repair attempt.',
      },
    ],
    familyHistory: [
      { relationship: 'father', condition: 'Colorectal carcinoma, diagnosed at age 61', relativeName: 'Hendrik de Vries', relativeDetails: 'born 1948, treated at LUMC for colon carcinoma (hemicolectomy 2009)' },
      { relationship: 'mother', condition: 'Breast cancer, diagnosed at age 58', relativeName: 'Johanna de Vries-Kuiper', relativeDetails: 'born 1951, BRCA2 carrier, bilateral mastectomy in 2009 at the NKI' },
      { relationship: 'maternal grandmother', condition: 'Diabetes mellitus type 2 with nephropathy', relativeName: null, relativeDetails: null },
    ],
    specialCategories: {
      ethnicity: 'Dutch, Indo-European descent on the paternal side',
      religion: 'Remonstrant Brotherhood',
      sexualBehaviour: 'Heterosexual, one steady partner',
      geneticFindings: ['BRCA2 c.5946delT heterozygous (pathogenic)', 'HLA-B*58:01 not detected'],
    },
    transfusion: { aboRh: 'A Rh(D) negative', irregularAntibodies: ['anti-K', 'anti-E'], lastTestedAt: at('2024-05-14T07:50:00+02:00') },
    financialCodes: [
      { dbcCode: '131999076', openedOn: '2024-05-13', closedOn: '2024-08-10', tariffCents: 431560 },
      { dbcCode: '219199043', openedOn: '2025-03-05', closedOn: '2025-06-02', tariffCents: 218945 },
    ],
    photographs: [
      { takenAt: at('2024-10-08T10:40:00+02:00'), identifiable: true, uri: 'pacs://lumc/photo/1.2.840.113619.2.55.3.604688119.971.1728376800.411/face-overview.jpg' },
      { takenAt: at('2024-10-08T10:42:00+02:00'), identifiable: false, uri: 'pacs://lumc/photo/1.2.840.113619.2.55.3.604688119.971.1728376800.412/left-forearm-dermoscopy.jpg' },
    ],
    portalNotes: [
      { text: 'Reminder to self: ask Dr. Dekker whether I may start running again six weeks after the knee surgery, and bring my glucose diary.', createdAt: at('2025-03-20T21:07:00+01:00') },
    ],
    consents: [
      { channel: ConsentChannel.GP_VIEW, decidedAt: at('2023-03-01T10:00:00+01:00') },
      { channel: ConsentChannel.LSP, decidedAt: at('2023-03-01T10:05:00+01:00') },
      { channel: ConsentChannel.RESEARCH, decidedAt: at('2023-06-12T14:30:00+02:00') },
      { channel: ConsentChannel.PHOTOGRAPHY, decidedAt: at('2024-10-08T10:25:00+02:00') },
    ],
    objections: [],
  };
}

/** P-0002: a modest record; transfusion record but a TRIX objection; no GP_VIEW or research consent. */
function bramBakker(): PatientSeed {
  return {
    patientNumber: 'P-0002',
    givenName: 'Bram',
    familyName: 'Bakker',
    birthDate: '1975-09-30',
    gender: Gender.MALE,
    bsn: '123456782',
    address: { street: 'Haarlemmerstraat', houseNumber: '86A', postalCode: '2312 GE', city: 'Leiden', country: 'NL' },
    phone: '+31 6 3952 1184',
    email: 'bram.bakker@example.nl',
    createdAt: at('2024-09-02T08:30:00+02:00'),
    contacts: [
      { name: 'Lotte Bakker-de Groot', relationship: 'partner', phone: '+31 6 5108 3376', email: 'lotte.degroot@example.nl', isLegalRepresentative: false },
    ],
    careRelationships: [],
    gpRegistrations: [{ gp: 'gp-jansen', validFrom: at('2012-03-15T00:00:00+01:00'), validTo: null }],
    insurance: { insurerId: 'INS-BETA', insurerName: 'Beta Zorgverzekeraar', policyNumber: 'BET-5530-2291-07' },
    encounters: [
      { kind: EncounterKind.ADMISSION, department: 'Reumatologie', start: at('2024-09-02T09:10:00+02:00'), end: at('2024-09-04T13:00:00+02:00') },
      { kind: EncounterKind.OUTPATIENT, department: 'Reumatologie', start: at('2024-09-20T14:30:00+02:00'), end: at('2024-09-20T14:50:00+02:00') },
    ],
    diagnoses: [
      { code: 'M10.07', display: 'Idiopathic gout, ankle and foot', recordedAt: at('2024-09-02T12:15:00+02:00') },
    ],
    allergies: [],
    medications: [
      { name: 'Allopurinol', dose: '100 mg 1dd, titrate to 300 mg', start: '2024-09-20', end: null },
      { name: 'Colchicine', dose: '0.5 mg 1dd', start: '2024-09-20', end: '2024-12-20' },
    ],
    labResults: [
      lab(LabSpecimen.BLOOD, '14933-6', 'Urate [Moles/volume] in Serum or Plasma', '0.537', 'mmol/L', '0.20-0.43', '2024-09-02T08:40:00+02:00'),
      lab(LabSpecimen.BLOOD, '718-7', 'Hemoglobin [Moles/volume] in Blood', '9.17', 'mmol/L', '8.5-11.0', '2024-09-02T08:40:00+02:00'),
      lab(LabSpecimen.BLOOD, '1988-5', 'C reactive protein [Mass/volume] in Serum or Plasma', '87.4', 'mg/L', '<10', '2024-09-02T08:40:00+02:00'),
      lab(LabSpecimen.URINE, '5811-5', 'Specific gravity of Urine by Test strip', '1.018', null, '1.005-1.030', '2024-09-02T09:05:00+02:00'),
    ],
    ecgs: [],
    imagingReports: [],
    documents: [
      {
        type: DocumentType.GP_LETTER, title: 'Brief aan huisarts: polikliniek Reumatologie',
        authoredAt: at('2024-09-20T15:45:00+02:00'), author: null,
        body: 'Dear colleague Jansen, Mr B. Bakker (born 1975) visited the rheumatology outpatient clinic on 20 September 2024 after his short '
          + 'admission for an acute monoarthritis of the left ankle. Joint aspiration showed negatively birefringent needle-shaped crystals; '
          + 'cultures remained negative. We started urate-lowering therapy with a slow titration schedule and prophylaxis for three months. '
          + 'Please check renal function and serum urate in eight weeks. Kind regards, Dr. R. Hoekstra, rheumatologist, LUMC.',
      },
      {
        type: DocumentType.DISCHARGE_SUMMARY, title: 'Ontslagsamenvatting Reumatologie 04-09-2024',
        authoredAt: at('2024-09-04T12:30:00+02:00'), author: null,
        body: 'Admitted 2 to 4 September 2024 for a hot, swollen left ankle with a temperature of 38.3 °C; septic arthritis was excluded by '
          + 'synovial fluid analysis and negative cultures, crystal arthritis confirmed. Treated with an intra-articular corticosteroid injection '
          + 'and rest, with rapid improvement. Mr Bakker went home walking independently; rheumatology follow-up in two weeks.',
      },
    ],
    familyHistory: [],
    transfusion: { aboRh: 'O Rh(D) positive', irregularAntibodies: [], lastTestedAt: at('2024-09-02T08:42:00+02:00') },
    financialCodes: [
      { dbcCode: '028899047', openedOn: '2024-09-02', closedOn: '2024-12-31', tariffCents: 184325 },
    ],
    photographs: [],
    portalNotes: [],
    consents: [],
    objections: [{ kind: ObjectionKind.TRIX, lodgedAt: at('2024-09-03T11:00:00+02:00') }],
  };
}

/** P-0003: 13 years old, parent rep-smit (the child agrees), GP gp-peters; no consents at all. */
function chrisSmit(now: Date): PatientSeed {
  const birthDate = dateYearsBefore(now, DEMO_MINOR_AGE);
  return {
    patientNumber: 'P-0003',
    givenName: 'Chris',
    familyName: 'Smit',
    birthDate,
    gender: Gender.OTHER,
    bsn: '271828183',
    address: { street: 'Lammenschansweg', houseNumber: '32', postalCode: '2313 DR', city: 'Leiden', country: 'NL' },
    phone: '+31 71 512 4408',
    email: 'fam.smit@example.nl',
    createdAt: at('2024-02-05T18:10:00+01:00'),
    contacts: [
      { name: 'Petra Smit', relationship: 'mother', phone: '+31 6 4417 2093', email: 'petra.smit@example.nl', isLegalRepresentative: true },
    ],
    careRelationships: [{ clinician: 'clin-dekker', department: 'Kindergeneeskunde', validFrom: at('2024-02-05T18:20:00+01:00') }],
    // Registered with the GP practice since birth.
    gpRegistrations: [{ gp: 'gp-peters', validFrom: at(`${birthDate}T00:00:00Z`), validTo: null }],
    insurance: { insurerId: 'INS-ALPHA', insurerName: 'Alpha Zorgverzekeraar', policyNumber: 'ALP-3307-5519-22' },
    encounters: [
      { kind: EncounterKind.ADMISSION, department: 'Kindergeneeskunde', start: at('2024-02-05T18:20:00+01:00'), end: at('2024-02-07T11:30:00+01:00') },
      { kind: EncounterKind.OUTPATIENT, department: 'Kinderlongziekten', start: at('2024-03-06T10:00:00+01:00'), end: at('2024-03-06T10:30:00+01:00') },
      { kind: EncounterKind.EMERGENCY, department: 'Spoedeisende Hulp Kinderen', start: at('2025-06-11T17:05:00+02:00'), end: at('2025-06-11T19:40:00+02:00') },
    ],
    diagnoses: [
      { code: 'J45.9', display: 'Asthma, unspecified', recordedAt: at('2024-02-05T19:00:00+01:00') },
      { code: 'S52.5', display: 'Fracture of lower end of radius', recordedAt: at('2025-06-11T18:05:00+02:00') },
    ],
    allergies: [
      { substance: 'Peanut (Arachis hypogaea)', reaction: 'Generalised urticaria and wheeze', severity: 'severe' },
    ],
    medications: [
      { name: 'Salbutamol inhalation aerosol 100 microgram/dose', dose: '2 puffs via spacer as needed', start: '2024-02-05', end: null },
      { name: 'Fluticasone propionate inhalation aerosol 50 microgram/dose', dose: '2 puffs 2dd via spacer', start: '2024-02-07', end: null },
      { name: 'Prednisolone oral solution', dose: '30 mg 1dd for 3 days', start: '2024-02-05', end: '2024-02-07' },
    ],
    labResults: [
      lab(LabSpecimen.BLOOD, '718-7', 'Hemoglobin [Moles/volume] in Blood', '7.91', 'mmol/L', '7.0-9.5', '2024-02-05T19:05:00+01:00'),
      lab(LabSpecimen.BLOOD, '19113-0', 'IgE [Units/volume] in Serum or Plasma', '684.2', 'kU/L', '<200', '2024-02-05T19:05:00+01:00'),
      lab(LabSpecimen.BLOOD, '2276-4', 'Ferritin [Mass/volume] in Serum or Plasma', '21.9', 'ug/L', '15-150', '2024-02-05T19:05:00+01:00'),
      lab(LabSpecimen.URINE, '5811-5', 'Specific gravity of Urine by Test strip', '1.012', null, '1.005-1.030', '2024-02-05T20:10:00+01:00'),
      lab(LabSpecimen.URINE, '2888-6', 'Protein [Mass/volume] in Urine', '0.09', 'g/L', '<0.15', '2024-02-05T20:10:00+01:00'),
    ],
    ecgs: [
      { recordedAt: at('2024-02-06T09:15:00+01:00'), rhythm: 'Sinus arrhythmia, 84/min', interpretation: 'Respiratory sinus arrhythmia, normal for age; QTc 402 ms; no pre-excitation, no signs of right ventricular strain.' },
    ],
    imagingReports: [
      {
        modality: 'X-ray', bodySite: 'Wrist, left', performedAt: at('2025-06-11T17:50:00+02:00'),
        conclusion: 'Non-displaced buckle (torus) fracture of the distal radius, left wrist; distal radial growth plate intact.',
        imageRef: 'pacs://lumc/1.2.840.113619.2.55.3.604688119.971.1749656400.303',
      },
    ],
    documents: [
      {
        type: DocumentType.GP_LETTER, title: 'Brief aan huisarts: fractuur linker pols',
        authoredAt: at('2025-06-13T16:00:00+02:00'), author: 'clin-dekker',
        body: 'Dear colleague Peters, Chris Smit was seen at our paediatric emergency department on 11 June 2025 after a fall from a bicycle onto '
          + 'the outstretched left hand. The radiograph showed a stable buckle-type injury of the distal forearm bone. Treated with a removable '
          + 'wrist splint for three weeks; no follow-up radiograph needed. Chris and the parent received written instructions; return to sports '
          + 'after four weeks. Kind regards, Dr. E. Dekker, LUMC.',
        thirdPartySection: 'The father, Ruud Smit, who no longer lives with the family, reportedly had several wrist fractures in childhood and is '
          + 'currently being investigated for osteogenesis imperfecta at Amsterdam UMC.',
      },
      {
        type: DocumentType.DISCHARGE_SUMMARY, title: 'Ontslagsamenvatting Kindergeneeskunde 07-02-2024',
        authoredAt: at('2024-02-07T11:00:00+01:00'), author: 'clin-dekker',
        body: 'Admitted 5 to 7 February 2024 with an exacerbation of airway obstruction triggered by a viral respiratory infection. Treated with '
          + 'inhaled bronchodilators, initially every two hours, and a three-day course of oral corticosteroids; no oxygen needed after the first '
          + 'night. Inhaler technique with spacer checked with Chris and the parent. Discharged with an action plan; paediatric pulmonology '
          + 'follow-up in four weeks.',
      },
      {
        type: DocumentType.CONSULT_REPORT, title: 'Consult Kinderlongziekten 06-03-2024',
        authoredAt: at('2024-03-06T10:30:00+01:00'), author: 'clin-dekker',
        body: 'Follow-up four weeks after the admission. Chris reports no night-time symptoms and uses the reliever less than twice a week. '
          + 'Spirometry: FEV1 94% of predicted with 11% reversibility. Skin prick test confirms sensitisation to house dust mite and grass pollen. '
          + 'Plan: continue the maintenance inhaler, allergen-reducing measures in the bedroom, review in three months.',
      },
    ],
    familyHistory: [
      { relationship: 'paternal grandfather', condition: 'Diabetes mellitus type 1', relativeName: 'Gerrit Smit', relativeDetails: 'born 1952, lives in Katwijk, on an insulin pump since 2010' },
    ],
    specialCategories: {
      ethnicity: 'Dutch (paternal), Cape Verdean (maternal)',
      religion: 'Roman Catholic',
      sexualBehaviour: null,
      geneticFindings: ['FLG c.1501C>T (p.Arg501Ter) heterozygous'],
    },
    transfusion: { aboRh: 'B Rh(D) positive', irregularAntibodies: [], lastTestedAt: at('2024-02-05T19:30:00+01:00') },
    financialCodes: [
      { dbcCode: '150401019', openedOn: '2025-06-11', closedOn: '2025-07-09', tariffCents: 52710 },
    ],
    photographs: [
      { takenAt: at('2025-06-11T17:20:00+02:00'), identifiable: true, uri: 'pacs://lumc/photo/1.2.840.113619.2.55.3.604688119.971.1749656400.311/wrist-and-face-overview.jpg' },
    ],
    portalNotes: [
      { text: 'Note from Chris: school camp is 7 to 11 July, ask if the splint may come off before then.', createdAt: at('2025-06-14T19:32:00+02:00') },
    ],
    consents: [],
    objections: [],
  };
}

/** P-0004: GP_VIEW consent granted AND a later GP_PORTAL_BLOCK objection (the block wins); GP history. */
function dirkJanssen(): PatientSeed {
  return {
    patientNumber: 'P-0004',
    givenName: 'Dirk',
    familyName: 'Janssen',
    birthDate: '1950-01-05',
    gender: Gender.MALE,
    bsn: '161803398',
    address: { street: 'Hoofdstraat', houseNumber: '3', postalCode: '2171 AT', city: 'Sassenheim', country: 'NL' },
    phone: '+31 252 211 937',
    email: 'dirk.janssen@example.nl',
    createdAt: at('2023-04-17T08:50:00+02:00'),
    contacts: [
      { name: 'Ingrid Kok-Janssen', relationship: 'daughter', phone: '+31 6 2290 6618', email: 'ingrid.kok@example.nl', isLegalRepresentative: false },
    ],
    careRelationships: [],
    gpRegistrations: [
      { gp: 'gp-peters', validFrom: at('2005-02-01T00:00:00+01:00'), validTo: at('2015-09-01T00:00:00+02:00') },
      { gp: 'gp-jansen', validFrom: at('2015-09-01T00:00:00+02:00'), validTo: null },
    ],
    insurance: { insurerId: 'INS-ALPHA', insurerName: 'Alpha Zorgverzekeraar', policyNumber: 'ALP-4471-0093-58' },
    encounters: [
      { kind: EncounterKind.OUTPATIENT, department: 'Cardiologie', start: at('2024-11-12T09:40:00+01:00'), end: at('2024-11-12T10:30:00+01:00') },
    ],
    diagnoses: [
      { code: 'I50.9', display: 'Heart failure, unspecified', recordedAt: at('2024-11-12T10:20:00+01:00') },
      { code: 'I48.1', display: 'Persistent atrial fibrillation', recordedAt: at('2024-11-12T10:22:00+01:00') },
    ],
    allergies: [],
    medications: [
      { name: 'Apixaban', dose: '5 mg 2dd', start: '2024-11-12', end: null },
      { name: 'Metoprolol succinate', dose: '50 mg 1dd', start: '2024-11-12', end: null },
    ],
    labResults: [
      lab(LabSpecimen.BLOOD, '718-7', 'Hemoglobin [Moles/volume] in Blood', '8.02', 'mmol/L', '8.5-11.0', '2024-11-05T08:30:00+01:00'),
      lab(LabSpecimen.BLOOD, '33762-6', 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma', '1843.5', 'ng/L', '<300', '2024-11-05T08:30:00+01:00'),
      lab(LabSpecimen.BLOOD, '14682-9', 'Creatinine [Moles/volume] in Serum or Plasma', '118.6', 'umol/L', '60-110', '2024-11-05T08:30:00+01:00'),
      lab(LabSpecimen.BLOOD, '62238-1', 'Glomerular filtration rate/1.73 sq M.predicted (CKD-EPI)', '52.4', 'mL/min/1.73m2', '>60', '2024-11-05T08:30:00+01:00'),
    ],
    ecgs: [
      { recordedAt: at('2024-11-12T10:05:00+01:00'), rhythm: 'Atrial fibrillation, 96/min', interpretation: 'Atrial fibrillation with a ventricular rate of 96 bpm, left axis deviation, pathological Q waves in II, III and aVF consistent with an old inferior infarction.' },
    ],
    imagingReports: [],
    documents: [
      {
        type: DocumentType.GP_LETTER, title: 'Brief aan huisarts: polikliniek Cardiologie',
        authoredAt: at('2024-11-12T17:20:00+01:00'), author: null,
        body: 'Dear colleague Jansen, Mr D. Janssen (born 1950) was seen at the cardiology outpatient clinic on 12 November 2024 for increasing '
          + 'shortness of breath on exertion and ankle oedema. Echocardiography shows a moderately reduced left ventricular function (LVEF 38%); '
          + 'the rhythm is irregular. We intensified his cardiac therapy and started anticoagulation. Please monitor his weight and renal function '
          + 'in two weeks. Kind regards, Dr. A. Bos, cardiologist, LUMC.',
      },
      {
        type: DocumentType.TREATMENT_SUMMARY, title: 'Behandelsamenvatting Cardiologie 2024',
        authoredAt: at('2024-12-16T09:30:00+01:00'), author: null,
        body: 'Summary of cardiology treatment of Mr Janssen in 2024: reduced pump function on the basis of an old inferior myocardial infarction '
          + '(2009, PCI of the right coronary artery) and an irregular rhythm since 2024 treated with rate control. Therapy up-titrated in November '
          + '2024; fluid restriction of 1.5 L a day and daily weighing advised. Participates in the heart failure nurse programme. Next visit February 2025.',
      },
    ],
    familyHistory: [],
    financialCodes: [],
    photographs: [],
    portalNotes: [],
    consents: [{ channel: ConsentChannel.GP_VIEW, decidedAt: at('2023-04-17T09:12:00+02:00') }],
    objections: [{ kind: ObjectionKind.GP_PORTAL_BLOCK, lodgedAt: at('2024-12-02T15:20:00+01:00') }],
  };
}
