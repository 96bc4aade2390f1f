/**
 * SPEC §4: AFFILIATED_LAB (transfusion record and no TRIX objection), INSURER (the patient is
 * insured with the principal's organisation), ADMIN_STAFF (patient of the hospital); and the
 * matrix columns of §3 for them.
 */
import { TestApi, errorCodes, startTestApi } from '../support/harness';
import { expectAbsent, expectNotFound, expectRefused, labValues } from './gate-support';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const TRANSFUSION = `query($n: String!) { patientByNumber(patientNumber: $n) { patientNumber transfusion { aboRh irregularAntibodies } labResults { value } diagnoses { display } } }`;
const FINANCIAL = `query($id: ID!) { patient(id: $id) { id financialCodes { dbcCode tariffCents } insurance { insurerId policyNumber } } }`;

async function truth(table: string, column: string, patientNumber: string): Promise<string[]> {
  const rows = await api.sql<Record<string, string>>(
    `SELECT t.${column}::text AS v FROM ${table} t JOIN patient p ON p.id = t.patient_id WHERE p.patient_number = $1`, [patientNumber]);
  return rows.map((r) => r.v);
}

describe('AFFILIATED_LAB (TRIX)', () => {
  test('lab-trix-01 reads P-0001\'s transfusion record, and nothing clinical', async () => {
    const res = await api.gql('lab-trix-01', TRANSFUSION, { n: 'P-0001' });
    const [aboRh] = await truth('transfusion_record', 'abo_rh', 'P-0001');
    expect(res.body.data.patientByNumber.transfusion).toEqual({ aboRh, irregularAntibodies: ['anti-K', 'anti-E'] });
    expect(errorCodes(res)).toEqual({ 'patientByNumber.labResults': 'FORBIDDEN', 'patientByNumber.diagnoses': 'FORBIDDEN' });
    expectAbsent(res, [...(await labValues(api, 'P-0001')), ...(await truth('diagnosis', 'display', 'P-0001'))]);
  });

  test('P-0002 (TRIX objection) is NOT_FOUND; its blood group is absent', async () => {
    const res = await api.gql('lab-trix-01', TRANSFUSION, { n: 'P-0002' });
    expectNotFound(res);
    expectAbsent(res, await truth('transfusion_record', 'abo_rh', 'P-0002'));
    await expectRefused(api, api.gql, 'lab-trix-01', 'P-0002');
  });

  test('a patient without a transfusion record (P-0004) is NOT_FOUND', async () => {
    expect(await truth('transfusion_record', 'abo_rh', 'P-0004')).toEqual([]);
    await expectRefused(api, api.gql, 'lab-trix-01', 'P-0004');
  });

  test('the lab lists exactly the patients with a record and no objection', async () => {
    const res = await api.gql('lab-trix-01', `{ patients(first: 10) { nodes { patientNumber } } }`);
    expect(res.body.data.patients.nodes.map((n: { patientNumber: string }) => n.patientNumber)).toEqual(['P-0001', 'P-0003']);
  });

  test('a TRIX objection lodged by P-0001 refuses the lab from the next request on; withdrawing restores it', async () => {
    const p1 = await api.patientId('P-0001');
    const lodged = await api.gql('P-0001', `mutation($p: ID!) { lodgeObjection(input: { patientId: $p, kind: TRIX, lodgedByRelation: "SELF" }) { id kind lodgedBy lodgedByRelation lodgedAt withdrawnAt } }`, { p: p1 });
    expect(lodged.body.errors).toBeUndefined();
    expect(lodged.body.data.lodgeObjection).toMatchObject({ kind: 'TRIX', lodgedBy: 'P-0001', lodgedByRelation: 'SELF', withdrawnAt: null });

    const res = await api.gql('lab-trix-01', TRANSFUSION, { n: 'P-0001' });
    expectNotFound(res);
    expectAbsent(res, await truth('transfusion_record', 'abo_rh', 'P-0001'));
    expect(res.text).not.toContain('anti-K');

    const w = await api.gql('P-0001', `mutation($id: ID!) { withdrawObjection(id: $id) { withdrawnAt } }`, { id: lodged.body.data.lodgeObjection.id });
    expect(w.body.errors).toBeUndefined();
    const again = await api.gql('lab-trix-01', TRANSFUSION, { n: 'P-0001' });
    expect(again.body.data.patientByNumber.transfusion.aboRh).toBe('A Rh(D) negative');
  });
});

