/**
 * SPEC §3 PORTAL_NOTES: the patient's personal notes are readable only by the patient, never by
 * clinicians (or representatives); only the patient adds or deletes them. §7: bad input refused.
 */
import { randomUUID } from 'node:crypto';
import { TestApi, errorCodes, startTestApi } from '../support/harness';
import { countRows } from './gate-support';

let api: TestApi;
let p1: string;
const TEXT = `Private note ${randomUUID()}: ask about the knee brace before the holiday.`;
let noteId: string;

const ADD = `mutation($t: String!) { addPortalNote(text: $t) { id text createdAt } }`;
const DELETE = `mutation($id: ID!) { deletePortalNote(id: $id) }`;
const NOTES = `query($id: ID!) { patient(id: $id) { id portalNotes { id text } labResults { value } } }`;

beforeAll(async () => {
  api = await startTestApi();
  p1 = await api.patientId('P-0001');
});
afterAll(() => api?.close());

test('P-0001 adds a note and sees it in portalNotes', async () => {
  const res = await api.gql('P-0001', ADD, { t: TEXT });
  expect(res.body.errors).toBeUndefined();
  noteId = res.body.data.addPortalNote.id;
  expect(res.body.data.addPortalNote.text).toBe(TEXT);
  const mine = await api.gql('P-0001', `{ myRecord { portalNotes { id text } } }`);
  expect(mine.body.data.myRecord.portalNotes).toContainEqual({ id: noteId, text: TEXT });
  const [row] = await api.sql(`SELECT patient_id, text FROM portal_note WHERE id = $1`, [noteId]);
  expect(row).toEqual({ patient_id: p1, text: TEXT });
});

test('clin-dekker (care relationship) gets portalNotes null + FORBIDDEN, and no note text', async () => {
  const res = await api.gql('clin-dekker', NOTES, { id: p1 });
  expect(res.body.data.patient.labResults.length).toBeGreaterThan(0); // the rest of the record arrives
  expect(res.body.data.patient.portalNotes).toBeNull();
  expect(errorCodes(res)).toEqual({ 'patient.portalNotes': 'FORBIDDEN' });
  expect(res.body.errors![0].message).toBe('Not authorised');
  const texts = await api.sql<{ text: string }>(`SELECT text FROM portal_note WHERE patient_id = $1`, [p1]);
  expect(texts.length).toBe(2);
  for (const { text } of texts) expect(res.text).not.toContain(text.slice(0, 30));
  expect(res.text).not.toContain(noteId);
});

test('nobody but the patient reads portal notes (GP, admin, privacy officer, emergency, representative)', async () => {
  const emergency = { token: await api.token('clin-dekker', { purpose: 'EMERGENCY' }) };
  await api.sql(`INSERT INTO break_glass_session (id, patient_id, clinician_subject, reason, opened_at, expires_at)
    VALUES (gen_random_uuid(), $1, 'clin-dekker', 'Collapsed in the waiting room, unresponsive.', now(), now() + interval '10 minutes')`, [p1]);
  for (const as of ['gp-jansen', 'admin-mulder', 'dpo-01', emergency] as const) {
    const res = await api.gql(as, NOTES, { id: p1 });
    expect(res.body.data.patient.id).toBe(p1);
    expect(res.body.data.patient.portalNotes).toBeNull();
    expect(errorCodes(res)['patient.portalNotes']).toBe('FORBIDDEN');
    expect(res.text).not.toContain(TEXT.slice(0, 40));
  }
  const rep = await api.gql('rep-smit', NOTES, { id: await api.patientId('P-0003') });
  expect(rep.body.data.patient.portalNotes).toBeNull();
  expect(errorCodes(rep)['patient.portalNotes']).toBe('FORBIDDEN');
  expect(rep.text).not.toContain('school camp');
});

test('only the patient role may add notes', async () => {
  const before = await countRows(api, 'portal_note');
  for (const who of ['clin-dekker', 'rep-smit', 'admin-mulder']) {
    const res = await api.gql(who, ADD, { t: 'Should never be stored' });
    expect(errorCodes(res)).toEqual({ addPortalNote: 'FORBIDDEN' });
  }
  expect(await countRows(api, 'portal_note')).toBe(before);
});

test('empty or blank text is BAD_USER_INPUT; nothing written', async () => {
  const before = await countRows(api, 'portal_note');
  for (const t of ['', '   ', '\n\t']) {
    const res = await api.gql('P-0001', ADD, { t });
    expect(errorCodes(res)).toEqual({ addPortalNote: 'BAD_USER_INPUT' });
    expect(res.body.data).toBeNull();
  }
  const tooLong = await api.gql('P-0001', ADD, { t: 'x'.repeat(10_001) });
  expect(errorCodes(tooLong)).toEqual({ addPortalNote: 'BAD_USER_INPUT' });
  expect(await countRows(api, 'portal_note')).toBe(before);
});

test('deleting another patient\'s note is NOT_FOUND, like an unknown id; the note survives', async () => {
  const other = await api.gql('P-0003', DELETE, { id: noteId });
  const none = await api.gql('P-0003', DELETE, { id: randomUUID() });
  expect(errorCodes(other)).toEqual({ deletePortalNote: 'NOT_FOUND' });
  expect(other.body).toEqual(none.body);
  expect(await countRows(api, 'portal_note', 'id = $1', [noteId])).toBe(1);
  const clinician = await api.gql('clin-dekker', DELETE, { id: noteId });
  expect(errorCodes(clinician)).toEqual({ deletePortalNote: 'FORBIDDEN' });
  expect(await countRows(api, 'portal_note', 'id = $1', [noteId])).toBe(1);
  const malformed = await api.gql('P-0001', DELETE, { id: 'note-1' });
  expect(errorCodes(malformed)).toEqual({ deletePortalNote: 'BAD_USER_INPUT' });
});

test('the patient deletes their own note', async () => {
  const res = await api.gql('P-0001', DELETE, { id: noteId });
  expect(res.body).toEqual({ data: { deletePortalNote: true } });
  expect(await countRows(api, 'portal_note', 'id = $1', [noteId])).toBe(0);
  const mine = await api.gql('P-0001', `{ myRecord { portalNotes { id } } }`);
  expect(mine.text).not.toContain(noteId);
});
