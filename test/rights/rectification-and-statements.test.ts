import { errorCodes, startTestApi, TestApi } from '../support/harness';

let api: TestApi;
let p1: string;
let p2: string;
beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
  p2 = await api.patientId('P-0002');
});
afterAll(() => api?.close());

const UPDATE = `mutation($id: ID!, $input: ContactDetailsInput!) { updateContactDetails(patientId: $id, input: $input) { id phone email address { postalCode city } } }`;
const ADDRESS = { street: 'Rapenburg', houseNumber: '70', postalCode: '2311ez', city: 'Leiden', country: 'nl' };

const contactRow = async (id: string) => (await api.sql('SELECT phone, email, address_postal_code FROM patient WHERE id = $1', [id]))[0];
const events = async (id: string, action: string) => api.sql('SELECT * FROM access_event WHERE patient_id = $1 AND action = $2 ORDER BY seq', [id, action]);

describe('rectification of contact details', () => {
  test('the patient rectifies their own address and phone; the change is logged as UPDATE', async () => {
    const res = await api.gql('P-0001', UPDATE, { id: p1, input: { address: ADDRESS, phone: '+31 71 526 9111' } });
    expect(errorCodes(res)).toEqual({});
    expect(res.body.data.updateContactDetails.address).toEqual({ postalCode: '2311 EZ', city: 'Leiden' });
    expect(await contactRow(p1)).toMatchObject({ phone: '+31 71 526 9111', address_postal_code: '2311 EZ' });
    const [event] = await events(p1, 'UPDATE');
    expect(event).toMatchObject({ actor_subject: 'P-0001', categories_granted: ['CONTACT'], outcome: 'GRANTED' });
    expect(event.detail).not.toContain('Rapenburg');
  });

  test.each([
    ['a postal code that is not Dutch', { address: { ...ADDRESS, postalCode: '12345' } }],
    ['a forbidden letter pair', { address: { ...ADDRESS, postalCode: '1234 SS' } }],
    ['a bad e-mail', { email: 'not-an-email' }],
    ['a bad phone', { phone: 'call me' }],
    ['nothing at all', {}],
  ])('%s is refused with BAD_USER_INPUT and changes nothing', async (_what, input) => {
    const before = await contactRow(p1);
    const res = await api.gql('P-0001', UPDATE, { id: p1, input });
    expect(errorCodes(res)).toEqual({ updateContactDetails: 'BAD_USER_INPUT' });
    expect(await contactRow(p1)).toEqual(before);
  });

  test('administration may rectify; a patient cannot touch another record; a GP may not at all', async () => {
    expect(errorCodes(await api.gql('admin-mulder', UPDATE, { id: p2, input: { email: 'b.bakker@example.nl' } }))).toEqual({});
    expect((await contactRow(p2)).email).toBe('b.bakker@example.nl');
    const before = await contactRow(p2);
    expect(errorCodes(await api.gql('P-0001', UPDATE, { id: p2, input: { email: 'evil@example.nl' } }))).toEqual({ updateContactDetails: 'NOT_FOUND' });
    expect(errorCodes(await api.gql('gp-jansen', UPDATE, { id: p1, input: { email: 'gp@example.nl' } }))).toEqual({ updateContactDetails: 'FORBIDDEN' });
    expect(await contactRow(p2)).toEqual(before);
  });
});

describe('supplements: patient statements and clinical documents', () => {
  const STATEMENT = `mutation($id: ID!, $type: DocumentType) { addPatientStatement(patientId: $id, title: "My view", text: "I disagree with the conclusion of the consult report.", type: $type) { id type author { subject } } }`;

  test('the patient adds a statement and a second opinion; staff cannot edit them', async () => {
    const a = await api.gql('P-0001', STATEMENT, { id: p1 });
    expect(a.body.data.addPatientStatement).toMatchObject({ type: 'PATIENT_STATEMENT', author: null });
    const b = await api.gql('P-0001', STATEMENT, { id: p1, type: 'SECOND_OPINION' });
    expect(b.body.data.addPatientStatement.type).toBe('SECOND_OPINION');
    await expect(api.sql(`UPDATE clinical_document SET body = 'edited' WHERE id = $1`, [a.body.data.addPatientStatement.id])).rejects.toThrow(/cannot be edited/);
    const seen = await api.gql('clin-dekker', `query($id: ID!) { patient(id: $id) { documents(types: [PATIENT_STATEMENT]) { body } } }`, { id: p1 });
    expect(seen.text).toContain('I disagree with the conclusion');
  });

  test('a representative adds a statement for the represented child; nobody adds one as another type', async () => {
    const p3 = await api.patientId('P-0003');
    expect(errorCodes(await api.gql('rep-smit', STATEMENT, { id: p3 }))).toEqual({});
    expect(errorCodes(await api.gql('P-0001', STATEMENT, { id: p1, type: 'GP_LETTER' }))).toEqual({ addPatientStatement: 'BAD_USER_INPUT' });
    expect(errorCodes(await api.gql('clin-dekker', STATEMENT, { id: p1 }))).toEqual({ addPatientStatement: 'FORBIDDEN' });
  });

  const ADD_DOC = `mutation($input: AddClinicalDocumentInput!) { addClinicalDocument(input: $input) { id type author { subject } thirdPartySection } }`;

  test('the treating clinician adds a document with a third-party section within the gate; the patient does not see that section', async () => {
    const res = await api.gql('clin-dekker', ADD_DOC, { input: { patientId: p1, type: 'CONSULT_REPORT', title: 'Follow-up', body: 'Stable, continue metformin.', thirdPartySection: 'Her sister Clara reports a similar rash.' } });
    expect(errorCodes(res)).toEqual({});
    expect(res.body.data.addClinicalDocument.author.subject).toBe('clin-dekker');
    const own = await api.gql('P-0001', `{ myRecord { documents(types: [CONSULT_REPORT]) { title thirdPartySection } } }`);
    expect(own.text).toContain('Follow-up');
    expect(own.text).not.toContain('sister Clara');
    const [event] = await api.sql(`SELECT categories_granted FROM access_event WHERE patient_id = $1 AND action = 'CREATE' AND actor_subject = 'clin-dekker'`, [p1]);
    expect(event.categories_granted.sort()).toEqual(['CLINICAL_NOTES', 'THIRD_PARTY']);
  });

  test('outside the gate, or as a patient statement type, the clinician is refused and nothing is written', async () => {
    const count = async () => Number((await api.sql('SELECT count(*) FROM clinical_document'))[0].count);
    const before = await count();
    expect(errorCodes(await api.gql('clin-dekker', ADD_DOC, { input: { patientId: p2, type: 'GP_LETTER', title: 'x', body: 'y' } }))).toEqual({ addClinicalDocument: 'NOT_FOUND' });
    expect(errorCodes(await api.gql('clin-dekker', ADD_DOC, { input: { patientId: p1, type: 'PATIENT_STATEMENT', title: 'x', body: 'y' } }))).toEqual({ addClinicalDocument: 'BAD_USER_INPUT' });
    expect(errorCodes(await api.gql('gp-jansen', ADD_DOC, { input: { patientId: p1, type: 'GP_LETTER', title: 'x', body: 'y' } }))).toEqual({ addClinicalDocument: 'FORBIDDEN' });
    expect(await count()).toBe(before);
  });
});
