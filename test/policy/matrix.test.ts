/**
 * The permission matrix of SPEC §3, proven over HTTP. Generated from the policy data: for every
 * matrix column (role × purpose) and every data category, one real GraphQL query with a real
 * signed token of a principal inside that column's gate (SPEC §4). The expectation of each cell
 * is derived from `accessOf` / FIELD_POLICY (via test/support/probes.ts), never written by hand:
 *
 * - allowed: no error, and the values equal the truth of that patient;
 * - denied: every selected field is null with FORBIDDEN at its path, and no distinctive value of
 *   the category (a string of ≥ 6 characters the principal cannot see elsewhere) occurs anywhere
 *   in the raw response.
 *
 * The truth is the patient's own view (PATIENT column: the whole record except THIRD_PARTY) and,
 * for what the patient may not read, the treating clinician's view (clin-dekker, care relationship
 * with P-0001 and P-0003); it is cross-checked against the database.
 */
import { FIELD_POLICY } from '../../src/policy/fields';
import { accessOf, MATRIX_COLUMNS, readableCategories } from '../../src/policy/matrix';
import { ALL_CATEGORIES, COLUMNS, Column, DOCUMENT_CATEGORY, DataCategory, DocumentType, Purpose } from '../../src/policy/vocabulary';
import { GqlResponse, startTestApi, TestApi } from '../support/harness';
import {
  Probe, PatientFacts, PROBES, Truth, Viewer, entryOpenTo, errorsByPath, expectationFor, normalise, stringsOf,
} from '../support/probes';

type PatientNumber = 'P-0001' | 'P-0003';

/** Who stands in for each column, and on which patient inside that column's gate. */
interface ColumnPrincipal {
  subject: string;
  patient: PatientNumber;
  purpose?: Purpose;
  /** Bind the token to the patient (`patient` claim). */
  bind?: boolean;
}

const PRINCIPALS = {
  CLIN_TREATMENT: { subject: 'clin-dekker', patient: 'P-0001' },
  CLIN_EMERGENCY: { subject: 'clin-visser', patient: 'P-0001', purpose: Purpose.EMERGENCY }, // after break-the-glass
  ADMIN: { subject: 'admin-mulder', patient: 'P-0001' },
  GP: { subject: 'gp-jansen', patient: 'P-0001' },
  DUTY: { subject: 'duty-hap-01', patient: 'P-0001', bind: true },
  LAB: { subject: 'lab-trix-01', patient: 'P-0001' },
  INSURER: { subject: 'ins-alpha', patient: 'P-0001' },
  PATIENT: { subject: 'P-0001', patient: 'P-0001' },
  REP: { subject: 'rep-smit', patient: 'P-0003' },
  RESEARCHER: { subject: 'res-study-01', patient: 'P-0001' }, // never reaches patient(...)
  PRIVACY: { subject: 'dpo-01', patient: 'P-0001' },
  GP_PORTAL: { subject: 'gp-portal-svc', patient: 'P-0001' }, // never reaches patient(...)
} satisfies Record<Column, ColumnPrincipal> as Record<Column, ColumnPrincipal>;

const PATIENTS: readonly PatientNumber[] = ['P-0001', 'P-0003'];
const BREAK_GLASS = `mutation($id: ID!) { breakGlass(patientId: $id, reason: "Unconscious patient at the ED, no history available") { id } }`;
const ME = `{ me { subject role purpose boundPatientNumber categories } }`;

let api: TestApi;
const tokens = new Map<Column, string>();
const facts = new Map<PatientNumber, PatientFacts>();

/** Where the truth of a category comes from: the patient's own view, else the treating clinician's. */
function truthColumn(category: DataCategory): 'PATIENT' | 'CLIN_TREATMENT' {
  if (accessOf('PATIENT', category) !== '__') return 'PATIENT';
  if (accessOf('CLIN_TREATMENT', category) !== '__') return 'CLIN_TREATMENT';
  throw new Error(`neither the patient nor the treating clinician may read ${category}: no truth source`);
}

function describeResponse(res: GqlResponse): string {
  return `HTTP ${res.status}: ${res.text.slice(0, 2000)}`;
}

