/**
 * Extra patients for the property-based leak test, beside the demo four: every category filled
 * with values that occur nowhere else (each carries the patient's tag, e.g. "[g103]"), and gate
 * facts that vary from patient to patient — hospital, care relationships (active and ended),
 * break-the-glass, registered GP with and without GP_VIEW consent or a portal block, insurer,
 * transfusion record and TRIX objection, research consent and objection, photography consent,
 * minors of 8 and 14 and adults with valid and invalid representations.
 *
 * Also the "oracle" clinician, clin-oracle, with a care relationship with every patient: the
 * treating clinician's view that the leak test compares responses with.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CareRelationship } from '../../src/record/care/care-relationship.entity';
import { GpRegistration } from '../../src/record/care/gp-registration.entity';
import { RelatedPerson } from '../../src/record/care/related-person.entity';
import { Representation } from '../../src/record/care/representation.entity';
import { Allergy } from '../../src/record/clinical/allergy.entity';
import { Diagnosis } from '../../src/record/clinical/diagnosis.entity';
import { Encounter } from '../../src/record/clinical/encounter.entity';
import { FamilyHistoryEntry } from '../../src/record/clinical/family-history-entry.entity';
import { Medication } from '../../src/record/clinical/medication.entity';
import { SpecialCategoryData } from '../../src/record/clinical/special-category-data.entity';
import { TransfusionRecord } from '../../src/record/clinical/transfusion-record.entity';
import { Consent } from '../../src/record/consent/consent.entity';
import { Objection } from '../../src/record/consent/objection.entity';
import { ClinicalDocument } from '../../src/record/documents/clinical-document.entity';
import { BreakGlassSession } from '../../src/record/emergency/break-glass-session.entity';
import {
  ConsentChannel, DocumentType, EncounterKind, Gender, LabSpecimen, ObjectionKind, RepresentationKind, Role,
} from '../../src/record/enums';
import { FinancialCode } from '../../src/record/financial/financial-code.entity';
import { Insurance } from '../../src/record/financial/insurance.entity';
import { isValidBsn } from '../../src/record/patient/bsn';
import { Patient } from '../../src/record/patient/patient.entity';
import { MedicalPhoto } from '../../src/record/photos/medical-photo.entity';
import { PortalNote } from '../../src/record/portal/portal-note.entity';
import { Practitioner } from '../../src/record/practitioner/practitioner.entity';
import { Ecg } from '../../src/record/results/ecg.entity';
import { ImagingReport } from '../../src/record/results/imaging-report.entity';
import { LabResult } from '../../src/record/results/lab-result.entity';

/** The clinician whose view (with the patient's own) is the truth the leak test compares with. */
export const ORACLE_CLINICIAN = 'clin-oracle';

const GIVEN = ['Femke', 'Sander', 'Lotte', 'Thijs', 'Noor', 'Daan', 'Sanne', 'Jelle', 'Iris', 'Ruben', 'Eva', 'Bas'];
const FAMILY = ['Zuidhof', 'Kramer', 'Bosman', 'Hoekstra', 'Visscher', 'Dijkman', 'Brouwer', 'Timmerman', 'Scholten', 'Mulderij', 'Hendriks', 'Prins'];
const CITIES = ['Utrecht', 'Haarlem', 'Delft', 'Gouda', 'Zwolle', 'Arnhem', 'Breda', 'Assen'];

/** A BSN passing the 11-test, derived from n. */
export function generatedBsn(n: number): string {
  for (let k = 0; ; k++) {
    const digits = String(20_000_000 + n * 7919 + k * 13).padStart(8, '0').slice(-8).split('').map(Number);
    const sum = digits.reduce((s, d, i) => s + d * (9 - i), 0);
    const last = sum % 11;
    if (last < 10) {
      const bsn = digits.join('') + String(last);
      if (isValidBsn(bsn)) return bsn;
    }
  }
}

const yearsAgo = (now: Date, years: number, days = 40) =>
  new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()) - days * 86_400_000).toISOString().slice(0, 10);

