/**
 * Copy and portability (SPEC §6) over HTTP with real tokens: the record exactly as the caller may
 * see it, as JSON and as a FHIR R4 Bundle validated against the R4 StructureDefinitions by FHIR.js
 * (the `fhir` package: structure and required value sets) and by Medplum (structure, cardinality,
 * FHIRPath invariants; test/support/fhir-validation.ts), without third-party content, inside the
 * gate, logged as EXPORT.
 */
import { Fhir } from 'fhir';
import { print } from 'graphql';
import { RECORD_QUERY } from '../../src/export/record-query';
import { FHIR_RESOURCES, resourceTypesOf } from '../../src/policy/fhir-resources';
import { DataCategory } from '../../src/policy/vocabulary';
import { unexplainedWarnings, validateFhir } from '../support/fhir-validation';
import { errorCodes, GqlResponse, startTestApi, TestApi } from '../support/harness';

let api: TestApi;
const ids: Record<string, string> = {};
const fhir = new Fhir();

beforeAll(async () => {
  api = await startTestApi();
  for (const n of ['P-0001', 'P-0002', 'P-0003']) ids[n] = await api.patientId(n);
});
afterAll(() => api?.close());

const EXPORT = `query($id: ID!, $format: ExportFormat!) { recordExport(patientId: $id, format: $format) { format generatedAt contentType data } }`;

async function exportAs(subject: string, patientNumber: string, format: 'JSON' | 'FHIR_R4'): Promise<GqlResponse> {
  return api.gql(subject, EXPORT, { id: ids[patientNumber], format });
}

/** The export of a successful response, parsed. */
function exported(res: GqlResponse, format: 'JSON' | 'FHIR_R4'): any {
  expect(res.status).toBe(200);
  expect(res.body.errors).toBeUndefined();
  const e = res.body.data.recordExport;
  expect(e.format).toBe(format);
  expect(e.contentType).toBe(format === 'JSON' ? 'application/json' : 'application/fhir+json');
  expect(Math.abs(Date.parse(e.generatedAt) - Date.now())).toBeLessThan(60_000);
  return JSON.parse(e.data);
}

/** Every text about another person in the seed: third-party document sections, relatives' names and details. */
async function thirdPartyValues(): Promise<string[]> {
  const rows = await api.sql(`SELECT third_party_section AS v FROM clinical_document WHERE third_party_section IS NOT NULL
    UNION ALL SELECT relative_name FROM family_history_entry WHERE relative_name IS NOT NULL
    UNION ALL SELECT relative_details FROM family_history_entry WHERE relative_details IS NOT NULL`);
  return rows.map((r) => r.v);
}

/** Asserts none of the values occurs in the response, nor in any base64 attachment of it. */
function expectAbsent(res: GqlResponse, values: string[], bundle?: any): void {
  const documents = (bundle?.entry ?? []).map((e: any) => e.resource).filter((r: any) => r.resourceType === 'DocumentReference');
  const decoded: string[] = documents.flatMap((d: any) => d.content.map((c: any) => Buffer.from(c.attachment.data ?? '', 'base64').toString('utf8')));
  if (bundle) expect(decoded.length).toBeGreaterThan(0);
  for (const v of values) {
    expect(res.text).not.toContain(v);
    for (const d of decoded) expect(d).not.toContain(v);
  }
}

const labValuesOf = async (patientNumber: string): Promise<string[]> =>
  (await api.sql('SELECT value FROM lab_result WHERE patient_id = $1 ORDER BY value', [ids[patientNumber]])).map((r) => r.value);

const portalNotesOf = async (patientNumber: string): Promise<string[]> =>
  (await api.sql('SELECT text FROM portal_note WHERE patient_id = $1', [ids[patientNumber]])).map((r) => r.text);

/** Drops nulls, as the export does, to compare with a direct query of the same caller. */
function withoutNulls(value: any): any {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}

/** FHIR.js validation errors (R4): structure, cardinality, types, required value sets, unexpected properties. */
function fhirErrors(resource: object): string[] {
  const result = fhir.validate(resource, { errorOnUnexpected: true });
  return result.messages.filter((m) => m.severity === 'error' || m.severity === 'fatal').map((m) => `${m.location}: ${m.message}`);
}

