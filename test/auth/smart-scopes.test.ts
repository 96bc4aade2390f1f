/**
 * SMART on FHIR scopes instead of category names, through real signed tokens over HTTP. They map
 * to categories through policy/fhir-resources.ts and only narrow the role, like the category
 * scope; reads need `r`/`s`, writes `c`/`u`; a scope that is unknown or maps to no category is
 * refused with the token (401), never ignored.
 */
import { createTokenVerifier } from '../../src/auth/tokens';
import { AuthenticationError } from '../../src/errors';
import { errorCodes, startTestApi, TestApi } from '../support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const LAB = 'http://terminology.hl7.org/CodeSystem/observation-category|laboratory';
const GP_RECORD = `{ patientByNumber(patientNumber: "P-0001") { patientNumber labResults { value } ecgs { rhythm } imagingReports { conclusion } documents { type } diagnoses { code } } }`;
const ME = '{ me { categories } }';

const gpToken = (scope: string, patient: string | undefined) => api.token('gp-jansen', { patient, claims: { scope } });

/** Why the verifier refuses a token (what the 401's log line says). */
async function refusal(token: string): Promise<string> {
  try {
    await createTokenVerifier(api.config).verify(`Bearer ${token}`);
  } catch (error) {
    if (error instanceof AuthenticationError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('a GP with a SMART launch (the brief\'s example scopes)', () => {
  const SCOPE = 'patient/Observation.rs patient/Condition.rs user/DocumentReference.rs launch/patient';

  test('releases what the scopes name and the role allows, nothing else', async () => {
    const res = await api.gql({ token: await gpToken(SCOPE, 'P-0001') }, GP_RECORD);
    expect(res.status).toBe(200);
    const p = res.body.data.patientByNumber;
    expect(p.labResults.length).toBeGreaterThan(0);
    expect(p.ecgs.length).toBeGreaterThan(0);
    expect(p.documents.length).toBeGreaterThan(0);
    // Letters and summaries only: DocumentReference names CLINICAL_NOTES too, which the GP role may not read.
    expect(p.documents.every((d: { type: string }) => ['GP_LETTER', 'DISCHARGE_LETTER', 'TREATMENT_SUMMARY', 'ADMISSION_SUMMARY', 'DISCHARGE_SUMMARY'].includes(d.type))).toBe(true);
    // Imaging is the GP's, but no scope names it, nor Patient (IDENTITY); Condition names DIAGNOSES, which the GP may never read.
    expect(p.imagingReports).toBeNull();
    expect(p.diagnoses).toBeNull();
    expect(p.patientNumber).toBeNull();
    expect(errorCodes(res)).toEqual({ 'patientByNumber.imagingReports': 'FORBIDDEN', 'patientByNumber.diagnoses': 'FORBIDDEN', 'patientByNumber.patientNumber': 'FORBIDDEN' });
    const me = await api.gql({ token: await gpToken(SCOPE, 'P-0001') }, ME);
    expect(me.body.data.me.categories.sort()).toEqual(['CORRESPONDENCE', 'ECG', 'LAB', 'SUMMARIES']);
    const withPatient = await api.gql({ token: await gpToken(`patient/Patient.rs ${SCOPE}`, 'P-0001') }, GP_RECORD);
    expect(withPatient.body.data.patientByNumber.patientNumber).toBe('P-0001');
  });

  test('a category code narrows a shared resource type: laboratory Observations are LAB, not ECG', async () => {
    const res = await api.gql({ token: await gpToken(`patient/Observation.rs?category=${LAB}`, 'P-0001') }, GP_RECORD);
    expect(res.body.data.patientByNumber.labResults.length).toBeGreaterThan(0);
    expect(res.body.data.patientByNumber.ecgs).toBeNull();
    expect(res.text).not.toContain('rhythm":"');
  });

  test('v1 `.read` reads like `.rs`', async () => {
    const me = await api.gql({ token: await gpToken('patient/Observation.read', 'P-0001') }, ME);
    expect(me.body.data.me.categories.sort()).toEqual(['ECG', 'LAB']);
  });

  test('`patient/*.rs` is every category with a FHIR resource the role allows, never wider', async () => {
    const me = await api.gql({ token: await gpToken('patient/*.rs', 'P-0001') }, ME);
    const unscoped = await api.gql('gp-jansen', ME);
    expect(me.body.data.me.categories.sort()).toEqual(unscoped.body.data.me.categories.sort());
    const patient = await api.gql({ token: await api.token('P-0001', { claims: { scope: 'patient/*.rs launch/patient' } }) }, ME);
    // Only what leaves as FHIR at all: a relative's identity (THIRD_PARTY) has no resource a scope could name.
    const clinician = await api.gql({ token: await api.token('clin-dekker', { claims: { scope: 'user/*.rs' } }) }, ME);
    expect((await api.gql('clin-dekker', ME)).body.data.me.categories).toContain('THIRD_PARTY');
    expect(clinician.body.data.me.categories).not.toContain('THIRD_PARTY');
    expect(clinician.body.data.me.categories).toContain('DIAGNOSES');
    expect(patient.body.data.me.categories).toContain('LAB');
    // The patient's own portal notes are exported as DocumentReference, so a DocumentReference scope reaches them.
    expect(patient.body.data.me.categories).toContain('PORTAL_NOTES');
  });
});

describe('writes need c or u', () => {
  const SET = 'mutation($input: SetConsentInput!) { setConsent(input: $input) { channel granted } }';
  const consents = async (id: string) => Number((await api.sql<{ n: string }>('SELECT count(*) AS n FROM consent WHERE patient_id = $1', [id]))[0].n);

  test.each([['patient/Consent.rs'], ['patient/Consent.read']])('%s reads consents and may not change them', async (scope) => {
    const p1 = await api.patientId('P-0001');
    const token = await api.token('P-0001', { claims: { scope } });
    const read = await api.gql({ token }, '{ myRecord { consents { channel granted } } }');
    expect(read.body.data.myRecord.consents.length).toBeGreaterThan(0);
    const before = await consents(p1);
    const write = await api.gql({ token }, SET, { input: { patientId: p1, channel: 'XDS', granted: true } });
    expect(write.body.data).toBeNull();
    expect(write.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(await consents(p1)).toBe(before);
  });

  test.each([['patient/Consent.cruds'], ['patient/Consent.rus'], ['patient/Consent.*']])('%s may change them', async (scope) => {
    const p1 = await api.patientId('P-0001');
    const token = await api.token('P-0001', { claims: { scope } });
    const write = await api.gql({ token }, SET, { input: { patientId: p1, channel: 'XDS', granted: scope !== 'patient/Consent.rus' } });
    expect(write.body.errors).toBeUndefined();
    expect(write.body.data.setConsent.channel).toBe('XDS');
  });

  test('a category scope still narrows reads and writes alike', async () => {
    const p1 = await api.patientId('P-0001');
    const write = await api.gql({ token: await api.token('P-0001', { scope: 'CONSENTS' }) }, SET, { input: { patientId: p1, channel: 'XDS', granted: true } });
    expect(write.body.errors).toBeUndefined();
  });
});

describe('refused, never ignored', () => {
  const REFUSED: Array<[string, string, string | undefined, RegExp]> = [
    ['an unknown resource type', 'patient/Observation.rs patient/Spaceship.rs', 'P-0001', /Spaceship.*maps to no data category/],
    ['a resource no category has', 'user/Group.rs', undefined, /Group.*maps to no data category/],
    ['an unknown scope word', 'openid fhirUser gossip', undefined, /"gossip" is not a SMART scope/],
    ['category names mixed with SMART scopes', 'LAB patient/Observation.rs', 'P-0001', /"LAB" is not a SMART scope/],
    ['a search parameter other than category', 'patient/Observation.rs?code=http://loinc.org|2339-0', 'P-0001', /only one \?category=/],
    ['a category code no category has', 'patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs', 'P-0001', /maps to no data category/],
    ['permissions out of order', 'patient/Observation.sr', 'P-0001', /not a SMART scope/],
    ['patient scopes without a patient context', 'patient/Observation.rs', undefined, /patient-level but the token has no "patient" claim/],
    ['launch/patient without a patient context', 'user/Observation.rs launch/patient', undefined, /"launch\/patient" needs a "patient" claim/],
    ['scopes that grant no data at all', 'openid fhirUser launch', undefined, /grants no data category/],
  ];

  test.each(REFUSED)('%s: 401 with the reason', async (_name, scope, patient, reason) => {
    const token = await gpToken(scope, patient);
    expect(await refusal(token)).toMatch(reason);
    const res = await api.gql({ token }, GP_RECORD);
    expect(res.status).toBe(401);
    expect(res.body.data).toBeUndefined();
    expect(res.text).not.toContain('labResults');
  });
});
