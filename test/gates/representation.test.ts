/**
 * SPEC §4, LEGAL_REPRESENTATIVE gate: a parent or guardian of a child under 12; of a child of
 * 12–15 only while the child agrees; from 16 only a representative the patient (or a court)
 * appointed. Age and agreement are evaluated on every request.
 */
import { TestApi, errorCodes, startTestApi } from '../support/harness';
import { expectAbsent, expectReadsLabs, expectRefused } from './gate-support';

let api: TestApi;
let original: { birth_date: string; kind: string; agreed_by_child: boolean; valid_to: string | null };

const REP = `SELECT r.id FROM representation r JOIN patient p ON p.id = r.patient_id WHERE p.patient_number = 'P-0003' AND r.representative_subject = 'rep-smit'`;

async function setChild(birthDate: string, kind: string, agreed: boolean) {
  await api.sql(`UPDATE patient SET birth_date = ${birthDate} WHERE patient_number = 'P-0003'`);
  await api.sql(`UPDATE representation SET kind = $1, agreed_by_child = $2 WHERE id = (${REP})`, [kind, agreed]);
}

/** Birth dates relative to the database's current_date (the gate computes the age there). */
const yearsAgo = (n: number, plusDays = 0) => `(current_date - interval '${n} years' + interval '${plusDays} days')::date`;

beforeAll(async () => {
  api = await startTestApi();
  [original] = await api.sql(`SELECT p.birth_date::text, r.kind, r.agreed_by_child, r.valid_to::text
    FROM patient p JOIN representation r ON r.patient_id = p.id WHERE p.patient_number = 'P-0003' AND r.representative_subject = 'rep-smit'`);
});
afterAll(async () => {
  if (api && original) {
    await setChild(`'${original.birth_date}'::date`, original.kind, original.agreed_by_child);
    await api.sql(`UPDATE representation SET valid_to = NULL WHERE id = (${REP})`);
  }
  await api?.close();
});

test('seed: P-0003 is 13, rep-smit a PARENT the child agreed to', () => {
  expect(original).toMatchObject({ kind: 'PARENT', agreed_by_child: true, valid_to: null });
});

test('rep-smit (PARENT, child agreed) reads the 13-year-old P-0003', async () => {
  await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
  const list = await api.gql('rep-smit', `{ patients(first: 10) { nodes { patientNumber } } }`);
  expect(list.body.data.patients.nodes).toEqual([{ patientNumber: 'P-0003' }]);
});

test('rep-smit never reaches another patient', async () => {
  for (const n of ['P-0001', 'P-0002', 'P-0004']) await expectRefused(api, api.gql, 'rep-smit', n);
});

test('12–15: once the child no longer agrees, the parent is NOT_FOUND on the next request', async () => {
  await setChild(yearsAgo(13), 'PARENT', false);
  await expectRefused(api, api.gql, 'rep-smit', 'P-0003');
  const list = await api.gql('rep-smit', `{ patients(first: 10) { nodes { patientNumber } } }`);
  expect(list.body.data.patients.nodes).toEqual([]);
  expect(list.text).not.toContain('P-0003');
});

test('under 12 the parent needs no agreement', async () => {
  await setChild(yearsAgo(11), 'PARENT', false);
  await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
});

test('the 12th birthday is the boundary: still 11 the day before, 12 on the day', async () => {
  await setChild(yearsAgo(12, 1), 'PARENT', false); // turns 12 tomorrow: still 11
  await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
  await setChild(yearsAgo(12), 'PARENT', false); // turns 12 today
  await expectRefused(api, api.gql, 'rep-smit', 'P-0003');
});

test('a guardian of a child under 12 is allowed; an AUTHORISED representative of a child is not', async () => {
  await setChild(yearsAgo(11), 'GUARDIAN', false);
  await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
  await setChild(yearsAgo(11), 'AUTHORISED', true);
  await expectRefused(api, api.gql, 'rep-smit', 'P-0003');
});

test('16 and over: a parent is NOT_FOUND, even with the child\'s agreement', async () => {
  await setChild(yearsAgo(16), 'PARENT', false);
  await expectRefused(api, api.gql, 'rep-smit', 'P-0003');
  await setChild(yearsAgo(16), 'PARENT', true);
  await expectRefused(api, api.gql, 'rep-smit', 'P-0003');
  await setChild(yearsAgo(16, 1), 'PARENT', true); // 15 until tomorrow: agreement still counts
  await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
});

test('16 and over: a representative the patient appointed (AUTHORISED) is allowed', async () => {
  await setChild(yearsAgo(16), 'AUTHORISED', false);
  await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
  for (const kind of ['TRUSTEE', 'MENTOR', 'GUARDIAN']) {
    await setChild(yearsAgo(16), kind, false);
    await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
  }
});

test('a representation that has ended is NOT_FOUND', async () => {
  await setChild(yearsAgo(13), 'PARENT', true);
  await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
  await api.sql(`UPDATE representation SET valid_to = now() WHERE id = (${REP})`);
  await expectRefused(api, api.gql, 'rep-smit', 'P-0003');
  await api.sql(`UPDATE representation SET valid_to = NULL WHERE id = (${REP})`);
  await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
});

test('the representative sees the REP column: no third-party data and no portal notes', async () => {
  await setChild(yearsAgo(13), 'PARENT', true);
  const res = await api.gql('rep-smit', `query($n: String!) { patientByNumber(patientNumber: $n) {
    familyHistory { relationship condition relativeName } portalNotes { text } specialCategories { religion } } }`, { n: 'P-0003' });
  expect(res.body.data.patientByNumber.familyHistory[0]).toMatchObject({ relationship: 'paternal grandfather', relativeName: null });
  expect(res.body.data.patientByNumber.portalNotes).toBeNull();
  expect(errorCodes(res)).toEqual({ 'patientByNumber.familyHistory.0.relativeName': 'FORBIDDEN', 'patientByNumber.portalNotes': 'FORBIDDEN' });
  expectAbsent(res, ['Gerrit Smit', 'school camp']);
});

test('state restored: the seeded 13-year-old with an agreeing parent', async () => {
  await setChild(`'${original.birth_date}'::date`, original.kind, original.agreed_by_child);
  await expectReadsLabs(api, api.gql, 'rep-smit', 'P-0003');
});