function expectValidBundle(bundle: any, patientId: string): void {
  expect(bundle.resourceType).toBe('Bundle');
  expect(bundle.type).toBe('collection');
  expect(fhirErrors(bundle)).toEqual([]);
  for (const entry of bundle.entry) {
    const { errors, warnings } = validateFhir(entry.resource);
    expect([entry.resource.resourceType, errors]).toEqual([entry.resource.resourceType, []]);
    expect(unexplainedWarnings(warnings)).toEqual([]);
  }
  expect(validateFhir(bundle).errors).toEqual([]);
  expect(fhir.validate(bundle, { errorOnUnexpected: true }).valid).toBe(true);
  for (const entry of bundle.entry) expect([entry.resource.resourceType, fhirErrors(entry.resource)]).toEqual([entry.resource.resourceType, []]);
  // Every entry is addressed by the urn:uuid of its resource, once; every reference points at the patient's entry.
  const urls = bundle.entry.map((e: any) => e.fullUrl);
  expect(new Set(urls).size).toBe(urls.length);
  for (const e of bundle.entry) expect(e.fullUrl).toBe(`urn:uuid:${e.resource.id}`);
  expect(urls).toContain(`urn:uuid:${patientId}`);
  const references = JSON.stringify(bundle).match(/"reference":"[^"]*"/g) ?? [];
  for (const r of references) expect(r).toBe(`"reference":"urn:uuid:${patientId}"`);
}

const resourcesOf = (bundle: any, type: string): any[] => bundle.entry.map((e: any) => e.resource).filter((r: any) => r.resourceType === type);