async function practitionerId(manager: EntityManager, subject: string): Promise<string> {
  const [row] = await manager.query('SELECT id FROM practitioner WHERE subject = $1', [subject]);
  if (!row) throw new Error(`no practitioner ${subject}`);
  return row.id;
}

/**
 * Inserts `count` patients P-0101 … and clin-oracle with a care relationship with every patient;
 * returns the new patient numbers. Deterministic in n; `now` fixes ages and open sessions.
 */
export async function insertGeneratedPatients(manager: EntityManager, count: number, now = new Date()): Promise<string[]> {
  await manager.insert(Practitioner, { id: randomUUID(), subject: ORACLE_CLINICIAN, name: 'Dr. O. Racle', role: Role.TREATING_CLINICIAN, organisation: 'LUMC' });
  const ids = {
    oracle: await practitionerId(manager, ORACLE_CLINICIAN),
    dekker: await practitionerId(manager, 'clin-dekker'),
    jansen: await practitionerId(manager, 'gp-jansen'),
    peters: await practitionerId(manager, 'gp-peters'),
  };
  const hourAgo = new Date(now.getTime() - 3_600_000);
  const later = new Date(now.getTime() + 6 * 3_600_000);
  const past = new Date('2019-01-01T00:00:00Z');
  const ended = new Date(now.getTime() - 30 * 86_400_000);
  const numbers: string[] = [];

  for (let n = 101; n < 101 + count; n++) {
    const i = n - 101;
    const tag = `[g${n}]`;
    const number = `P-${String(n).padStart(4, '0')}`;
    const patientId = randomUUID();
    const age = n % 5 === 0 ? 8 : n % 5 === 1 ? 14 : 30 + (n % 40);
    const given = GIVEN[i % GIVEN.length];
    const family = `${FAMILY[i % FAMILY.length]}-${n}`;
    numbers.push(number);
    const owned = <T>(rows: T[]) => rows.map((r) => ({ id: randomUUID(), patientId, ...r }));

    await manager.insert(Patient, {
      id: patientId, patientNumber: number, givenName: given, familyName: family, birthDate: yearsAgo(now, age),
      gender: [Gender.FEMALE, Gender.MALE, Gender.OTHER][n % 3], bsn: generatedBsn(n),
      address: { street: `Oudegracht ${tag}`, houseNumber: String(10 + n), postalCode: `35${n % 90} AB`, city: CITIES[i % CITIES.length], country: 'NL' },
      nursingAddress: n % 2 ? { street: `Verpleeghuis De Linde ${tag}`, houseNumber: '2', postalCode: '3511 ZX', city: 'Utrecht', country: 'NL' } : undefined,
      phone: `+31 6 ${String(10_000_000 + n * 3331).slice(0, 8)}`, email: `${given.toLowerCase()}.${n}@example.nl`,
      managingOrganisation: n % 4 === 1 ? 'UMCU' : 'LUMC',
    } as never);

    const relatedId = randomUUID();
    await manager.insert(RelatedPerson, { id: relatedId, patientId, name: `Parent ${family} ${tag}`, relationship: 'parent', phone: `+31 70 ${300_000 + n}`, email: `parent.${n}@example.nl`, isLegalRepresentative: true });
    await manager.insert(CareRelationship, owned([
      { practitionerId: ids.oracle, department: 'Oracle Ward', validFrom: past, validTo: null },
      { practitionerId: ids.dekker, department: `Interne Geneeskunde ${tag}`, validFrom: past, validTo: n % 3 === 1 ? ended : null },
    ]));
    await manager.insert(GpRegistration, owned([{ practitionerId: n % 2 ? ids.jansen : ids.peters, validFrom: past, validTo: n % 5 === 4 ? ended : null }]));
    // Representation: a parent of a child under 12 (valid), of a 14-year-old who agrees or not, an
    // appointed representative of an adult (valid), and a parent of an adult (not valid).
    const representation = [
      { kind: RepresentationKind.PARENT, agreedByChild: false },
      { kind: RepresentationKind.PARENT, agreedByChild: n % 2 === 0 },
      { kind: RepresentationKind.AUTHORISED, agreedByChild: false },
      { kind: RepresentationKind.PARENT, agreedByChild: false },
      null,
    ][n % 5];
    if (representation) {
      await manager.insert(Representation, owned([{ representativeSubject: 'rep-smit', relatedPersonId: relatedId, ...representation, validFrom: past, validTo: null }]));
    }
    if (n % 4 === 2) {
      await manager.insert(BreakGlassSession, owned([{ clinicianSubject: 'clin-visser', reason: `Unresponsive at the emergency department ${tag}`, openedAt: hourAgo, expiresAt: later }]));
    }
    await manager.insert(Insurance, owned([{ insurerId: ['INS-ALPHA', 'INS-BETA', 'INS-GAMMA'][n % 3], insurerName: 'Zorgverzekeraar', policyNumber: `POL-${n}-${n * 37}-77` }]));
    await manager.insert(Encounter, owned([
      { kind: EncounterKind.ADMISSION, department: `Cardiologie ${tag}`, start: new Date(`2024-0${1 + (n % 8)}-11T09:00:00Z`), end: new Date(`2024-0${1 + (n % 8)}-14T12:30:00Z`) },
      { kind: EncounterKind.OUTPATIENT, department: `Longziekten ${tag}`, start: new Date(`2025-02-${10 + (n % 18)}T10:15:00Z`), end: null },
    ]));
    await manager.insert(Diagnosis, owned([{ code: `I48.${n % 10}`, display: `Atrial fibrillation, paroxysmal ${tag}`, recordedAt: new Date(`2024-03-${10 + (n % 18)}T08:${10 + (n % 40)}:00Z`) }]));
    await manager.insert(Allergy, owned([{ substance: `Amoxicillin ${tag}`, reaction: `Maculopapular rash ${tag}`, severity: 'moderate' }]));
    await manager.insert(Medication, owned([{ name: `Apixaban ${tag}`, dose: `5 mg 2dd ${tag}`, start: '2024-03-15', end: null }]));
    await manager.insert(LabResult, owned([
      { specimen: LabSpecimen.BLOOD, code: '2276-4', display: `Ferritin [Mass/volume] in Serum ${tag}`, value: `${n}.4 ug/L`, unit: 'ug/L', referenceRange: '15-150', observedAt: new Date(`2025-01-0${1 + (n % 9)}T07:30:00Z`) },
      { specimen: LabSpecimen.URINE, code: '2888-6', display: `Protein [Mass/volume] in Urine ${tag}`, value: `0.${n} g/L`, unit: 'g/L', referenceRange: '<0.15', observedAt: new Date(`2025-01-0${1 + (n % 9)}T07:45:00Z`) },
    ]));
    await manager.insert(Ecg, owned([{ recordedAt: new Date(`2024-03-${10 + (n % 18)}T09:${10 + (n % 40)}:00Z`), rhythm: `Atrial fibrillation ${tag}`, interpretation: `Irregularly irregular rhythm, ventricular rate ${90 + (n % 30)}/min ${tag}` }]));
    await manager.insert(ImagingReport, owned([{ modality: 'CT', bodySite: `Thorax ${tag}`, performedAt: new Date(`2024-04-0${1 + (n % 9)}T13:00:00Z`), conclusion: `No pulmonary embolism ${tag}`, imageRef: `pacs://ct/${n}-${n * 11}` }]));
    await manager.insert(ClinicalDocument, owned(Object.values(DocumentType).map((type, k) => ({
      type, title: `${type.toLowerCase().replace(/_/g, ' ')} ${tag}`, authoredAt: new Date(`2024-05-${10 + k}T10:00:00Z`),
      authorId: k % 2 ? ids.dekker : null, body: `Text of the ${type.toLowerCase()} ${tag} #${k}`,
      thirdPartySection: k % 4 === 0 ? `About the patient's brother Willem ${family} ${tag} #${k}` : null,
    }))));
    await manager.insert(FamilyHistoryEntry, owned([
      { relationship: 'father', condition: `Hypertrophic cardiomyopathy ${tag}`, relativeName: `Henk ${family} ${tag}`, relativeDetails: `Born 1948, lives in Zeist ${tag}` },
    ]));
    await manager.insert(SpecialCategoryData, owned([{ ethnicity: `Surinaams-Hindoestaans ${tag}`, religion: `Hindoe ${tag}`, sexualBehaviour: `Not recorded ${tag}`, geneticFindings: [`MYBPC3 c.2373dupG ${tag}`] }]));
    if (n % 2 === 0) {
      await manager.insert(TransfusionRecord, owned([{ aboRh: 'AB Rh(D) negative', irregularAntibodies: [`anti-Jk(a) ${tag}`], lastTestedAt: new Date(`2024-11-${10 + (n % 18)}T06:00:00Z`) }]));
    }
    await manager.insert(FinancialCode, owned([{ dbcCode: `DBC-${n}-0320-${n * 3}`, openedOn: '2024-03-11', closedOn: null, tariffCents: 1_000_000 + n * 1_337 }]));
    await manager.insert(MedicalPhoto, owned([
      { takenAt: new Date(`2024-06-${10 + (n % 18)}T11:00:00Z`), identifiable: true, uri: `photo://face/${n}-${n * 13}` },
      { takenAt: new Date(`2024-06-${10 + (n % 18)}T11:05:00Z`), identifiable: false, uri: `photo://skin/${n}-${n * 17}` },
    ]));
    await manager.insert(PortalNote, owned([{ text: `Questions for my next visit ${tag}` }]));

    const consent = (channel: ConsentChannel) => ({
      channel, granted: true, decidedAt: past, decidedBy: number, decidedByRole: Role.PATIENT, coDecidedBy: null, confirmedAt: past, withdrawnAt: null,
    });
    const consents = [
      ...(n % 3 !== 2 ? [consent(ConsentChannel.GP_VIEW)] : []),
      ...(n % 2 === 1 ? [consent(ConsentChannel.RESEARCH)] : []),
      ...(n % 3 === 0 ? [consent(ConsentChannel.PHOTOGRAPHY)] : []),
    ];
    if (consents.length) await manager.insert(Consent, owned(consents));
    const objection = (kind: ObjectionKind) => ({ kind, lodgedAt: past, lodgedBy: number, lodgedByRelation: 'SELF', evidenceRef: null, withdrawnAt: null, withdrawnBy: null });
    const objections = [
      ...(n % 4 === 3 ? [objection(ObjectionKind.GP_PORTAL_BLOCK)] : []),
      ...(n % 4 === 0 ? [objection(ObjectionKind.TRIX)] : []),
      ...(n % 6 === 5 ? [objection(ObjectionKind.RESEARCH)] : []),
    ];
    if (objections.length) await manager.insert(Objection, owned(objections));
  }

  // The oracle clinician treats the demo patients as well; clin-visser has broken the glass for P-0002.
  const demo: Array<{ id: string }> = await manager.query(
    'SELECT p.id FROM patient p WHERE NOT EXISTS (SELECT 1 FROM care_relationship c WHERE c.patient_id = p.id AND c.practitioner_id = $1)', [ids.oracle]);
  await manager.insert(CareRelationship, demo.map((p) => ({ id: randomUUID(), patientId: p.id, practitionerId: ids.oracle, department: 'Oracle Ward', validFrom: past, validTo: null })));
  const [p2] = await manager.query(`SELECT id FROM patient WHERE patient_number = 'P-0002'`);
  await manager.insert(BreakGlassSession, { id: randomUUID(), patientId: p2.id, clinicianSubject: 'clin-visser', reason: 'Collapsed in the waiting room, unknown history', openedAt: hourAgo, expiresAt: later });
  return numbers;
}
