/**
 * Cohort records of one patient in two studies cannot be linked by their content: every date is
 * shifted per patient and study (and timestamps coarsened to the day), no id is shared, and birth
 * year and gender are withheld for birth-year/gender groups smaller than k over the whole cohort.
 */
import { shiftedDate, shiftedTimestamp } from '../../src/research/date-shift';
import { StudyPseudonyms } from '../../src/research/pseudonym';
import { loadResearchKey } from '../../src/research/research-key';
import { GqlResponse, startTestApi, TestApi } from '../support/harness';
import { approveStudies, COHORT } from './fixtures';

// A fixed key makes the shifts of this file's studies known in advance (not a secret: tests only).
const TEST_KEY = 'TEST-ONLY research pseudonym key, not a secret';
let api: TestApi;
let key: Buffer;
let p1: string;
let p4: string;

interface Row { id: string; [field: string]: string | null }
interface CohortNode { pseudonym: string; birthYear: number | null; gender: string | null; diagnoses: Row[]; medications: Row[]; labResults: Row[] }

beforeAll(async () => {
  api = await startTestApi({ RESEARCH_PSEUDONYM_KEY: TEST_KEY });
  key = await loadResearchKey(api.config);
  p1 = await api.patientId('P-0001');
  p4 = await api.patientId('P-0004');
  await approveStudies(api, 'res-study-01', ['study-A', 'study-B']);
});
afterAll(() => api?.close());

function nodesOf(res: GqlResponse): CohortNode[] {
  expect(res.body.errors).toBeUndefined();
  return res.body.data.researchCohort.nodes;
}

async function cohort(study: string, gql: TestApi['gql'] = api.gql, vars: Record<string, unknown> = {}): Promise<CohortNode[]> {
  return nodesOf(await gql('res-study-01', COHORT, { study, ...vars }));
}

async function memberOf(study: string, patientId: string): Promise<CohortNode> {
  const node = (await cohort(study)).find((n) => n.pseudonym === new StudyPseudonyms(key, study).patient(patientId));
  expect(node).toBeDefined();
  return node!;
}

/** Every id, date and timestamp a node carries. */
const handles = (n: CohortNode): string[] => [
  n.pseudonym,
  ...n.diagnoses.flatMap((d) => [d.id, d.recordedAt]),
  ...n.medications.flatMap((m) => [m.id, m.start, m.end]),
  ...n.labResults.flatMap((l) => [l.id, l.observedAt]),
].filter((v): v is string => v !== null);

async function setResearchConsent(patientNumber: string, granted: boolean): Promise<void> {
  const res = await api.gql(patientNumber, `mutation($id: ID!, $granted: Boolean!) { setConsent(input: { patientId: $id, channel: RESEARCH, granted: $granted }) { id } }`,
    { id: await api.patientId(patientNumber), granted });
  expect(res.body.errors).toBeUndefined();
}