describe('INSURER', () => {
  test('ins-alpha reads P-0001 FINANCIAL and INSURANCE', async () => {
    const res = await api.gql('ins-alpha', FINANCIAL, { id: await api.patientId('P-0001') });
    expect(res.body.errors).toBeUndefined();
    const codes = await truth('financial_code', 'dbc_code', 'P-0001');
    expect(res.body.data.patient.financialCodes.map((c: { dbcCode: string }) => c.dbcCode).sort()).toEqual(codes.sort());
    expect(res.body.data.patient.insurance.insurerId).toBe('INS-ALPHA');
  });

  test('ins-alpha gets NOT_FOUND for P-0002 (insured with ins-beta); its codes are absent', async () => {
    const res = await api.gql('ins-alpha', FINANCIAL, { id: await api.patientId('P-0002') });
    expectNotFound(res, 'patient');
    expectAbsent(res, [...(await truth('financial_code', 'dbc_code', 'P-0002')), 'BET-5530']);
    await expectRefused(api, api.gql, 'ins-alpha', 'P-0002');
  });

  test('ins-beta reads P-0002 financialCodes and nobody else\'s', async () => {
    const res = await api.gql('ins-beta', FINANCIAL, { id: await api.patientId('P-0002') });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.patient.financialCodes.map((c: { dbcCode: string }) => c.dbcCode)).toEqual(await truth('financial_code', 'dbc_code', 'P-0002'));
    for (const n of ['P-0001', 'P-0003', 'P-0004']) await expectRefused(api, api.gql, 'ins-beta', n);
  });

  test('an insurer never gets diagnoses, labs or identity: FORBIDDEN and the values absent', async () => {
    const res = await api.gql('ins-alpha', `query($id: ID!) { patient(id: $id) { id patientNumber name { family } bsn diagnoses { code display } medications { name } labResults { value } financialCodes { dbcCode } } }`,
      { id: await api.patientId('P-0001') });
    expect(res.body.data.patient.diagnoses).toBeNull();
    expect(res.body.data.patient.financialCodes.length).toBeGreaterThan(0);
    expect(errorCodes(res)).toEqual({
      'patient.patientNumber': 'FORBIDDEN', 'patient.name': 'FORBIDDEN', 'patient.bsn': 'FORBIDDEN',
      'patient.diagnoses': 'FORBIDDEN', 'patient.medications': 'FORBIDDEN', 'patient.labResults': 'FORBIDDEN',
    });
    expectAbsent(res, [
      ...(await truth('diagnosis', 'display', 'P-0001')), ...(await truth('diagnosis', 'code', 'P-0001')),
      ...(await truth('medication', 'name', 'P-0001')), ...(await labValues(api, 'P-0001')), 'de Vries', '111222333',
    ]);
    for (const e of res.body.errors!) expect(e.message).toBe('Not authorised');
  });

  test('the insurer lists only its own insured', async () => {
    const res = await api.gql('ins-alpha', `{ patients(first: 10) { nodes { id } } }`);
    const ids = res.body.data.patients.nodes.map((n: { id: string }) => n.id).sort();
    const expected: string[] = [];
    for (const n of ['P-0001', 'P-0003', 'P-0004']) expected.push(await api.patientId(n));
    expect(ids).toEqual(expected.sort());
    expect(res.text).not.toContain(await api.patientId('P-0002'));
  });
});

describe('ADMIN_STAFF', () => {
  test('admin-mulder reads contact, insurance and financial data of a hospital patient, no clinical data', async () => {
    const res = await api.gql('admin-mulder', `query($n: String!) { patientByNumber(patientNumber: $n) { patientNumber phone insurance { policyNumber } financialCodes { dbcCode } labResults { value } diagnoses { display } portalNotes { text } } }`, { n: 'P-0001' });
    expect(res.body.data.patientByNumber).toMatchObject({ patientNumber: 'P-0001', phone: '+31 6 2841 7730', insurance: { policyNumber: 'ALP-2210-4837-15' } });
    expect(errorCodes(res)).toEqual({ 'patientByNumber.labResults': 'FORBIDDEN', 'patientByNumber.diagnoses': 'FORBIDDEN', 'patientByNumber.portalNotes': 'FORBIDDEN' });
    expectAbsent(res, [...(await labValues(api, 'P-0001')), ...(await truth('diagnosis', 'display', 'P-0001')), 'Reminder to self']);
  });

  test('a patient of another organisation is NOT_FOUND for admin-mulder', async () => {
    await api.sql(`UPDATE patient SET managing_organisation = 'UMCU' WHERE patient_number = 'P-0004'`);
    try {
      await expectRefused(api, api.gql, 'admin-mulder', 'P-0004');
    } finally {
      await api.sql(`UPDATE patient SET managing_organisation = 'LUMC' WHERE patient_number = 'P-0004'`);
    }
    const back = await api.gql('admin-mulder', `{ patientByNumber(patientNumber: "P-0004") { patientNumber } }`);
    expect(back.body.data.patientByNumber.patientNumber).toBe('P-0004');
  });
});
