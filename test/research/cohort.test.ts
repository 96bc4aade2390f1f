/**
 * The pseudonymised research cohort (SPEC §6) over HTTP with real tokens: only consenting
 * patients, nothing identifying, per-study pseudonyms, one access event per cohort member.
 * The studies used here are registered for res-study-01 in beforeAll (the registry is data).
 */
import { StudyPseudonyms } from '../../src/research/pseudonym';
import { loadResearchKey } from '../../src/research/research-key';
import { errorCodes, GqlResponse, startTestApi, TestApi } from '../support/harness';
import { approveStudies, COHORT } from './fixtures';

let api: TestApi;
let key: Buffer;
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startTestApi();
  key = await loadResearchKey(api.config);
  for (const n of ['P-0001', 'P-0002', 'P-0003', 'P-0004']) ids[n] = await api.patientId(n);
  await approveStudies(api, 'res-study-01', ['study-A', 'study-B', 'study-log', 'study-paging']);
});
afterAll(() => api?.close());

const SET_CONSENT = `mutation($id: ID!, $granted: Boolean!) { setConsent(input: { patientId: $id, channel: RESEARCH, granted: $granted }) { id granted } }`;

interface CohortNode { pseudonym: string; birthYear: number | null; gender: string | null; diagnoses: Array<{ id: string; code: string }>; medications: Array<{ id: string; name: string }>; labResults: Array<{ id: string; value: string }> }

async function cohort(study: string, vars: Record<string, unknown> = {}, as = 'res-study-01'): Promise<GqlResponse> {
  return api.gql(as, COHORT, { study, ...vars });
}

function nodesOf(res: GqlResponse): CohortNode[] {
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  return res.body.data.researchCohort.nodes;
}

const pseudonymOf = (study: string, patientNumber: string) => new StudyPseudonyms(key, study).patient(ids[patientNumber]);

async function setResearchConsent(patientNumber: string, granted: boolean): Promise<void> {
  const res = await api.gql(patientNumber, SET_CONSENT, { id: ids[patientNumber], granted });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.setConsent.granted).toBe(granted);
}

/** Every value a researcher must never see: identity, BSN, birth date, contact, numbers, uuids, row ids. */
async function identifyingValues(): Promise<string[]> {
  const patients = await api.sql(`SELECT id, patient_number, given_name, family_name, birth_date::text AS birth_date, bsn,
    address_street, address_postal_code, phone, email FROM patient`);
  const values = patients.flatMap((p) => [p.id, p.patient_number, p.given_name, p.family_name, p.birth_date, p.bsn, p.address_street, p.address_postal_code, p.phone, p.email]);
  const rows = await api.sql(`SELECT id::text FROM diagnosis UNION ALL SELECT id::text FROM medication UNION ALL SELECT id::text FROM lab_result`);
  return [...values, ...rows.map((r) => r.id)].filter((v): v is string => typeof v === 'string' && v.length > 0);
}

test('the researcher sees P-0001 (RESEARCH consent) with its pseudonymised record, and not P-0002', async () => {
  const nodes = nodesOf(await cohort('study-A'));
  const p1 = nodes.find((n) => n.pseudonym === pseudonymOf('study-A', 'P-0001'));
  expect(p1).toBeDefined();
  expect(nodes.some((n) => n.pseudonym === pseudonymOf('study-A', 'P-0002'))).toBe(false);
  // P-0001 is the only cohort member: a group of one, below the default k of 5 (test/research/unlinkability.test.ts).
  expect(p1!.birthYear).toBeNull();
  expect(p1!.gender).toBeNull();

  const truth = await api.sql(`SELECT (SELECT array_agg(code ORDER BY code) FROM diagnosis WHERE patient_id = $1) AS codes,
    (SELECT array_agg(name ORDER BY name) FROM medication WHERE patient_id = $1) AS names,
    (SELECT array_agg(value ORDER BY value) FROM lab_result WHERE patient_id = $1) AS values`, [ids['P-0001']]);
  expect(p1!.diagnoses.map((d) => d.code).sort()).toEqual(truth[0].codes);
  expect(p1!.medications.map((m) => m.name).sort()).toEqual(truth[0].names);
  expect(p1!.labResults.map((l) => l.value).sort()).toEqual(truth[0].values);
});

test('only patients inside the gate: exactly those with active RESEARCH consent and no RESEARCH objection', async () => {
  const inGate = await api.sql(`SELECT p.id FROM patient p
    WHERE EXISTS (SELECT 1 FROM consent c WHERE c.patient_id = p.id AND c.channel = 'RESEARCH' AND c.granted AND c.confirmed_at IS NOT NULL AND c.withdrawn_at IS NULL)
      AND NOT EXISTS (SELECT 1 FROM objection o WHERE o.patient_id = p.id AND o.kind = 'RESEARCH' AND o.withdrawn_at IS NULL)`);
  const study = new StudyPseudonyms(key, 'study-A');
  const expected = inGate.map((r) => study.patient(r.id)).sort();
  expect(nodesOf(await cohort('study-A')).map((n) => n.pseudonym).sort()).toEqual(expected);
});

