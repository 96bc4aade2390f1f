/**
 * Property-based leak test (issue 5.2, SPEC §3–§5). fast-check draws a principal — any column of
 * the matrix, any of its subjects, with or without a random scope, bound to a patient or not,
 * expired or not — and a random valid operation generated from the schema (aliases, fragments,
 * variables, nested lists, the same field twice with different arguments), sends it over HTTP with
 * a real signed token against the demo patients and eight generated ones, and asserts for every
 * response:
 *
 * 1. nothing of a category the principal may not see — or of a patient outside its gate — appears
 *    anywhere in it (the oracle: test/support/leak-oracle.ts, compared with what the treating
 *    clinician and the patient see);
 * 2. every patient whose data is in it has exactly one access event written for the request id
 *    (the `x-request-id` response header), before the response arrived;
 * 3. an expired token gets 401 and nothing, and no operation is refused as invalid (the generator
 *    only makes valid ones; QUERY_TOO_COMPLEX is allowed and counted).
 *
 * LEAK_RUNS sets the number of cases (default 2,000); LEAK_MINUTES stops a long run after that
 * many minutes (the cases run so far count); LEAK_SEED replays a run.
 */
import fc from 'fast-check';
import { DEMO_PRINCIPALS } from '../../src/db/demo/directory';
import { MATRIX_COLUMNS } from '../../src/policy/matrix';
import { ALL_CATEGORIES, COLUMNS, DataCategory } from '../../src/policy/vocabulary';
import { startTestApi, TestApi } from '../support/harness';
import { insertGeneratedPatients, ORACLE_CLINICIAN } from '../support/generated-patients';
import { buildLeakOracle, LeakOracle } from '../support/leak-oracle';
import { ArgumentPool, generateOperation } from '../support/operations';
import { drawPrincipal, subjectsOf, viewerOf } from '../support/principals';

const RUNS = Number(process.env.LEAK_RUNS ?? 2000);
const MINUTES = process.env.LEAK_MINUTES === undefined ? undefined : Number(process.env.LEAK_MINUTES);
const SEED = process.env.LEAK_SEED === undefined ? undefined : Number(process.env.LEAK_SEED);
const GENERATED_PATIENTS = 8;

let api: TestApi;
let oracle: LeakOracle;
let pool: ArgumentPool;
let patientNumbers: string[];
const bsnOf = new Map<string, string>();

/** A token for any subject: demo principals as `npm run token` mints them, generated patients and clin-oracle by their claims. */
function tokenFor(subject: string, options: { purpose?: string; patient?: string; scope?: string[]; ttl?: string } = {}): Promise<string> {
  const demo = DEMO_PRINCIPALS.some((p) => p.subject === subject);
  if (demo) return api.token(subject, options);
  if (subject === ORACLE_CLINICIAN) return api.token('clin-dekker', { ...options, claims: { sub: ORACLE_CLINICIAN } });
  return api.token('P-0001', { ...options, patient: undefined, claims: { sub: subject, patient: subject } });
}

beforeAll(async () => {
  // The rate limiter stays on, with room for a long run.
  api = await startTestApi({ RATE_LIMIT_REQUESTS: '1000000' });
  // The checks look events up by request id after every case; the API itself never does.
  await api.sql('CREATE INDEX leak_test_request_id ON access_event (request_id)');
  const generated = await api.database.dataSource.transaction((manager) => insertGeneratedPatients(manager, GENERATED_PATIENTS));
  expect(generated).toHaveLength(GENERATED_PATIENTS);
  oracle = await buildLeakOracle({
    sql: api.sql,
    gql: (token, query, variables) => api.gql({ token }, query, variables),
    patientToken: (n) => tokenFor(n),
    clinicianToken: () => tokenFor(ORACLE_CLINICIAN),
  });
  const facts = [...oracle.facts.values()];
  patientNumbers = facts.map((f) => f.patientNumber).sort();
  pool = {
    patientIds: facts.map((f) => f.id),
    patientNumbers,
    bsns: (await api.sql<{ bsn: string }>('SELECT bsn FROM patient')).map((r) => r.bsn),
  };
  for (const r of await api.sql<{ id: string; bsn: string }>('SELECT id, bsn FROM patient')) bsnOf.set(r.id, r.bsn);
}, 120_000);
afterAll(() => api?.close());

// ---------------------------------------------------------------------------------------------
// The oracle is checked before it is trusted.