describe('the patient exports their own record (P-0001)', () => {
  test('JSON: the visible record with lab values and portal notes, no third-party content', async () => {
    const res = await exportAs('P-0001', 'P-0001', 'JSON');
    const { patient } = exported(res, 'JSON');
    expect(patient.id).toBe(ids['P-0001']);
    expect(patient.patientNumber).toBe('P-0001');
    expect(patient.bsn).toBe('111222333');
    expect(patient.labResults.map((l: any) => l.value).sort()).toEqual(await labValuesOf('P-0001'));
    expect(patient.portalNotes.map((n: any) => n.text)).toEqual(await portalNotesOf('P-0001'));
    expect(patient.familyHistory.length).toBeGreaterThan(0);
    for (const f of patient.familyHistory) expect(Object.keys(f).sort()).toEqual(['condition', 'id', 'relationship']);
    for (const d of patient.documents) expect(d).not.toHaveProperty('thirdPartySection');
    const thirdParty = await thirdPartyValues();
    expect(thirdParty.length).toBeGreaterThan(0);
    expectAbsent(res, thirdParty);
  });

  test('JSON is exactly what the same caller reads through the API (same policy, nulls dropped)', async () => {
    const direct = await api.gql('P-0001', print(RECORD_QUERY), { id: ids['P-0001'] });
    expect(direct.body.errors).toBeUndefined();
    const { patient } = exported(await exportAs('P-0001', 'P-0001', 'JSON'), 'JSON');
    expect(patient).toEqual(withoutNulls(direct.body.data.patient));
  });

  test('FHIR_R4: a Bundle that FHIR.js validates with zero errors, with every resource type of the record', async () => {
    const res = await exportAs('P-0001', 'P-0001', 'FHIR_R4');
    const bundle = exported(res, 'FHIR_R4');
    expectValidBundle(bundle, ids['P-0001']);
    const types = new Set(bundle.entry.map((e: any) => e.resource.resourceType));
    for (const t of ['Patient', 'Observation', 'DiagnosticReport', 'Condition', 'AllergyIntolerance', 'MedicationStatement', 'Encounter', 'DocumentReference', 'FamilyMemberHistory', 'Consent']) {
      expect(types).toContain(t);
    }

    const [patient] = resourcesOf(bundle, 'Patient');
    expect(patient.identifier).toContainEqual(expect.objectContaining({ system: 'http://fhir.nl/fhir/NamingSystem/bsn', value: '111222333' }));
    expect(patient).toMatchObject({ gender: 'female', birthDate: '1980-04-12', name: [{ family: 'de Vries', given: ['Anna'] }] });
    expect(patient.address[0]).toMatchObject({ postalCode: '2311 CL', city: 'Leiden' });
    expect(patient.telecom).toContainEqual({ system: 'email', value: 'anna.devries@example.nl' });

    const observations = resourcesOf(bundle, 'Observation');
    const hb = observations.find((o) => o.code.coding?.[0].code === '718-7' && o.valueQuantity?.value === 7.62);
    expect(hb).toMatchObject({ status: 'final', category: [{ coding: [{ code: 'laboratory' }] }], code: { coding: [{ system: 'http://loinc.org' }] }, valueQuantity: { unit: 'mmol/L' }, referenceRange: [{ text: '7.5-10.0' }] });
    const lab = observations.filter((o) => o.category[0].coding[0].code === 'laboratory' && o.code.coding?.[0].system === 'http://loinc.org');
    for (const v of await labValuesOf('P-0001')) expect(lab.some((o) => String(o.valueQuantity?.value ?? o.valueString) === String(Number(v)) || o.valueString === v)).toBe(true);
    const ecgs = observations.filter((o) => o.code.coding?.[0].code === '11524-6');
    expect(ecgs).toHaveLength(2);
    expect(ecgs[0].valueString).toEqual(expect.any(String));
    expect(resourcesOf(bundle, 'Condition').map((c) => c.code.coding[0])).toContainEqual(expect.objectContaining({ system: 'http://hl7.org/fhir/sid/icd-10', code: 'E11.9' }));
    expect(resourcesOf(bundle, 'Encounter').map((e) => e.class.code).sort()).toEqual(['AMB', 'AMB', 'EMER', 'IMP', 'IMP']);
    expect(resourcesOf(bundle, 'DiagnosticReport')[0]).toMatchObject({ status: 'final', conclusion: expect.any(String) });
    expect(resourcesOf(bundle, 'Consent').map((c) => c.provision.type)).toContain('permit');
    for (const f of resourcesOf(bundle, 'FamilyMemberHistory')) expect(Object.keys(f).sort()).toEqual(['condition', 'id', 'patient', 'relationship', 'resourceType', 'status']);
    const notes = resourcesOf(bundle, 'DocumentReference').map((d) => Buffer.from(d.content[0].attachment.data, 'base64').toString('utf8'));
    for (const n of await portalNotesOf('P-0001')) expect(notes).toContain(n);
    expectAbsent(res, await thirdPartyValues(), bundle);
  });

  test('the validator is not vacuous: a broken resource is reported', async () => {
    const bundle = exported(await exportAs('P-0001', 'P-0001', 'FHIR_R4'), 'FHIR_R4');
    const observation = resourcesOf(bundle, 'Observation')[0];
    observation.status = 'done';
    delete observation.code;
    resourcesOf(bundle, 'Patient')[0].gender = 'f';
    expect(fhirErrors(bundle)).toEqual(expect.arrayContaining([
      expect.stringContaining('Observation.status'), expect.stringContaining('Observation.code'), expect.stringContaining('Patient.gender'),
    ]));
  });

  test('the export is logged as one EXPORT event with the categories released', async () => {
    const res = await exportAs('P-0001', 'P-0001', 'FHIR_R4');
    exported(res, 'FHIR_R4');
    const events = await api.sql('SELECT * FROM access_event WHERE request_id = $1', [res.headers.get('x-request-id')]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ patient_id: ids['P-0001'], actor_subject: 'P-0001', action: 'EXPORT', detail: 'record export FHIR_R4', basis: 'self', outcome: 'GRANTED' });
    expect(events[0].categories_granted).toEqual(expect.arrayContaining(['IDENTITY', 'BSN', 'CONTACT', 'LAB', 'DIAGNOSES', 'MEDICATION', 'PORTAL_NOTES', 'CONSENTS']));
    expect(events[0].categories_granted).not.toContain('THIRD_PARTY');
    expect(events[0].categories_denied).toEqual([]);
  });

  test('someone else\'s record → NOT_FOUND, the same answer as for a patient that does not exist', async () => {
    const res = await exportAs('P-0001', 'P-0002', 'JSON');
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ recordExport: 'NOT_FOUND' });
    const unknown = await api.gql('P-0001', EXPORT, { id: '00000000-0000-4000-8000-000000000000', format: 'JSON' });
    expect(res.body).toEqual(unknown.body);
    expectAbsent(res, [...(await labValuesOf('P-0002')).filter((v) => v.length >= 4), 'Bakker']);
  });
});

describe('transfer of care: the treating clinician exports within the gate', () => {
  test('clin-dekker exports P-0001 (care relationship): valid FHIR, no portal notes, no third-party content', async () => {
    const res = await exportAs('clin-dekker', 'P-0001', 'FHIR_R4');
    const bundle = exported(res, 'FHIR_R4');
    expectValidBundle(bundle, ids['P-0001']);
    expect(resourcesOf(bundle, 'Observation').length).toBeGreaterThan(0);
    expectAbsent(res, [...(await portalNotesOf('P-0001')), ...(await thirdPartyValues())], bundle);

    const events = await api.sql('SELECT * FROM access_event WHERE request_id = $1', [res.headers.get('x-request-id')]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'EXPORT', basis: 'care-relationship', outcome: 'PARTIAL' });
    expect(events[0].categories_denied).toEqual(expect.arrayContaining(['PORTAL_NOTES', 'INSURANCE', 'FINANCIAL']));
  });

  test('clin-dekker\'s JSON export leaves out what the policy withholds from him', async () => {
    const { patient } = exported(await exportAs('clin-dekker', 'P-0001', 'JSON'), 'JSON');
    expect(patient.labResults.length).toBeGreaterThan(0);
    expect(patient).not.toHaveProperty('portalNotes');
    expect(patient).not.toHaveProperty('insurance');
    expect(patient).not.toHaveProperty('financialCodes');
  });

  test('clin-dekker may not export P-0002 (no care relationship) → NOT_FOUND', async () => {
    const res = await exportAs('clin-dekker', 'P-0002', 'FHIR_R4');
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ recordExport: 'NOT_FOUND' });
    const events = await api.sql('SELECT * FROM access_event WHERE request_id = $1', [res.headers.get('x-request-id')]);
    expect(events.map((e) => [e.action, e.outcome])).toEqual([['READ', 'DENIED']]);
  });
});