async function loadFacts(patientNumber: PatientNumber): Promise<PatientFacts> {
  const id = await api.patientId(patientNumber);
  const sources = {
    PATIENT: await api.token(patientNumber),
    CLIN_TREATMENT: await api.token('clin-dekker'),
  };
  const truth: Truth = new Map();
  // The access log last, so it holds the reads above.
  const order = [...ALL_CATEGORIES.filter((c) => c !== DataCategory.ACCESS_LOG), DataCategory.ACCESS_LOG];
  for (const category of order) {
    const probe = PROBES.get(category)!;
    const res = await api.gql({ token: sources[truthColumn(category)] }, probe.query, { id });
    const value = res.body.data?.[probe.entry];
    if (res.status !== 200 || res.body.errors?.length || !value) {
      throw new Error(`truth of ${patientNumber} × ${category} (as ${truthColumn(category)}) failed: ${describeResponse(res)}`);
    }
    truth.set(category, value);
  }
  const documentTypes = new Map<string, DocumentType>();
  for (const category of new Set(Object.values(DOCUMENT_CATEGORY))) {
    for (const doc of truth.get(category)?.documents ?? []) documentTypes.set(doc.id, doc.type);
  }
  const [{ consent }] = await api.sql<{ consent: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM consent WHERE patient_id = $1 AND channel = 'PHOTOGRAPHY' AND granted
       AND confirmed_at IS NOT NULL AND withdrawn_at IS NULL) AS consent`, [id]);
  return { id, truth, photographyConsent: consent, documentTypes };
}

beforeAll(async () => {
  api = await startTestApi();
  for (const column of MATRIX_COLUMNS) {
    const p = PRINCIPALS[column];
    tokens.set(column, await api.token(p.subject, { purpose: p.purpose, patient: p.bind ? p.patient : undefined }));
  }
  // CLIN_EMERGENCY's gate: an open break-the-glass session of clin-visser for the patient.
  const bg = await api.gql({ token: tokens.get('CLIN_EMERGENCY')! }, BREAK_GLASS, { id: await api.patientId(PRINCIPALS.CLIN_EMERGENCY.patient) });
  if (bg.body.errors?.length || !bg.body.data?.breakGlass?.id) throw new Error(`break-the-glass failed: ${describeResponse(bg)}`);
  for (const n of PATIENTS) facts.set(n, await loadFacts(n));
}, 60_000);
afterAll(() => api?.close());

/** Runs a probe as a viewer and checks the response against the derived expectation. */
async function checkCell(token: string, viewer: Viewer, patientNumber: PatientNumber, probe: Probe, verdict: 'allowed' | 'denied'): Promise<void> {
  const f = facts.get(patientNumber)!;
  const exp = expectationFor(probe, viewer, f, f.truth);
  expect(exp.allowed).toBe(verdict === 'allowed');

  const res = await api.gql({ token }, probe.query, { id: f.id });
  expect(res.status).toBe(200);
  expect(errorsByPath(res)).toEqual(exp.errors);
  for (const e of res.body.errors ?? []) {
    // The message never says why (SPEC §7).
    expect(e.message).not.toMatch(new RegExp(probe.category, 'i'));
  }
  const root = res.body.data?.[probe.entry] ?? null;
  if (exp.data !== undefined) {
    expect(normalise(root)).toEqual(normalise(exp.data));
  } else {
    // An allowed access log: a non-null list of events, all of this patient.
    expect(Array.isArray(root?.nodes)).toBe(true);
    expect(root.nodes.length).toBeGreaterThan(0);
    for (const event of root.nodes) expect(event.patientId).toBe(f.id);
  }
  const leaked = exp.mustNotContain.filter((s) => res.text.includes(s));
  expect(leaked).toEqual([]);
}

// ---------------------------------------------------------------------------------------------

describe('probes are derived from the policy', () => {
  test('every data category has a probe, and every policed Patient field is probed', () => {
    expect([...PROBES.keys()].sort()).toEqual([...ALL_CATEGORIES].sort());
    const probed = new Set([...PROBES.values()].flatMap((p) => p.parts.map((part) => part.field)));
    const policed = Object.entries(FIELD_POLICY.Patient).filter(([, p]) => p.kind === 'category' || p.kind === 'documents').map(([f]) => f);
    expect(policed.filter((f) => !probed.has(f))).toEqual([]);
  });

  test('every matrix column has a principal', () => {
    expect(Object.keys(PRINCIPALS).sort()).toEqual([...MATRIX_COLUMNS].sort());
  });
});

describe('the truth', () => {
  test('P-0001 has a value in every category (CONTRACT: every category filled)', () => {
    const empty = ALL_CATEGORIES.filter((c) => stringsOf(facts.get('P-0001')!.truth.get(c)).size === 0);
    expect(empty).toEqual([]);
  });

  test.each(PATIENTS)('%s: third-party values and portal notes agree with the database', async (n) => {
    const f = facts.get(n)!;
    const db = await api.sql<{ v: string }>(
      `SELECT relative_name AS v FROM family_history_entry WHERE patient_id = $1 AND relative_name IS NOT NULL
       UNION ALL SELECT relative_details FROM family_history_entry WHERE patient_id = $1 AND relative_details IS NOT NULL
       UNION ALL SELECT third_party_section FROM clinical_document WHERE patient_id = $1 AND third_party_section IS NOT NULL
       UNION ALL SELECT text FROM portal_note WHERE patient_id = $1`, [f.id]);
    expect(db.length).toBeGreaterThan(0);
    const truthStrings = new Set([...stringsOf(f.truth.get(DataCategory.THIRD_PARTY)), ...stringsOf(f.truth.get(DataCategory.PORTAL_NOTES))]);
    expect(db.map((r) => r.v).filter((v) => !truthStrings.has(v))).toEqual([]);
  });
});

describe('each column’s principal is that column and inside its gate', () => {
  test.each([...MATRIX_COLUMNS])('%s', async (column) => {
    const p = PRINCIPALS[column];
    const me = await api.gql({ token: tokens.get(column)! }, ME);
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data.me).toMatchObject({ subject: p.subject, role: COLUMNS[column].role, purpose: COLUMNS[column].purpose });
    expect([...me.body.data.me.categories].sort()).toEqual([...readableCategories(column)].sort());

    const id = facts.get(p.patient)!.id;
    const res = await api.gql({ token: tokens.get(column)! }, `query($id: ID!) { patient(id: $id) { id } }`, { id });
    if (entryOpenTo('patient', column)) {
      expect(errorsByPath(res)).toEqual({});
      expect(res.body.data.patient).toEqual({ id });
    } else {
      expect(res.body.data.patient).toBeNull();
      expect(errorsByPath(res)).toEqual({ patient: 'FORBIDDEN' });
    }
  });
});

type Cell = [Column, DataCategory, 'allowed' | 'denied'];
const verdictOf = (readable: ReadonlySet<DataCategory>, column: Column, category: DataCategory): 'allowed' | 'denied' =>
  entryOpenTo(PROBES.get(category)!.entry, column) && readable.has(category) ? 'allowed' : 'denied';

const CELLS: Cell[] = MATRIX_COLUMNS.flatMap((column) =>
  ALL_CATEGORIES.map((category): Cell => [column, category, verdictOf(readableCategories(column), column, category)]));

describe('the matrix, cell by cell', () => {
  test('the cells agree with accessOf', () => {
    for (const [column, category, verdict] of CELLS) {
      if (verdict === 'allowed') expect(accessOf(column, category)).not.toBe('__');
    }
  });

  test.each(CELLS)('%s × %s %s', async (column, category, verdict) => {
    const viewer: Viewer = { column, readable: readableCategories(column) };
    await checkCell(tokens.get(column)!, viewer, PRINCIPALS[column].patient, PROBES.get(category)!, verdict);
  });
});

describe('token scope narrows the role, never widens it', () => {
  const SCOPES = ['LAB', 'DIAGNOSES LAB'] as const;
  const scopeTokens = new Map<string, string>();
  const effective = (scope: string) => new Set([...readableCategories('GP')].filter((c) => scope.split(' ').includes(c)));

  beforeAll(async () => {
    for (const scope of SCOPES) scopeTokens.set(scope, await api.token(PRINCIPALS.GP.subject, { scope }));
  });

  test.each([...SCOPES])('GP with scope "%s": me.categories is the role narrowed by the scope', async (scope) => {
    const me = await api.gql({ token: scopeTokens.get(scope)! }, ME);
    expect(me.body.errors).toBeUndefined();
    expect([...me.body.data.me.categories].sort()).toEqual([...effective(scope)].sort());
    // The scope never adds a category the role lacks.
    for (const c of scope.split(' ')) if (accessOf('GP', c as DataCategory) === '__') expect(me.body.data.me.categories).not.toContain(c);
  });

  test('GP with scope "LAB" in one request: lab results arrive, ECGs are FORBIDDEN', async () => {
    const f = facts.get(PRINCIPALS.GP.patient)!;
    const res = await api.gql({ token: scopeTokens.get('LAB')! }, `query($id: ID!) { patient(id: $id) { labResults { id value } ecgs { id rhythm } } }`, { id: f.id });
    const labTruth = f.truth.get(DataCategory.LAB).labResults as Array<{ id: string; value: string }>;
    expect(labTruth.length).toBeGreaterThan(0);
    expect(normalise(res.body.data.patient.labResults)).toEqual(normalise(labTruth.map(({ id, value }) => ({ id, value }))));
    expect(res.body.data.patient.ecgs).toBeNull();
    expect(errorsByPath(res)).toEqual({ 'patient.ecgs': 'FORBIDDEN' });
    for (const ecg of f.truth.get(DataCategory.ECG).ecgs as Array<{ rhythm: string }>) expect(res.text).not.toContain(ecg.rhythm);
  });

  const scopeCells = SCOPES.flatMap((scope) => ALL_CATEGORIES.map((category) => [scope, category, verdictOf(effective(scope), 'GP', category)] as const));
  test.each(scopeCells)('GP with scope "%s" × %s %s', async (scope, category, verdict) => {
    const viewer: Viewer = { column: 'GP', readable: effective(scope) };
    await checkCell(scopeTokens.get(scope)!, viewer, PRINCIPALS.GP.patient, PROBES.get(category)!, verdict);
  });
});