describe('the oracle', () => {
  test('knows every patient, with distinctive values of every category', () => {
    expect(oracle.facts.size).toBe(4 + GENERATED_PATIENTS);
    for (const f of oracle.facts.values()) {
      const categories = new Set([...oracle.owners.values()].flat().filter((o) => o.patientId === f.id).map((o) => o.category));
      // Every generated patient fills every category (the demo patients as CONTRACT.md says).
      if (f.patientNumber >= 'P-0101' || f.patientNumber === 'P-0001') {
        const expected = ALL_CATEGORIES.filter((c) => c !== DataCategory.ACCESS_LOG && !(f.patientNumber !== 'P-0001' && c === DataCategory.TRANSFUSION && !f.transfusionRecord));
        expect([f.patientNumber, expected.filter((c) => !categories.has(c))]).toEqual([f.patientNumber, []]);
      }
    }
  });

  test('the truth holds every value of the database it should (no blind spot)', async () => {
    const rows = await api.sql<{ v: string }>(`
      SELECT value AS v FROM lab_result UNION ALL SELECT body FROM clinical_document UNION ALL SELECT third_party_section FROM clinical_document
      UNION ALL SELECT relative_name FROM family_history_entry UNION ALL SELECT text FROM portal_note UNION ALL SELECT religion FROM special_category_data
      UNION ALL SELECT dbc_code FROM financial_code UNION ALL SELECT policy_number FROM insurance UNION ALL SELECT uri FROM medical_photo
      UNION ALL SELECT bsn FROM patient UNION ALL SELECT email FROM patient UNION ALL SELECT name FROM related_person`);
    const missing = rows.map((r) => r.v).filter((v) => v !== null && v.length >= 6 && !oracle.owners.has(v));
    expect(missing).toEqual([]);
  });

  test("agrees with the API's own gates: every principal's `patients` list is the oracle's gate", async () => {
    for (const column of MATRIX_COLUMNS) {
      for (const subject of subjectsOf(column, patientNumbers)) {
        if (column === 'RESEARCHER' || column === 'GP_PORTAL' || column === 'DUTY') continue;
        const viewer = viewerOf(column, subject, {});
        const res = await api.gql({ token: await tokenFor(subject, { purpose: COLUMNS[column].purpose }) }, '{ patients(first: 100) { nodes { id } } }');
        expect(res.body.errors).toBeUndefined();
        const listed = new Set<string>(res.body.data.patients.nodes.map((n: { id: string }) => n.id));
        expect([column, subject, [...listed].sort()]).toEqual([column, subject, [...oracle.gateOf(viewer)].sort()]);
      }
    }
  });

  test('catches a leak when there is one (the test can fail)', () => {
    const p2 = [...oracle.facts.values()].find((f) => f.patientNumber === 'P-0002')!;
    const labValue = [...oracle.owners].find(([, owners]) => owners.every((o) => o.patientId === p2.id && o.category === DataCategory.LAB))![0];
    // gp-jansen is P-0002's GP, but P-0002 gave no GP_VIEW consent: outside the gate.
    const gp = viewerOf('GP', 'gp-jansen', {});
    expect(oracle.judge(gp, { data: { patient: { labResults: [{ value: labValue }] } } }).leaks.map((l) => l.value)).toEqual([labValue]);
    // Embedded in other text (an export's narrative) it is found as well.
    expect(oracle.judge(gp, { data: { x: JSON.stringify({ text: `seen: ${labValue}.` }) } }).leaks).toHaveLength(1);
    // A category outside the column: a GP never sees a diagnosis, even of its own consenting patient.
    const p1 = [...oracle.facts.values()].find((f) => f.patientNumber === 'P-0001')!;
    const diagnosis = [...oracle.owners].find(([, owners]) => owners.every((o) => o.patientId === p1.id && o.category === DataCategory.DIAGNOSES))![0];
    expect(oracle.judge(gp, { data: { d: diagnosis } }).leaks).toHaveLength(1);
    expect(oracle.judge(viewerOf('CLIN_TREATMENT', 'clin-dekker', {}), { data: { d: diagnosis } }).leaks).toHaveLength(0);
  });
});

// ---------------------------------------------------------------------------------------------

const stats = { cases: 0, expired: 0, withPatientData: 0, patientsTouched: 0, forbiddenErrors: 0, tooComplex: 0, notFound: 0, byColumn: {} as Record<string, [number, number]> };