describe('dates', () => {
  test("the test key shifts P-0001's dates differently in the two studies (so the assertions below can hold)", () => {
    const a = new StudyPseudonyms(key, 'study-A').dateShiftDays(p1);
    const b = new StudyPseudonyms(key, 'study-B').dateShiftDays(p1);
    expect(a).not.toBe(b);
    for (const d of [a, b]) expect(Math.abs(d)).toBeGreaterThanOrEqual(1);
  });

  test('two studies\' records of the same patient share no id, date or timestamp', async () => {
    const a = await memberOf('study-A', p1);
    const b = await memberOf('study-B', p1);
    expect(a.labResults.length).toBeGreaterThan(1);
    const inA = new Set(handles(a));
    expect(handles(b).filter((v) => inA.has(v))).toEqual([]);
  });

  test('the same lab result appears in each study with its own date, shifted by that study\'s days from the day it was taken', async () => {
    const truth = await api.sql<{ code: string; value: string; observed_at: Date }>('SELECT code, value, observed_at FROM lab_result WHERE patient_id = $1', [p1]);
    for (const study of ['study-A', 'study-B']) {
      const days = new StudyPseudonyms(key, study).dateShiftDays(p1);
      const node = await memberOf(study, p1);
      for (const t of truth) {
        const released = node.labResults.find((l) => l.code === t.code && l.value === t.value)!;
        expect(released.observedAt).toBe(shiftedTimestamp(t.observed_at, days).toISOString());
        expect(released.observedAt).toMatch(/T00:00:00\.000Z$/);
      }
    }
    const [a, b] = [await memberOf('study-A', p1), await memberOf('study-B', p1)];
    for (const t of truth) {
      const inA = a.labResults.find((l) => l.value === t.value && l.code === t.code)!;
      const inB = b.labResults.find((l) => l.value === t.value && l.code === t.code)!;
      expect(inA.observedAt).not.toBe(inB.observedAt);
    }
  });

  test('no true date or timestamp of the record reaches a researcher', async () => {
    const res = await api.gql('res-study-01', COHORT, { study: 'study-A' });
    nodesOf(res);
    const truth = await api.sql<{ v: string }>(`
      SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS v FROM diagnosis WHERE patient_id = $1
      UNION ALL SELECT to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM lab_result WHERE patient_id = $1
      UNION ALL SELECT start::text FROM medication WHERE patient_id = $1
      UNION ALL SELECT "end"::text FROM medication WHERE patient_id = $1 AND "end" IS NOT NULL`, [p1]);
    expect(truth.length).toBeGreaterThan(3);
    for (const { v } of truth) expect(res.text).not.toContain(v);
  });

  test('rows come newest first, rows of one day in the order of their study ids (not the time of day or the database order)', async () => {
    for (const study of ['study-A', 'study-B']) {
      const labs = (await memberOf(study, p1)).labResults;
      const expected = [...labs].sort((a, b) => (a.observedAt === b.observedAt ? (a.id < b.id ? -1 : 1) : a.observedAt! > b.observedAt! ? -1 : 1));
      expect(labs.map((l) => l.id)).toEqual(expected.map((l) => l.id));
      expect(new Set(labs.map((l) => l.observedAt)).size).toBeLessThan(labs.length);
    }
  });

  test('medication dates move by the same days, so intervals within one study survive', async () => {
    const days = new StudyPseudonyms(key, 'study-A').dateShiftDays(p1);
    const truth = await api.sql<{ name: string; start: string; end: string | null }>(`SELECT name, start::text AS start, "end"::text AS "end" FROM medication WHERE patient_id = $1`, [p1]);
    const node = await memberOf('study-A', p1);
    expect(truth.length).toBeGreaterThan(0);
    for (const t of truth) {
      const released = node.medications.find((m) => m.name === t.name)!;
      expect(released.start).toBe(shiftedDate(t.start, days));
      expect(released.end).toBe(t.end === null ? null : shiftedDate(t.end, days));
    }
  });
});

describe('k-anonymity over birth year and gender', () => {
  test('default k = 5: the demo cohort (one member) is released without birth year or gender', async () => {
    expect(api.config.researchMinGroupSize).toBe(5);
    const nodes = await cohort('STUDY-01');
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) expect([n.birthYear, n.gender]).toEqual([null, null]);
    // The record itself is still there: suppression withholds the quasi-identifiers, not the data.
    expect((await memberOf('STUDY-01', p1)).labResults.length).toBeGreaterThan(0);
  });

  test('k = 2: a pair of the same birth year and gender is released, two singletons are not; groups count over the whole cohort, not the page', async () => {
    const k2 = await api.startAnother({ RESEARCH_PSEUDONYM_KEY: TEST_KEY, RESEARCH_MIN_GROUP_SIZE: '2' });
    const [original] = await api.sql<{ birth_date: string; gender: string }>('SELECT birth_date::text AS birth_date, gender FROM patient WHERE id = $1', [p4]);
    await setResearchConsent('P-0004', true);
    try {
      // P-0001 (1980, F) and P-0004 (1950, M): two groups of one.
      let nodes = await cohort('STUDY-01', k2.gql);
      expect(nodes).toHaveLength(2);
      for (const n of nodes) expect([n.birthYear, n.gender]).toEqual([null, null]);

      // P-0004 as a woman born in 1980 too: one group of two.
      await api.sql(`UPDATE patient SET birth_date = '1980-11-02', gender = 'FEMALE' WHERE id = $1`, [p4]);
      nodes = await cohort('STUDY-01', k2.gql);
      expect(nodes.map((n) => [n.birthYear, n.gender])).toEqual([[1980, 'FEMALE'], [1980, 'FEMALE']]);
      // One member per page: still a group of two.
      const page1 = await k2.gql('res-study-01', COHORT, { study: 'STUDY-01', first: 1 });
      const page2 = await k2.gql('res-study-01', COHORT, { study: 'STUDY-01', first: 1, after: page1.body.data.researchCohort.pageInfo.endCursor });
      for (const page of [page1, page2]) expect(nodesOf(page).map((n) => [n.birthYear, n.gender])).toEqual([[1980, 'FEMALE']]);

      // The default server still withholds them: a group of two is below 5.
      for (const n of await cohort('STUDY-01')) expect([n.birthYear, n.gender]).toEqual([null, null]);
    } finally {
      await api.sql('UPDATE patient SET birth_date = $2, gender = $3 WHERE id = $1', [p4, original.birth_date, original.gender]);
      await setResearchConsent('P-0004', false);
    }
  });
});