test('the response holds no name, BSN, birth date, address, patient number, patient uuid or row id', async () => {
  const res = await cohort('study-A');
  const nodes = nodesOf(res);
  expect(nodes.length).toBeGreaterThan(0);
  const forbidden = await identifyingValues();
  expect(forbidden.length).toBeGreaterThan(20);
  for (const v of forbidden) expect(res.text).not.toContain(v);
  expect(res.text).not.toMatch(/P-[0-9]{4}/);
  expect(res.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
});

test('pseudonyms and row ids are stable within a study and differ between studies', async () => {
  const a1 = nodesOf(await cohort('study-A'));
  const a2 = nodesOf(await cohort('study-A'));
  const b = nodesOf(await cohort('study-B'));
  expect(a2).toEqual(a1);
  const rowIds = (nodes: CohortNode[]) => nodes.flatMap((n) => [...n.diagnoses, ...n.medications, ...n.labResults].map((r) => r.id));
  const pa = new Set(a1.map((n) => n.pseudonym));
  expect(b.map((n) => n.pseudonym).filter((p) => pa.has(p))).toEqual([]);
  const ra = new Set(rowIds(a1));
  expect(ra.size).toBe(rowIds(a1).length);
  expect(rowIds(b).filter((id) => ra.has(id))).toEqual([]);
  // Same people, same content, different handles.
  expect(b.map((n) => n.birthYear).sort()).toEqual(a1.map((n) => n.birthYear).sort());
});

test('one access event per cohort member, basis research-consent, with the categories released', async () => {
  const res = await cohort('study-log');
  const nodes = nodesOf(res);
  const events = await api.sql(`SELECT * FROM access_event WHERE request_id = $1 ORDER BY seq`, [res.headers.get('x-request-id')]);
  expect(events).toHaveLength(nodes.length);
  const study = new StudyPseudonyms(key, 'study-log');
  expect(events.map((e) => study.patient(e.patient_id)).sort()).toEqual(nodes.map((n) => n.pseudonym).sort());
  for (const e of events) {
    expect(e).toMatchObject({ actor_subject: 'res-study-01', actor_role: 'RESEARCHER', purpose: 'RESEARCH', action: 'READ', basis: 'research-consent', outcome: 'GRANTED', detail: 'research cohort study-log' });
    expect([...e.categories_granted].sort()).toEqual(['DIAGNOSES', 'LAB', 'MEDICATION']);
    expect(e.categories_denied).toEqual([]);
  }
});

test('pages in pseudonym order with cursors that reveal no patient number or id', async () => {
  await setResearchConsent('P-0004', true);
  try {
    const all = nodesOf(await cohort('study-paging')).map((n) => n.pseudonym);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(all).toEqual([...all].sort());
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res = await cohort('study-paging', { first: 1, after });
      const page = res.body.data.researchCohort;
      expect(page.nodes).toHaveLength(1);
      seen.push(page.nodes[0].pseudonym);
      const cursor = Buffer.from(page.pageInfo.endCursor, 'base64url').toString('utf8');
      for (const v of [...Object.values(ids), 'P-000']) expect(cursor).not.toContain(v);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  } finally {
    await setResearchConsent('P-0004', false);
  }
});

test('a cohort member who withdraws RESEARCH consent is gone from the very next request', async () => {
  const p1 = pseudonymOf('study-A', 'P-0001');
  expect(nodesOf(await cohort('study-A')).map((n) => n.pseudonym)).toContain(p1);
  await setResearchConsent('P-0001', false);
  try {
    const res = await cohort('study-A');
    expect(nodesOf(res).map((n) => n.pseudonym)).not.toContain(p1);
    const events = await api.sql(`SELECT 1 FROM access_event WHERE request_id = $1 AND patient_id = $2`, [res.headers.get('x-request-id'), ids['P-0001']]);
    expect(events).toHaveLength(0);
  } finally {
    await setResearchConsent('P-0001', true);
  }
  expect(nodesOf(await cohort('study-A')).map((n) => n.pseudonym)).toContain(p1);
});

test('a RESEARCH objection removes a consenting patient as well', async () => {
  const lodge = await api.gql('P-0001', `mutation($id: ID!) { lodgeObjection(input: { patientId: $id, kind: RESEARCH, lodgedByRelation: "SELF" }) { id } }`, { id: ids['P-0001'] });
  expect(lodge.body.errors).toBeUndefined();
  try {
    expect(nodesOf(await cohort('study-A')).map((n) => n.pseudonym)).not.toContain(pseudonymOf('study-A', 'P-0001'));
  } finally {
    const withdraw = await api.gql('P-0001', `mutation($id: ID!) { withdrawObjection(id: $id) { id } }`, { id: lodge.body.data.lodgeObjection.id });
    expect(withdraw.body.errors).toBeUndefined();
  }
});

test.each(['gp-jansen', 'P-0001', 'clin-dekker', 'dpo-01'])('%s calling researchCohort → FORBIDDEN, no data', async (subject) => {
  const res = await cohort('study-A', {}, subject);
  expect(res.body.data).toBeNull();
  expect(errorCodes(res)).toEqual({ researchCohort: 'FORBIDDEN' });
  expect(res.text).not.toContain(pseudonymOf('study-A', 'P-0001'));
});

test.each(['', 'a b', '../etc', 'x'.repeat(65), 'study/1', 'studie-ü'])('studyId %j → BAD_USER_INPUT', async (study) => {
  const res = await cohort(study);
  expect(res.body.data).toBeNull();
  expect(errorCodes(res)).toEqual({ researchCohort: 'BAD_USER_INPUT' });
});

test('a cursor that is not ours, or a page size out of range → BAD_USER_INPUT', async () => {
  for (const vars of [{ after: Buffer.from(`v1:${ids['P-0001']}`).toString('base64url') }, { after: 'garbage' }, { first: 0 }, { first: 101 }]) {
    const res = await cohort('study-A', vars);
    expect(errorCodes(res)).toEqual({ researchCohort: 'BAD_USER_INPUT' });
  }
});
