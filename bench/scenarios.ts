/**
 * The benchmark scenarios, on the large seed's fixed patients (src/db/large/large-patients.ts).
 * Each asks only for what its principal may see, so the authorised and the unauthorised build
 * do the same work and a response with any error counts as a failure.
 */
import type { MintOptions } from '../src/auth/mint';
import { SCENARIO_PATIENTS, largePatientId, largePatientNumber } from '../src/db/large/large-patients';

export interface Scenario {
  id: string;
  title: string;
  /** Who sends it (a demo subject; claims override the subject for generated patients). */
  token: MintOptions;
  query: string;
  variables: Record<string, unknown>;
  /** Checks a full response of the authorised build; returns what is wrong, or null. */
  check(data: any): string | null;
}

const LAB = 'id specimen code display value unit referenceRange observedAt';
const DOC = 'id type title authoredAt author { name } body';
const lengthIs = (what: string, list: unknown[] | undefined, n: number) => (list?.length === n ? null : `${what}: expected ${n}, got ${list?.length}`);

const gpPatient = largePatientNumber(SCENARIO_PATIENTS.gpPortal.index);
const fullRecordPatient = largePatientNumber(SCENARIO_PATIENTS.fullRecord.index);
const logPatient = largePatientNumber(SCENARIO_PATIENTS.accessLog.index);
const consentPatient = largePatientNumber(SCENARIO_PATIENTS.consentWriter.index);

export const SCENARIOS: Scenario[] = [
  {
    id: 'S1',
    title: 'GP portal view of one patient (identity, 200 lab results, ECGs, imaging, correspondence, summaries)',
    token: { subject: 'gp-jansen' },
    query: `query S1($n: String!) { patientByNumber(patientNumber: $n) {
      id patientNumber name { given family } birthDate gender bsn
      labResults { ${LAB} } ecgs { id recordedAt rhythm interpretation }
      imagingReports { id modality bodySite performedAt conclusion imageRef }
      documents(types: [GP_LETTER, DISCHARGE_LETTER, TREATMENT_SUMMARY, ADMISSION_SUMMARY, DISCHARGE_SUMMARY]) { ${DOC} } } }`,
    variables: { n: gpPatient },
    check: (d) => lengthIs('lab results', d?.patientByNumber?.labResults, SCENARIO_PATIENTS.gpPortal.labResults),
  },
  {
    id: 'S2',
    title: 'Treating clinician reads the full record: 1,000 lab results and 100 documents',
    token: { subject: 'clin-dekker' },
    query: `query S2($n: String!) { patientByNumber(patientNumber: $n) {
      id patientNumber name { given family } birthDate gender bsn
      address { street houseNumber postalCode city country } phone email
      contacts { id name relationship phone isLegalRepresentative }
      generalPractitioner { name organisation } careTeam { name }
      encounters { id kind department start end } diagnoses { id code display recordedAt } allergies { id substance reaction severity }
      medications { id name dose start end } labResults { ${LAB} } ecgs { id recordedAt rhythm interpretation }
      imagingReports { id modality bodySite performedAt conclusion imageRef } documents { ${DOC} thirdPartySection }
      familyHistory { id relationship condition relativeName relativeDetails } specialCategories { ethnicity religion geneticFindings }
      transfusion { aboRh irregularAntibodies lastTestedAt } photographs { id takenAt uri }
      consents { id channel granted decidedAt withdrawnAt } objections { id kind lodgedAt withdrawnAt } } }`,
    variables: { n: fullRecordPatient },
    check: (d) => lengthIs('lab results', d?.patientByNumber?.labResults, SCENARIO_PATIENTS.fullRecord.labResults)
      ?? lengthIs('documents', d?.patientByNumber?.documents, SCENARIO_PATIENTS.fullRecord.documents),
  },
  {
    id: 'S3',
    title: 'Insurer reads the financial codes of 50 insured patients through patients(first: 50)',
    token: { subject: 'ins-alpha' },
    query: `query S3 { patients(first: 50) { nodes { id insurance { insurerId insurerName policyNumber }
      financialCodes { id dbcCode openedOn closedOn tariffCents } } pageInfo { endCursor hasNextPage } } }`,
    variables: {},
    check: (d) => lengthIs('patients', d?.patients?.nodes, 50)
      ?? (d.patients.nodes.every((p: any) => p.insurance?.insurerId === 'INS-ALPHA') ? null : 'a patient of another insurer'),
  },
  {
    id: 'S4',
    title: 'Patient reads a 50-event page of their access log (10,000+ events)',
    token: { subject: 'P-0001', claims: { sub: logPatient, patient: logPatient } },
    query: `query S4($id: ID!) { accessLog(patientId: $id, first: 50) { nodes { id at actorSubject actorRole actorOrganisation onBehalfOf
      purpose action categoriesGranted categoriesDenied outcome basis breakGlassReason requestId } pageInfo { endCursor hasNextPage } } }`,
    variables: { id: largePatientId(SCENARIO_PATIENTS.accessLog.index) },
    check: (d) => lengthIs('events', d?.accessLog?.nodes, 50),
  },
  {
    id: 'S5',
    title: 'Patient records a consent decision (setConsent)',
    token: { subject: 'P-0001', claims: { sub: consentPatient, patient: consentPatient } },
    query: `mutation S5($id: ID!) { setConsent(input: { patientId: $id, channel: LSP, granted: true }) { id channel granted decidedAt } }`,
    variables: { id: largePatientId(SCENARIO_PATIENTS.consentWriter.index) },
    check: (d) => (d?.setConsent?.granted === true ? null : 'consent not recorded'),
  },
];

/**
 * A field the policy withholds from S1's GP (DIAGNOSES): the authorised build answers FORBIDDEN,
 * the baseline must release it — proof that the baseline really is unauthorised.
 */
export const WITHHELD_PROBE = {
  token: { subject: 'gp-jansen' } as MintOptions,
  query: 'query Probe($n: String!) { patientByNumber(patientNumber: $n) { diagnoses { code } } }',
  variables: { n: gpPatient },
};
