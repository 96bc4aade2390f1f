/**
 * Researchers are bound to studies: the study registry (research_study, research_study_approval)
 * decides which cohorts a researcher reaches. In the demo, res-study-01 is approved for STUDY-01
 * only. An unknown study and someone else's study are refused alike, before any patient is read.
 */
import { onRequestStatements } from '../../src/db/statement-counter';
import { StudyPseudonyms } from '../../src/research/pseudonym';
import { loadResearchKey } from '../../src/research/research-key';
import { errorCodes, GqlResponse, startTestApi, TestApi } from '../support/harness';
import { approveStudies } from './fixtures';

let api: TestApi;
let pseudonyms: string[];
const statements = new Map<string, number>();
const unsubscribe = onRequestStatements((count, requestId) => statements.set(requestId, count));
afterAll(() => unsubscribe());

const COHORT = `query($study: String!) {
  researchCohort(studyId: $study) { nodes { pseudonym birthYear gender diagnoses { id code } labResults { id value observedAt } } pageInfo { endCursor hasNextPage } }
}`;

beforeAll(async () => {
  api = await startTestApi();
  const key = await loadResearchKey(api.config);
  const patients = await api.sql<{ id: string }>('SELECT id FROM patient');
  // Every pseudonym any of these studies could give any patient: none may appear in a refusal.
  pseudonyms = ['STUDY-01', 'STUDY-02', 'NO-SUCH-STUDY', 'study-01', 'study-A'].flatMap((s) => patients.map((p) => new StudyPseudonyms(key, s).patient(p.id)));
  // STUDY-02 has an approved researcher, just not res-study-01.
  await approveStudies(api, 'res-other-team', ['STUDY-02']);
});
afterAll(() => api?.close());

const patientEvents = async () => Number((await api.sql(`SELECT count(*) AS n FROM access_event WHERE patient_id IS NOT NULL`))[0].n);

/** A refusal: FORBIDDEN, no data at all, no pseudonym, no lab value, no access event for any patient. */
async function expectRefused(study: string): Promise<GqlResponse> {
  const before = await patientEvents();
  const res = await api.gql('res-study-01', COHORT, { study });
  expect(res.body.data).toBeNull();
  expect(errorCodes(res)).toEqual({ researchCohort: 'FORBIDDEN' });
  for (const p of pseudonyms) expect(res.text).not.toContain(p);
  for (const { value } of await api.sql<{ value: string }>('SELECT value FROM lab_result')) expect(res.text).not.toContain(value);
  expect(await patientEvents()).toBe(before);
  return res;
}

test('the demo registry: res-study-01 is approved for STUDY-01 only', async () => {
  expect(await api.sql('SELECT id FROM research_study ORDER BY id')).toEqual([{ id: 'STUDY-01' }, { id: 'STUDY-02' }]);
  expect(await api.sql(`SELECT study_id FROM research_study_approval WHERE researcher_subject = 'res-study-01'`)).toEqual([{ study_id: 'STUDY-01' }]);
});

test('res-study-01 reaches the STUDY-01 cohort', async () => {
  const res = await api.gql('res-study-01', COHORT, { study: 'STUDY-01' });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.researchCohort.nodes.length).toBeGreaterThan(0);
});

test('res-study-01 asking for STUDY-02 (registered, approved for another team) → FORBIDDEN, nothing released', async () => {
  await expectRefused('STUDY-02');
});

test('an unknown study → FORBIDDEN, answered exactly like a study of someone else', async () => {
  const other = await expectRefused('STUDY-02');
  for (const study of ['NO-SUCH-STUDY', 'study-A', 'study-01']) {
    const unknown = await expectRefused(study);
    expect(unknown.status).toBe(other.status);
    expect(unknown.body).toEqual(other.body);
    // Same work on the way to the refusal, where the server reports it.
    const cost = (res: GqlResponse) => statements.get(res.headers.get('x-request-id')!);
    expect(cost(unknown)).toBeGreaterThan(0);
    expect(cost(unknown)).toBe(cost(other));
  }
});

test('an approval ends with its row: withdrawn, the next request is refused', async () => {
  await api.sql(`INSERT INTO research_study_approval (researcher_subject, study_id) VALUES ('res-study-01', 'STUDY-02')`);
  try {
    const res = await api.gql('res-study-01', COHORT, { study: 'STUDY-02' });
    expect(res.body.errors).toBeUndefined();
  } finally {
    await api.sql(`DELETE FROM research_study_approval WHERE researcher_subject = 'res-study-01' AND study_id = 'STUDY-02'`);
  }
  await expectRefused('STUDY-02');
});