test(`no response leaks, and every response with patient data has its access events (${RUNS} cases)`, async () => {
  const property = fc.asyncProperty(fc.gen(), async (g) => {
    const drawn = drawPrincipal(g, patientNumbers);
    const viewer = viewerOf(drawn.column, drawn.subject, drawn);
    const gate = [...oracle.gateOf(viewer)].map((id) => oracle.facts.get(id)!);
    const operation = generateOperation(g, {
      ...pool,
      column: drawn.column,
      preferred: { patientIds: gate.map((f) => f.id), patientNumbers: gate.map((f) => f.patientNumber), bsns: gate.map((f) => bsnOf.get(f.id)!) },
    });
    const token = await tokenFor(drawn.subject, {
      purpose: COLUMNS[drawn.column].purpose,
      patient: drawn.bound,
      scope: drawn.scope,
      ttl: drawn.expired ? '-5m' : `${drawn.ttlSeconds}s`,
    });
    const res = await api.gql({ token }, operation.query, operation.variables);
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toBeTruthy();
    stats.cases += 1;
    const columnStats = (stats.byColumn[drawn.column] ??= [0, 0]);
    columnStats[0] += 1;

    if (drawn.expired) {
      stats.expired += 1;
      expect(res.status).toBe(401);
      expect(res.body.data).toBeUndefined();
      expect(oracle.judge({ ...viewer, column: 'GP_PORTAL' }, res.body).leaks).toEqual([]);
      expect(await api.sql('SELECT 1 FROM access_event WHERE request_id = $1', [requestId])).toEqual([]);
      return;
    }

    const codes = (res.body.errors ?? []).map((e) => String(e.extensions?.code));
    // Only valid operations are generated; the limits may refuse one, nothing else may.
    expect(codes.filter((c) => /GRAPHQL_(PARSE|VALIDATION)_FAILED|INTERNAL_SERVER_ERROR/.test(c))).toEqual([]);
    if (codes.includes('QUERY_TOO_COMPLEX')) {
      stats.tooComplex += 1;
      expect(res.status).toBe(400);
    } else {
      expect(res.status).toBe(200);
    }
    stats.forbiddenErrors += codes.filter((c) => c === 'FORBIDDEN').length;
    stats.notFound += codes.filter((c) => c === 'NOT_FOUND').length;

    // 1. Nothing the principal may not see.
    const { leaks, touched } = oracle.judge(viewer, res.body);
    if (leaks.length > 0) {
      throw new Error(`LEAK for ${JSON.stringify(drawn)}:\n${leaks.map((l) => `  ${JSON.stringify(l.value)} owned by ${JSON.stringify(l.owners)}`).join('\n')}\nquery: ${operation.query}\nvariables: ${JSON.stringify(operation.variables)}\nresponse: ${res.text.slice(0, 3000)}`);
    }

    // 2. One access event per patient whose data left, written for this request.
    const events = await api.sql<{ patient_id: string; n: number }>(
      'SELECT patient_id, count(*)::int AS n FROM access_event WHERE request_id = $1 AND patient_id IS NOT NULL GROUP BY patient_id', [requestId]);
    const logged = new Map(events.map((e) => [e.patient_id, e.n]));
    for (const patientId of touched) {
      if (logged.get(patientId) !== 1) {
        throw new Error(`patient ${patientId} in the response with ${logged.get(patientId) ?? 0} access events for request ${requestId}\nprincipal: ${JSON.stringify(drawn)}\nquery: ${operation.query}\nresponse: ${res.text.slice(0, 2000)}`);
      }
    }
    expect(events.filter((e) => e.n !== 1)).toEqual([]);
    if (touched.size > 0) {
      columnStats[1] += 1;
      stats.withPatientData += 1;
      stats.patientsTouched += touched.size;
    }
  });
  await fc.assert(property, {
    numRuns: RUNS, seed: SEED, verbose: 1, endOnFailure: true,
    ...(MINUTES ? { interruptAfterTimeLimit: MINUTES * 60_000, markInterruptAsFailure: false } : {}),
  });
  process.stderr.write(`\nleak property: ${JSON.stringify(stats)}\n`);
  // The cases were not vacuous: many carried patient data, many met a withheld field.
  const cases = MINUTES ? stats.cases : RUNS;
  expect(stats.cases).toBeGreaterThanOrEqual(Math.min(RUNS, MINUTES ? 1000 : RUNS));
  expect(stats.withPatientData).toBeGreaterThan(cases * 0.1);
  expect(stats.forbiddenErrors).toBeGreaterThan(cases * 0.25);
  expect(stats.tooComplex).toBeLessThan(cases * 0.05);
}, MINUTES ? MINUTES * 60_000 + 120_000 : Math.max(120_000, RUNS * 200));