describe('the legal representative', () => {
  test('rep-smit exports P-0003 (parent, child agrees): JSON and valid FHIR, no portal notes, no third-party content', async () => {
    const json = await exportAs('rep-smit', 'P-0003', 'JSON');
    const { patient } = exported(json, 'JSON');
    expect(patient.patientNumber).toBe('P-0003');
    expect(patient.labResults.map((l: any) => l.value).sort()).toEqual(await labValuesOf('P-0003'));
    expect(patient).not.toHaveProperty('portalNotes');
    const fhirRes = await exportAs('rep-smit', 'P-0003', 'FHIR_R4');
    const bundle = exported(fhirRes, 'FHIR_R4');
    expectValidBundle(bundle, ids['P-0003']);
    for (const res of [json, fhirRes]) expectAbsent(res, [...(await portalNotesOf('P-0003')), ...(await thirdPartyValues())], bundle);
  });

  test('rep-smit may not export P-0001 → NOT_FOUND', async () => {
    expect(errorCodes(await exportAs('rep-smit', 'P-0001', 'JSON'))).toEqual({ recordExport: 'NOT_FOUND' });
  });
});

describe('refused before any data', () => {
  test.each(['gp-jansen', 'admin-mulder', 'ins-alpha', 'res-study-01', 'dpo-01'])('%s → FORBIDDEN', async (subject) => {
    const res = await exportAs(subject, 'P-0001', 'JSON');
    expect(res.body.data).toBeNull();
    expect(errorCodes(res)).toEqual({ recordExport: 'FORBIDDEN' });
    expectAbsent(res, (await labValuesOf('P-0001')).filter((v) => v.length >= 4));
  });

  test('the emergency clinician (break-the-glass) is not a transfer of care → FORBIDDEN', async () => {
    const token = await api.token('clin-visser', { purpose: 'EMERGENCY' });
    const glass = await api.gql({ token }, `mutation($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious patient at the ED, no history available") { id } }`, { id: ids['P-0001'] });
    expect(glass.body.errors).toBeUndefined();
    const res = await api.gql({ token }, EXPORT, { id: ids['P-0001'], format: 'JSON' });
    expect(errorCodes(res)).toEqual({ recordExport: 'FORBIDDEN' });
  });

  test('a malformed patient id → BAD_USER_INPUT; an unknown format is refused by validation', async () => {
    expect(errorCodes(await api.gql('P-0001', EXPORT, { id: 'P-0001', format: 'JSON' }))).toEqual({ recordExport: 'BAD_USER_INPUT' });
    const res = await api.gql('P-0001', EXPORT, { id: ids['P-0001'], format: 'PDF' });
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('conformance of the FHIR export', () => {
  test('identifiers under their official systems; codes under LOINC and ICD-10 only when they are well-formed codes of those systems', async () => {
    const res = await exportAs('P-0001', 'P-0001', 'FHIR_R4');
    const bundle = exported(res, 'FHIR_R4');
    const [patient] = resourcesOf(bundle, 'Patient');
    expect(patient.identifier).toEqual([
      { use: 'official', system: 'http://fhir.nl/fhir/NamingSystem/bsn', value: '111222333' },
      { use: 'usual', system: 'urn:patient-record-api:patient-number', value: 'P-0001' },
    ]);
    const codings = bundle.entry.flatMap((e: any) => JSON.stringify(e.resource).match(/\{"system":"[^"]+","code":"[^"]+"/g) ?? [])
      .map((c: string) => JSON.parse(`${c}}`));
    const loinc = codings.filter((c: any) => c.system === 'http://loinc.org').map((c: any) => c.code);
    const icd10 = codings.filter((c: any) => c.system === 'http://hl7.org/fhir/sid/icd-10').map((c: any) => c.code);
    expect(loinc).toEqual(expect.arrayContaining(['718-7', '882-1', '890-4', '11524-6']));
    expect(icd10).toContain('E11.9');
    // 890-9, a look-alike with a wrong check digit, is not sent as LOINC (890-4 is the antibody screen).
    expect(loinc).not.toContain('890-9');
    for (const code of loinc) expect(code).toMatch(/^[0-9]{1,7}-[0-9]$/);
    for (const code of icd10) expect(code).toMatch(/^[A-Z][0-9]{2}(\.[0-9]{1,2})?$/);
    expect(res.text).not.toContain('urn:example');
  });

  test('a stored code that is not a real LOINC or ICD-10 code goes out under the local code system, not the standard one', async () => {
    const id = ids['P-0002'];
    const token = await api.token('P-0002');
    // Insert look-alikes as the database owner (the API has no write path for lab results or diagnoses).
    await api.sql(`INSERT INTO lab_result (patient_id, specimen, code, display, value, unit, reference_range, observed_at)
      VALUES ($1, 'BLOOD', '718-8', 'Hemoglobin look-alike', '8.1', 'mmol/L', NULL, now())`, [id]);
    await api.sql(`INSERT INTO diagnosis (patient_id, code, display, recorded_at) VALUES ($1, 'DIAB-2', 'Diabetes (local code)', now())`, [id]);
    try {
      const bundle = exported(await api.gql({ token }, EXPORT, { id, format: 'FHIR_R4' }), 'FHIR_R4');
      expectValidBundle(bundle, id);
      const lab = resourcesOf(bundle, 'Observation').find((o) => o.code.coding?.[0].code === '718-8');
      expect(lab.code.coding[0].system).toBe('urn:patient-record-api:code-system:lab');
      const condition = resourcesOf(bundle, 'Condition').find((c) => c.code.coding[0].code === 'DIAB-2');
      expect(condition.code.coding[0].system).toBe('urn:patient-record-api:code-system:diagnosis');
    } finally {
      await api.sql(`DELETE FROM lab_result WHERE patient_id = $1 AND code = '718-8'`, [id]);
      await api.sql(`DELETE FROM diagnosis WHERE patient_id = $1 AND code = 'DIAB-2'`, [id]);
    }
  });

  test('every resource carries a category the export released, by the table of src/policy/fhir-resources.ts', async () => {
    for (const [subject, patientNumber] of [['P-0001', 'P-0001'], ['clin-dekker', 'P-0001'], ['rep-smit', 'P-0003']]) {
      const res = await exportAs(subject, patientNumber, 'FHIR_R4');
      const bundle = exported(res, 'FHIR_R4');
      const [event] = await api.sql('SELECT categories_granted FROM access_event WHERE request_id = $1', [res.headers.get('x-request-id')]);
      const allowed = new Set(event.categories_granted.flatMap((c: DataCategory) => resourceTypesOf(c)));
      for (const e of bundle.entry) expect([subject, e.resource.resourceType, allowed.has(e.resource.resourceType)]).toEqual([subject, e.resource.resourceType, true]);
    }
    expect(FHIR_RESOURCES[DataCategory.THIRD_PARTY].resources).toEqual([]);
  });

  test('the R4 validators are not vacuous: structure, cardinality, invariants and required codes are each reported as errors', async () => {
    const bundle = exported(await exportAs('P-0001', 'P-0001', 'FHIR_R4'), 'FHIR_R4');
    const observation = resourcesOf(bundle, 'Observation')[0];
    delete observation.code;
    observation.valueQuantity = { value: 'seven' };
    const patient = resourcesOf(bundle, 'Patient')[0];
    patient.birthDate = '1980-13-45';
    patient.gender = 'f';
    patient.favouriteColour = 'blue';
    // obs-6: a value and a reason for its absence together.
    const measured = resourcesOf(bundle, 'Observation').find((o) => o.valueQuantity && o !== observation);
    measured.dataAbsentReason = { text: 'not measured' };
    expect(validateFhir(bundle).errors).toEqual(expect.arrayContaining([
      expect.stringContaining('resource.code: Missing required property'), expect.stringContaining('Observation.valueQuantity.value'),
      expect.stringContaining('resource.birthDate: Invalid date format'), expect.stringContaining('Patient.gender'), expect.stringContaining('favouriteColour'),
    ]));
    expect(validateFhir(measured).errors).toEqual([expect.stringContaining('Constraint obs-6 not met')]);
    const untouched = exported(await exportAs('P-0001', 'P-0001', 'FHIR_R4'), 'FHIR_R4');
    expect(validateFhir(untouched).errors).toEqual([]);
  });
});
